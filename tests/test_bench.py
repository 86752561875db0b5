"""Smoke test of the benchmark at its smallest size: it runs, and writes every measure in the
agreed JSON shape. The figures themselves are printed, never asserted (see bench/README.md)."""

from __future__ import annotations

import json
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from bench.generate import BOX, generate, generate_store
from geo.ingest.store import partitions
from tests.conftest import ROOT

MEASURES = {
    "load",
    "script_run",
    "filter_narrow",
    "view_all",
    "map_bytes",
    "timeline_bytes",
    "peak_rss",
    "naive_script_run",
}


def test_generator_is_deterministic_and_in_the_box(tmp_path):
    a, b = generate(2000, seed=3), generate(2000, seed=3)
    assert all(a[k].equals(b[k]) for k in a)
    assert sum(t.num_rows for t in a.values()) == 2000
    frames = [t.to_pandas() for t in a.values()]
    lat = [v for f in frames for v in f["lat"]]
    lon = [v for f in frames for v in f["lon"]]
    inside = sum(BOX[1] <= y <= BOX[3] and BOX[0] <= x <= BOX[2] for y, x in zip(lat, lon, strict=True))
    assert 0.99 * 2000 <= inside < 2000  # a few distant points (Brussels, Moscow, Washington…)
    counts = generate_store(500, tmp_path)
    assert sum(counts.values()) == 500 and len(partitions(tmp_path)) == 4
    table = pq.read_table(partitions(tmp_path)[0])
    spans = zip(table.column("date_start").to_pylist(), table.column("date_end").to_pylist(), strict=True)
    assert all(start <= end for start, end in spans)


def test_bench_runs_at_the_smallest_size(tmp_path):
    out = tmp_path / "results.json"
    cmd = [sys.executable, "-m", "bench", "--sizes", "1000", "--repeats", "1", "--out", str(out)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = json.loads(out.read_text())
    assert MEASURES <= {r["measure"] for r in results}
    for r in results:
        assert set(r) == {"size", "measure", "median", "unit", "repeats"}
        assert r["size"] == 1000 and r["unit"] in ("ms", "bytes") and r["median"] > 0 and r["repeats"] >= 1
    assert "faster" in proc.stdout


@pytest.mark.browser
def test_the_browser_benchmark_draws_map_and_imported_timeline(tmp_path):
    """The path `python -m bench.browser` times, at 10,000 events: map with the imported layer and
    the imported timeline render (the time is printed by the benchmark, never asserted here)."""
    pytest.importorskip("playwright.sync_api")
    from bench.browser import imported_path, measure, records

    generate_store(10_000, tmp_path)
    assert imported_path(tmp_path) == "/?imported=acled&imported=gdelt&imported=timemap&imported=ucdp"
    result = measure(tmp_path, repeats=1)
    drawn = result["drawn"]
    assert drawn["imported_timeline"] and drawn["others"] > 1000
    assert "(not curated)" in drawn["title"] and "10,000 events, counts per" in drawn["title"]
    assert {r["measure"] for r in records(10_000, result)} == {"browser_ready", "browser_ready_curated"}
