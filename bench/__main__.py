"""``python -m bench --sizes 1000,10000,100000,1000000 --out results.json``

For each size: generate that many synthetic events (:mod:`bench.generate`, fixed seed) into a
temporary store, then, in a fresh process per size, time our query path (DuckDB through Ibis,
:mod:`geo.events_store`) and the naive approach (one folium Marker per event, the frame
unpickled as ``st.cache_data`` does) where the naive one is predicted to finish within a minute.
Prints a table with the naive/ours ratio and writes a JSON list of
``{"size", "measure", "median", "unit", "repeats"}``. Not a test: figures, not assertions.
With ``--browser``, each size is also opened in headless Chromium (:mod:`bench.browser`: the page
with every imported dataset chosen until map and timeline are drawn, beside the page with none).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import generate_store

ROOT = Path(__file__).resolve().parent.parent
MEASURES = (
    "load",
    "script_run",
    "filter_narrow",
    "view_all",
    "map_bytes",
    "timeline_bytes",
    "peak_rss",
    "naive_script_run",
)


def _fmt(value: float, unit: str) -> str:
    if unit == "bytes":
        for suffix, scale in (("MB", 1e6), ("KB", 1e3)):
            if value >= scale:
                return f"{value / scale:.1f} {suffix}"
        return f"{value:.0f} B"
    return f"{value:.1f} ms" if value < 1000 else f"{value / 1000:.2f} s"


def run(sizes: list[int], repeats: int, seed: int, naive_budget: float, browser: bool = False) -> list[dict]:
    results: list[dict] = []
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix=f"bench-{n}-") as store:
            t0 = time.perf_counter()
            generate_store(n, store, seed=seed)
            print(f"{n:>9,} events generated in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
            cmd = [sys.executable, "-m", "bench.run_size", "--store", store, "--size", str(n)]
            cmd += ["--repeats", str(repeats), "--naive-budget", str(naive_budget)]
            proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
            if proc.returncode != 0:
                raise SystemExit(f"size {n}: the benchmark run failed\n{proc.stderr[-4000:]}")
            if proc.stderr.strip():
                print(proc.stderr.strip().splitlines()[-1], file=sys.stderr)
            results.extend(json.loads(proc.stdout.strip().splitlines()[-1]))
            if browser:
                from bench import browser as browser_bench

                seen = browser_bench.measure(store, repeats)
                print(browser_bench.report(n, seen), file=sys.stderr)
                results.extend(browser_bench.records(n, seen))
    return results


def report(results: list[dict]) -> str:
    lines = [f"{'size':>10}  {'measure':<18} {'median':>12}  repeats"]
    by = {(r["size"], r["measure"]): r for r in results}
    for r in results:
        lines.append(f"{r['size']:>10,}  {r['measure']:<18} {_fmt(r['median'], r['unit']):>12}  {r['repeats']}")
    lines.append("")
    for size in sorted({r["size"] for r in results}):
        ours, naive = by.get((size, "script_run")), by.get((size, "naive_script_run"))
        if ours and naive:
            ratio = naive["median"] / max(ours["median"], 1e-9)
            lines.append(
                f"{size:>10,}: naive {_fmt(naive['median'], 'ms')} / ours {_fmt(ours['median'], 'ms')} "
                f"= {ratio:.1f}× faster"
            )
        elif ours:
            lines.append(f"{size:>10,}: naive approach skipped (predicted over the time budget)")
        page, baseline = by.get((size, "browser_ready")), by.get((size, "browser_ready_curated"))
        if page and baseline:
            lines.append(
                f"{size:>10,}: browser, map and timeline with every imported dataset {_fmt(page['median'], 'ms')}"
                f" / nothing imported {_fmt(baseline['median'], 'ms')} (target: within 3 s)"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000", help="comma-separated event counts")
    parser.add_argument("--out", default="results.json", help="where to write the JSON list")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--naive-budget", type=float, default=60.0, help="seconds the naive run may take")
    parser.add_argument("--browser", action="store_true", help="also time the page in headless Chromium")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    results = run(sizes, args.repeats, args.seed, args.naive_budget, args.browser)
    Path(args.out).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(report(results))
    print(f"wrote {len(results)} figures to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
