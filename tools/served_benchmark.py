"""Time a filter change as the served app handles it, for the dashboard and the naive app
(tools/naive_app.py) served side by side on loopback, with the browser's own messages.

    .venv/bin/python tools/served_benchmark.py [--repeat N]

For each app: headless Chromium opens it and picks "clash" in the Event type filter, and the
websocket messages it sends are recorded; the browser is closed. A websocket client then sends
the browser's filter-change message again and again, with the event types changed, and times
each rerun from sending it to the server's "script finished" (so the script run, Streamlit's
turning every element into protobuf and the websocket, not a browser drawing it). Two cases,
as in tools/benchmark.py: a filter state the server process has never seen (every pair of
event types in turn) and a state it has seen. Beside each median: the server process's CPU
per change (``/proc/<pid>/stat``), and the bytes it sent.

Why beside tools/benchmark.py: AppTest, which that one uses, adds work of its own to every run
that a served app does not do (it compiles the page scripts again, makes mock objects and parses
every element into its tree), the same few milliseconds for both apps, which shrinks the
ratio of two short runs. A benchmark, not a test: it prints figures and ratios. Needs Debian's
chromium (``bash .ci/setup``); nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import websockets
from playwright.sync_api import sync_playwright
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser_harness import ARGS, CHROMIUM, start_app, stop  # noqa: E402  (one way to serve and drive)
from tools.browser_benchmark import naive_beside_static  # noqa: E402
from tools.load_test import NO_WATCHER, cpu_seconds  # noqa: E402

TYPES_KEY = "-event_types"  # the end of the Event type multiselect's widget id in both apps
FINISHED = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR)


def browser_messages(base: str) -> tuple[bytes, BackMsg]:
    """What headless Chromium sends: its first message (the page's first run) and its rerun
    message after it picked "clash" in the Event type filter."""
    sent: list[bytes] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
        page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(f) if isinstance(f, bytes) else None))
        page.goto(base)
        box = page.get_by_role("combobox", name="Event type", exact=True)
        box.wait_for(timeout=90_000)
        page.wait_for_timeout(3000)  # the map reports its view; the page settles
        box.click()
        box.fill("clash")
        page.keyboard.press("Enter")
        page.wait_for_timeout(3000)
        browser.close()
    reruns = []
    for frame in sent:
        msg = BackMsg()
        msg.ParseFromString(frame)
        if msg.WhichOneof("type") == "rerun_script":
            reruns.append((frame, msg))
    change = next(
        msg
        for _, msg in reversed(reruns)
        if not msg.rerun_script.fragment_id
        and any(w.id.endswith(TYPES_KEY) and list(w.string_array_value.data) == ["clash"] for w in _widgets(msg))
    )
    return reruns[0][0], change


def _widgets(msg: BackMsg):
    return msg.rerun_script.widget_states.widgets


def with_types(change: BackMsg, types: list[str]) -> bytes:
    """The browser's filter-change message with these event types picked instead."""
    msg = BackMsg()
    msg.CopyFrom(change)
    widget = next(w for w in _widgets(msg) if w.id.endswith(TYPES_KEY))
    del widget.string_array_value.data[:]
    widget.string_array_value.data.extend(types)
    return msg.SerializeToString()


async def replay(base: str, pid: int, first: bytes, changes: Iterator[bytes], n: int) -> tuple[float, float, float]:
    """Median milliseconds from sending a change to its run's end; server CPU ms and bytes per change."""
    url = base.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(url, subprotocols=["streamlit"], origin=base, max_size=None) as ws:
        sock = ws.transport.get_extra_info("socket")

        async def rerun(message: bytes) -> tuple[float, int]:
            start, size = time.perf_counter(), 0
            await ws.send(message)
            while True:
                # Acknowledge at once, as the browser's connection does in practice. Streamlit's
                # server leaves Nagle's algorithm on (it binds its socket with protocol 0, so
                # asyncio never sets TCP_NODELAY), so once one small message is unacknowledged it
                # holds the rest; this client would then wait for its own delayed ACK, up to
                # 40 ms, which Chromium did not (TCP_NODELAY on the server changed nothing there).
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
                raw = await ws.recv()
                size += len(raw)
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                if msg.WhichOneof("type") == "delta" and msg.delta.new_element.WhichOneof("type") == "exception":
                    raise RuntimeError(f"the app raised: {msg.delta.new_element.exception.message}")
                if msg.WhichOneof("type") == "script_finished" and msg.script_finished in FINISHED:
                    return (time.perf_counter() - start) * 1000, size

        await rerun(first)
        cpu_before = cpu_seconds(pid)
        runs = [await rerun(next(changes)) for _ in range(n)]
        cpu_ms = (cpu_seconds(pid) - cpu_before) * 1000 / n
    return statistics.median(t for t, _ in runs), cpu_ms, statistics.median(s for _, s in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    n = parser.parse_args().repeat
    from geo.load import load_dataset

    types = sorted(set(load_dataset().events["event_type"]))
    pairs = [list(pair) for pair in itertools.combinations(types, 2)]
    if n > len(pairs):
        parser.error(f"--repeat at most {len(pairs)}: a change to a new filter state needs a pair not used yet")
    results: dict[str, dict[str, tuple[float, float, float]]] = {}
    for name, script in (("ours", "streamlit_app.py"), ("naive", naive_beside_static())):
        # PYTHONPATH: the naive app, copied to a temporary folder, imports geo/ and tools/
        with tempfile.TemporaryFile() as log:
            proc, base = start_app(log, script, {"PYTHONPATH": str(ROOT)}, extra=NO_WATCHER)
            try:
                first, change = browser_messages(base)
                new = (with_types(change, pair) for pair in pairs)
                seen = itertools.cycle([with_types(change, ["clash"]), with_types(change, ["statement"])])
                asyncio.run(replay(base, proc.pid, first, seen, 4))  # both states seen, caches warm
                results[name] = {
                    "new": asyncio.run(replay(base, proc.pid, first, new, n)),
                    "seen": asyncio.run(replay(base, proc.pid, first, seen, n)),
                }
            finally:
                stop(proc)
    print(f"a filter change served on loopback, the browser's message replayed; median of {n}")
    for case, label in (("new", "new filter state"), ("seen", "a state seen before")):
        (ot, oc, ob), (nt, nc, nb) = results["ours"][case], results["naive"][case]
        print(f"{label:<21} rerun   ours {ot:7.1f} ms   naive {nt:7.1f} ms   naive/ours {nt / ot:5.1f}x")
        print(f"{'':<21} CPU     ours {oc:7.1f} ms   naive {nc:7.1f} ms   naive/ours {nc / oc:5.1f}x")
        print(f"{'':<21} bytes   ours {ob:7.0f} B    naive {nb:7.0f} B")


if __name__ == "__main__":
    main()
