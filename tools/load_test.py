"""Many visitors at once: waves of headless browsers opening different shared links, on loopback.

    .venv/bin/python tools/load_test.py [--visitors 20] [--waves 4] [--json out.json]
                                        [--option runner.postScriptGC=true ...]
                                        [--script serve.py|streamlit_app.py]

Serves the app (``streamlit run serve.py``, README's command, or ``--script streamlit_app.py``,
the plain script as Community Cloud runs it) on a free loopback port (headless, as
tests/test_browser.py does), then runs ``--waves`` waves of ``--visitors`` visitors, each a
Playwright browser context in one headless Chromium (Debian's, ``/usr/bin/chromium``). The
visitors of a wave start together (asyncio, one browser process). Each opens a different shared
link (README's link forms: actor, source, type, status, region, date and text filters,
``event=``, ``map=``, ``base=``, ``hide=``, ``time=``, ``lanes=``) and waits until the map is
drawn (a Leaflet marker visible) and the "N of M events" sentence is there: the *time to a drawn
map*. When every visitor of the wave has its map (or has failed) and the server is idle again,
each picks one more event type in the sidebar and waits for the new count: the *filter change*.
Then the wave's contexts close.

Per wave it reads the server process's CPU seconds (``/proc/<pid>/stat``, utime + stime) for
the arrivals and for the filter changes, and its resident memory after the wave (psutil if
installed, else ``VmRSS`` from ``/proc/<pid>/status``). Errors are page errors, Streamlit
exception boxes (``[data-testid=stException]``), timeouts and tracebacks in the server log.

Bounded: a hard 90 s per visitor for each step, a deadline for the whole run, every request that does not
go to 127.0.0.1/localhost is aborted (tiles included), and it stops by itself. A measurement,
not a test; tests/test_many_visitors.py runs a short version with assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# one set of browser settings and one way to serve the app, shared with the browser tests
from tests.browser_harness import ARGS, CHROMIUM, LOOPBACK, start_app, stop  # noqa: E402

VISITOR_TIMEOUT_S = 90.0
VIEWPORT = {"width": 1280, "height": 900}
COUNT = re.compile(r"(\d+) of (\d+) events")
MAP_MARKER = "[data-testid=live-map] .leaflet-marker-icon"

#: Shared links as the README writes them, each with the event type its visitor then picks
#: (chosen so that the pick changes the count on the curated data).
LINKS: tuple[tuple[str, str], ...] = (
    ("/?actor=iran", "statement"),
    ("/explore?actor=iran&from=2021-01-01&lanes=actor&event=iran-offers-syunik-base-2021", "statement"),
    (
        "/?type=clash&event=border-clash-2022-09-13&map=39.5000,46.3000,9&base=plain&hide=provinces"
        "&time=2021-01-01,2023-12-31",
        "deployment",
    ),
    ("/?actor=russia&from=2022-01-01&to=2023-12-31", "statement"),
    ("/?region=lachin-corridor", "agreement"),
    ("/?region=euma-area&lanes=source", "deployment"),
    ("/?actor=france&type=arms_transfer", "statement"),
    ("/?source=kuzio-2021-10-iran-azerbaijan-near-war&map=39.0000,47.0000,7", "seizure"),
    ("/?status=claimed", "statement"),
    ("/?type=meeting&actor=eu&time=2021-06-01,2023-06-30", "decision"),
    ("/?actor=azerbaijan&from=2023-01-01", "statement"),
    ("/?actor=putin&actor=lavrov&lanes=actor", "statement"),
    ("/?event=euma-established-2023-01-23&map=39.8000,45.5000,8", "deployment"),
    ("/?from=2023-09-01&lanes=actor", "arms transfer"),
    ("/?actor=armenia&type=decision&type=agreement", "meeting"),
    ("/?source=jafarli-2023-armenia-russia-crisis&status=reported", "agreement"),
    ("/?region=syunik&region=nakhchivan&time=2020-01-01,2024-12-31", "clash"),
    ("/explore?actor=csto&lanes=source", "statement"),
    ("/?q=border", "clash"),
    ("/?actor=india&actor=israel&base=plain", "arms transfer"),
    ("/?actor=turkey&from=2020-01-01&to=2022-12-31&hide=provinces", "agreement"),
    ("/?source=moscowtimes-2024-09-26-russia-iran-rift&lanes=source&time=2020-06-01,2024-12-31", "statement"),
    ("/?source=caliber-2025-iran-troops-armenia&map=40.1000,45.0000,7&base=plain", "statement"),
    ("/?actor=united-states&type=meeting&type=decision&event=austin-south-caucasus-visit-2021-10", "statement"),
)


# --- the server and its process figures ------------------------------------------------------


#: Streamlit's file watcher off, as for a hosted copy. In a checkout with the venv inside it
#: (README's setup) watchdog watches every file of ``.venv`` too, and every import by any
#: process there (tests, other tools) queues an inotify event: the queue overflows and the
#: watcher re-scans the tree, burning about one core for as long as a session is connected,
#: which would swamp the app's own CPU figures. ``--watch`` keeps Streamlit's default.
NO_WATCHER = ("--server.fileWatcherType", "none")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds the process has used (``/proc/<pid>/stat``)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "; field 3 (state) is fields[0]
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def client_cpu_seconds(server_pid: int) -> float:
    """CPU seconds of this process's live descendants but the server: the browser and the
    Playwright driver, which share the machine's cores with the server."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(text[text.rindex(")") + 2 :].split()[1])
    total, mine = 0.0, os.getpid()
    for pid in parents:
        p, seen = pid, 0
        while p not in (0, 1, mine, server_pid) and seen < 50:
            p, seen = parents.get(p, 0), seen + 1
        if p == mine and pid != server_pid:
            try:
                total += cpu_seconds(pid)
            except (OSError, ValueError):
                pass
    return total


