"""Time, in a real headless Chromium, what a user waits for after a filter change, for the
dashboard and for the naive app (tools/naive_app.py) served side by side on loopback.

    .venv/bin/python tools/browser_benchmark.py [--repeat N]

For each app: open it, pick "clash" in the Event type filter, and measure the time until the
map shows exactly the clash events, and the bytes the server sent over the websocket for that
change. Then clear the filter and repeat. A benchmark, not a test: it prints figures and ratios.
Needs Debian's chromium (``bash .ci/setup``); nothing leaves the machine (tiles are blocked).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser_harness import ARGS, CHROMIUM, served_app  # noqa: E402  (one way to serve and drive)


def naive_beside_static() -> str:
    """The naive app in a temporary folder with folium's assets vendored beside it (from npm, by
    ``tools/vendor_assets.py --set folium``): Streamlit serves static files from beside the entry
    script, no CDN is reachable here, and the app ships none of folium's assets."""
    folder = Path(tempfile.mkdtemp(prefix="naive-app-"))
    shutil.copy(ROOT / "tools" / "naive_app.py", folder / "naive_app.py")
    (folder / ".streamlit").symlink_to(ROOT / ".streamlit")
    vendor = str(folder / "static" / "vendor")
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "vendor_assets.py"), "--set", "folium", "--out", vendor],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return str(folder / "naive_app.py")


OURS_COUNT = "() => { const m = document.querySelector('[data-testid=live-map]'); return m && m.__scm && m.__scm.events ? m.__scm.events.length : -1; }"  # noqa: E501
NAIVE_COUNT = "() => document.querySelectorAll('.leaflet-marker-icon').length"


def measure(base: str, count_js: str, in_frame: bool, repeat: int, target: int) -> tuple[list[float], list[int]]:
    times, sizes = [], []
    # Waits go through page.wait_for_timeout, never time.sleep: the sync API handles the page's
    # routed requests only while it is called, so a sleeping loop stalls the page it waits for.
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.route(
            "**/*",
            lambda r: (
                r.continue_()
                if "127.0.0.1" in r.request.url or r.request.url.startswith(("blob:", "data:"))
                else r.abort()
            ),
        )  # noqa: E501
        received = [0]
        page.on("websocket", lambda ws: ws.on("framereceived", lambda f: received.__setitem__(0, received[0] + len(f))))

        def count() -> int:
            try:
                if in_frame:
                    frame = next((f for f in page.frames if f != page.main_frame and "component" in f.url), None)
                    return frame.evaluate(count_js) if frame else -1
                return page.evaluate(count_js)
            except Exception:  # the naive map's frame is replaced while it redraws
                return -1

        page.goto(base)
        page.get_by_role("combobox", name="Event type", exact=True).wait_for(timeout=90_000)
        deadline = time.monotonic() + 90
        while count() < 10 and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        total = count()
        box = page.get_by_role("combobox", name="Event type", exact=True)
        for _ in range(repeat):
            page.wait_for_timeout(1500)
            received[0] = 0
            box.click()
            box.fill("clash")
            start = time.perf_counter()
            page.keyboard.press("Enter")
            while count() != target and time.perf_counter() - start < 30:
                page.wait_for_timeout(10)
            times.append((time.perf_counter() - start) * 1000)
            page.wait_for_timeout(1500)
            sizes.append(received[0])
            box.click()
            page.keyboard.press("Backspace")  # takes "clash" off: every event again
            page.keyboard.press("Escape")
            while count() != total and time.perf_counter() - start < 60:
                page.wait_for_timeout(50)
        browser.close()
    return times, sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    n = parser.parse_args().repeat
    from geo.load import load_dataset
    from geo.map import unplaced_events

    events = load_dataset().events
    clashes = int(((events["event_type"] == "clash") & ~events.index.isin(unplaced_events(events))).sum())
    results = {}
    for name, script, count_js, in_frame in (
        ("ours", "streamlit_app.py", OURS_COUNT, False),
        ("naive", naive_beside_static(), NAIVE_COUNT, True),
    ):
        # PYTHONPATH: the naive app, copied to a temporary folder, imports geo/ and tools/
        with served_app(script, env={"PYTHONPATH": str(ROOT)}) as base:
            results[name] = measure(base, count_js, in_frame, n, clashes)
    (ot, ob), (nt, nb) = results["ours"], results["naive"]
    print(f"median of {n} filter changes in headless Chromium")
    print(f"new events on the map   ours {statistics.median(ot):8.0f} ms   naive {statistics.median(nt):8.0f} ms"
          f"   naive/ours {statistics.median(nt) / statistics.median(ot):5.1f}x")  # fmt: skip
    print(f"websocket bytes          ours {statistics.median(ob):8.0f} B    naive {statistics.median(nb):8.0f} B"
          f"    naive/ours {statistics.median(nb) / statistics.median(ob):5.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