def rss_mb(pid: int) -> float:
    """Resident memory of the process in MB (psutil if installed, else VmRSS)."""
    try:
        import psutil

        return psutil.Process(pid).memory_info().rss / 2**20
    except ImportError:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def cpu_idle(pid: int, limit_s: float = 15.0) -> None:
    """Wait (at most ``limit_s``) until the server uses under 5 % of a core over half a second:
    the reruns a page triggers after it has drawn (the map reporting its view) then count
    with the phase that caused them."""
    deadline = time.monotonic() + limit_s
    before = cpu_seconds(pid)
    while time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        now = cpu_seconds(pid)
        if now - before < 0.025:
            return
        before = now


# --- one visitor -------------------------------------------------------------------------


@dataclass
class Visitor:
    wave: int
    link: str
    pick: str
    loaded_s: float | None = None  # the page's HTML and scripts (domcontentloaded)
    sentence_s: float | None = None  # the script's first output: "N of M events"
    map_s: float | None = None  # the map drawn as well: the time to a drawn map
    filter_s: float | None = None
    count_before: int | None = None
    count_after: int | None = None
    total: int | None = None
    blocked: int = 0
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.restart_clock()

    def restart_clock(self) -> None:
        """A fresh 90 s for the next step (opening the link, then the filter change)."""
        self.deadline = time.monotonic() + VISITOR_TIMEOUT_S

    def remaining_ms(self) -> float:
        return max(1.0, (self.deadline - time.monotonic()) * 1000)


async def _counts(page) -> tuple[int, int]:
    text = await page.get_by_text(COUNT).first.inner_text()
    m = COUNT.search(text)
    return int(m[1]), int(m[2])


async def _exceptions(page, v: Visitor, when: str) -> None:
    boxes = page.locator("[data-testid=stException]")
    for i in range(await boxes.count()):
        text = (await boxes.nth(i).inner_text()).strip().replace("\n", " ")
        v.errors.append(f"{when}: exception box: {text[:200]}")


async def open_link(context, base: str, v: Visitor):
    """Open the link; time until a marker is drawn and the count sentence is there."""
    v.restart_clock()
    page = await context.new_page()
    page.on("pageerror", lambda e: v.errors.append(f"page error: {str(e)[:200]}"))
    t0 = time.monotonic()
    try:
        await page.goto(base + v.link, wait_until="domcontentloaded", timeout=v.remaining_ms())
        v.loaded_s = time.monotonic() - t0
        await page.get_by_text(COUNT).first.wait_for(timeout=v.remaining_ms())
        v.sentence_s = time.monotonic() - t0
        await page.locator(MAP_MARKER).first.wait_for(state="visible", timeout=v.remaining_ms())
        v.map_s = time.monotonic() - t0
        v.count_before, v.total = await _counts(page)
        # let the first runs finish before the filter change (not counted in either time)
        await page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=v.remaining_ms())
    except Exception as e:  # noqa: BLE001 - timeouts and closed pages are the visitor's errors
        v.errors.append(f"open: {type(e).__name__}: {str(e).splitlines()[0][:200]}")
    await _exceptions(page, v, "open")
    return page


async def change_filter(page, v: Visitor) -> None:
    """Pick one more event type in the sidebar; time until the count changes."""
    if v.map_s is None:
        return
    v.restart_clock()
    t0 = time.monotonic()
    try:
        box = page.get_by_role("combobox", name="Event type", exact=True)
        await box.click(timeout=v.remaining_ms())
        await box.fill(v.pick, timeout=v.remaining_ms())
        await page.keyboard.press("Enter")
        changed = re.compile(rf"(?<!\d)(?!{v.count_before} of)\d+ of {v.total} events")
        await page.get_by_text(changed).first.wait_for(timeout=v.remaining_ms())
        v.filter_s = time.monotonic() - t0
        v.count_after = (await _counts(page))[0]
    except Exception as e:  # noqa: BLE001
        v.errors.append(f"filter: {type(e).__name__}: {str(e).splitlines()[0][:200]}")
    await _exceptions(page, v, "filter")


async def _bounded(coro, v: Visitor, what: str):
    """Run ``coro`` within what is left of the visitor's 90 s."""
    try:
        return await asyncio.wait_for(coro, timeout=v.remaining_ms() / 1000 + 10)
    except TimeoutError:
        v.errors.append(f"{what}: over the visitor's {VISITOR_TIMEOUT_S:.0f} s")
        return None


# --- waves -------------------------------------------------------------------------------


def _route(v: Visitor):
    async def route(r):
        url = r.request.url
        if LOOPBACK.match(url) or url.startswith(("data:", "blob:", "about:")):
            await r.continue_()
        else:
            v.blocked += 1
            await r.abort()

    return route


async def run_wave(browser, base: str, pid: int, wave: int, visitors: int) -> tuple[list[Visitor], dict]:
    crowd = [Visitor(wave, *LINKS[(wave * visitors + i) % len(LINKS)]) for i in range(visitors)]
    contexts = []
    for v in crowd:
        context = await browser.new_context(viewport=VIEWPORT)
        await context.route("**/*", _route(v))
        contexts.append(context)
    cpu0, t0, client0 = cpu_seconds(pid), time.monotonic(), client_cpu_seconds(pid)
    pages = await asyncio.gather(
        *(_bounded(open_link(c, base, v), v, "open") for c, v in zip(contexts, crowd, strict=True))
    )
    await cpu_idle(pid)
    cpu1, t1, client1 = cpu_seconds(pid), time.monotonic(), client_cpu_seconds(pid)
    await asyncio.gather(*(_bounded(change_filter(p, v), v, "filter") for p, v in zip(pages, crowd, strict=True) if p))
    await cpu_idle(pid)
    cpu2, t2 = cpu_seconds(pid), time.monotonic()
    await asyncio.gather(*(c.close() for c in contexts), return_exceptions=True)
    await asyncio.sleep(2)
    figures = {
        "wave": wave,
        "visitors": visitors,
        "arrival_cpu_s": round(cpu1 - cpu0, 2),
        "arrival_wall_s": round(t1 - t0, 2),
        "arrival_browser_cpu_s": round(client1 - client0, 2),
        "filter_cpu_s": round(cpu2 - cpu1, 2),
        "filter_wall_s": round(t2 - t1, 2),
        "cpu_s_per_session": round((cpu1 - cpu0) / visitors, 3),
        "cpu_s_per_filter_change": round((cpu2 - cpu1) / visitors, 3),
        "rss_mb_after": round(rss_mb(pid), 1),
    }
    return crowd, figures


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _server_errors(log_path: str) -> list[str]:
    text = Path(log_path).read_text(errors="replace")
    lines = text.splitlines()
    return [
        "server log: " + " | ".join(lines[i : i + 3])[:300]
        for i, line in enumerate(lines)
        if "Traceback" in line or "Uncaught app execution" in line or "Exception in callback" in line
    ]


def server_flags(options: tuple[str, ...]) -> tuple[str, ...]:
    """``("runner.postScriptGC=true", ...)`` as ``streamlit run`` flags, which override
    ``.streamlit/config.toml``: a baseline (an older setting) timed beside the app as configured."""
    flags: list[str] = []
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or not key or key.startswith("-"):
            raise ValueError(f"--option takes KEY=VALUE (a Streamlit config option), not {option!r}")
        flags += [f"--{key}", value]
    return tuple(flags)


async def _run(visitors: int, waves: int, watch: bool, options: tuple[str, ...] = (), script: str = "serve.py") -> dict:
    from playwright.async_api import async_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} missing: run `bash .ci/setup` (apt-get install chromium)")
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    log = tempfile.NamedTemporaryFile(prefix="load-test-server-", suffix=".log", delete=False)  # noqa: SIM115
    proc, base = start_app(log, script=script, extra=(() if watch else NO_WATCHER) + server_flags(options))
    everyone: list[Visitor] = []
    per_wave: list[dict] = []
    try:
        rss_start = rss_mb(proc.pid)
        cpu_start = cpu_seconds(proc.pid)
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                for wave in range(waves):
                    crowd, figures = await run_wave(browser, base, proc.pid, wave, visitors)
                    everyone += crowd
                    per_wave.append(figures)
                    _print_wave(figures, crowd)
            finally:
                await browser.close()
        cpu_total = cpu_seconds(proc.pid) - cpu_start
    finally:
        stop(proc)
        log.close()
    server_errors = _server_errors(log.name)
    maps = [v.map_s for v in everyone if v.map_s is not None]
    filters = [v.filter_s for v in everyone if v.filter_s is not None]
    errors = [f"wave {v.wave} {v.link}: {e}" for v in everyone for e in v.errors] + server_errors
    sessions = visitors * waves

    def r(x: float | None) -> float | None:
        return None if x is None else round(x, 2)

    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {
            "nproc": os.cpu_count(),
            "memory": _memory(),
            "load_average_at_start": load_at_start,
            "python": platform.python_version(),
        },
        "visitors": visitors,
        "waves": waves,
        "script": script,
        "file_watcher": watch,
        "options": list(options),
        "map_s": {"p50": r(percentile(maps, 50)), "p95": r(percentile(maps, 95)), "max": r(max(maps, default=None))},
        "filter_s": {
            "p50": r(percentile(filters, 50)),
            "p95": r(percentile(filters, 95)),
            "max": r(max(filters, default=None)),
        },
        "stages": {
            stage: {
                "reached": len(xs := [getattr(v, stage) for v in everyone if getattr(v, stage) is not None]),
                "p50": r(percentile(xs, 50)),
                "p95": r(percentile(xs, 95)),
            }
            for stage in ("loaded_s", "sentence_s", "map_s")
        },
        "drawn_maps": len(maps),
        "filter_changes": len(filters),
        "errors": errors,
        "rss_mb_start": round(rss_start, 1),
        "rss_mb_after_wave": [w["rss_mb_after"] for w in per_wave],
        "cpu_s_per_session": round(statistics.fmean(w["cpu_s_per_session"] for w in per_wave), 3),
        "cpu_s_per_filter_change": round(statistics.fmean(w["cpu_s_per_filter_change"] for w in per_wave), 3),
        "cpu_s_total": round(cpu_total, 1),
        "sessions": sessions,
        "per_wave": per_wave,
        "per_visitor": [asdict(v) for v in everyone],
        "server_log": log.name,
    }


def _memory() -> str:
    try:
        out = subprocess.run(["free", "-h"], capture_output=True, text=True, timeout=5).stdout.splitlines()
        return " ".join(out[1].split()[:2]) if len(out) > 1 else ""
    except (OSError, subprocess.SubprocessError):
        return ""


def _print_wave(w: dict, crowd: list[Visitor]) -> None:
    maps = [v.map_s for v in crowd if v.map_s is not None]
    errs = sum(len(v.errors) for v in crowd)
    print(
        f"wave {w['wave'] + 1}: {len(maps)}/{w['visitors']} maps, p50 {percentile(maps, 50) or 0:.1f} s, "
        f"max {max(maps, default=0):.1f} s; arrivals {w['arrival_cpu_s']} CPU s in {w['arrival_wall_s']} s "
        f"({w['cpu_s_per_session']} per session; browser {w['arrival_browser_cpu_s']} CPU s); "
        f"filter changes {w['filter_cpu_s']} CPU s; "
        f"RSS {w['rss_mb_after']} MB; {errs} errors",
        flush=True,
    )


def run(
    visitors: int = 20,
    waves: int = 4,
    timeout_s: float | None = None,
    watch: bool = False,
    options: tuple[str, ...] = (),
    script: str = "serve.py",
) -> dict:
    """Run the load test and return its figures; gives up after ``timeout_s`` (default: a
    bound from the visitor timeout and the number of waves)."""
    if timeout_s is None:
        timeout_s = 90 + waves * (2 * VISITOR_TIMEOUT_S + 60)

    async def bounded() -> dict:
        return await asyncio.wait_for(_run(visitors, waves, watch, options, script), timeout=timeout_s)

    return asyncio.run(bounded())


def report(res: dict) -> str:
    m, f = res["map_s"], res["filter_s"]
    lines = [
        f"{res['date']}, {res['machine']['nproc']} cores, {res['machine']['memory']}, "
        f"load average {res['machine']['load_average_at_start'][0]} at start: "
        f"{res['waves']} waves of {res['visitors']} visitors, `streamlit run {res['script']}`"
        + (" (file watcher on)" if res["file_watcher"] else "")
        + "".join(f" --option {o}" for o in res["options"]),
        f"time to a drawn map: p50 {m['p50']} s, p95 {m['p95']} s, of the {res['drawn_maps']} drawn; "
        f"{res['sessions'] - res['drawn_maps']} of {res['sessions']} visitors got no map within "
        f"{VISITOR_TIMEOUT_S:.0f} s",
        "stages: "
        + "; ".join(
            f"{name} {s['reached']}/{res['sessions']} (p50 {s['p50']} s, p95 {s['p95']} s)"
            for name, s in zip(("page loaded", "count sentence", "map drawn"), res["stages"].values(), strict=True)
        ),
        f"filter change:       p50 {f['p50']} s, p95 {f['p95']} s ({res['filter_changes']} done)",
        f"errors: {len(res['errors'])}",
        *(f"  {e}" for e in res["errors"][:20]),
        f"server RSS: {res['rss_mb_start']} MB at start, after each wave "
        + ", ".join(f"{x:.0f}" for x in res["rss_mb_after_wave"])
        + " MB",
        f"server CPU: {res['cpu_s_per_session']} s per new session, "
        f"{res['cpu_s_per_filter_change']} s per filter change, {res['cpu_s_total']} s in all",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=20, help="visitors per wave (default 20)")
    parser.add_argument("--waves", type=int, default=4, help="waves (default 4)")
    parser.add_argument("--json", type=Path, help="write every figure to this JSON file")
    parser.add_argument("--timeout", type=float, help="seconds for the whole run (default: from the waves)")
    parser.add_argument("--watch", action="store_true", help="keep Streamlit's file watcher on (off by default)")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a Streamlit config option for the served app, over .streamlit/config.toml (repeatable); "
        "e.g. runner.postScriptGC=true times the garbage collection after every run that the config turns off",
    )
    parser.add_argument(
        "--script",
        default="serve.py",
        choices=("serve.py", "streamlit_app.py"),
        help="what `streamlit run` serves: serve.py (default, the static-file cache; README's command) "
        "or streamlit_app.py (the plain script, as Community Cloud runs it)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.visitors <= 100 or not 1 <= args.waves <= 20:
        parser.error("--visitors must be 1..100 and --waves 1..20")
    try:
        server_flags(tuple(args.option))  # refuse a malformed option before starting anything
    except ValueError as e:
        parser.error(str(e))
    res = run(args.visitors, args.waves, args.timeout, args.watch, tuple(args.option), args.script)
    print(report(res))
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n")
    return 1 if res["errors"] or res["drawn_maps"] < res["sessions"] else 0


if __name__ == "__main__":
    sys.exit(main())
