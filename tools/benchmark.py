"""Print how fast the dashboard is on the curated data, beside a naive app timed in the same run.

    .venv/bin/python tools/benchmark.py [--repeat N]

Both apps run under Streamlit's AppTest in this process: the dashboard (streamlit_app.py)
and ``tools/naive_app.py`` (a tutorial Streamlit + Folium + Plotly app: a new map with one
Marker per event on every rerun). For each: a new session's full run, and a filter change
(a rerun after picking event types), both to a filter state this process has never seen (so
no cache of ours can help) and back to one it has; for the dashboard also selecting an event. Then the
bytes the map sends to the browser per filter change: the live map's data (events layer,
selection, legend) against the naive map's whole Folium HTML. Ratios are naive / ours.
A benchmark, not a test: these machines are shared and noisy, so only the ratios in one
run mean much.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore")


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``fn`` over ``repeat`` runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def line(label: str, ours: float, naive: float | None, unit: str = "ms") -> None:
    ratio = f"   naive/ours {naive / ours:6.1f}x" if naive else ""
    base = f"   naive {naive:10.1f} {unit}" if naive else ""
    print(f"{label:<34} ours {ours:10.1f} {unit}{base}{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    n = parser.parse_args().repeat
    os.chdir(ROOT)

    from streamlit.testing.v1 import AppTest

    ours_app, naive_app = str(ROOT / "streamlit_app.py"), str(ROOT / "tools" / "naive_app.py")
    for app in (ours_app, naive_app):
        AppTest.from_file(app, default_timeout=300).run()  # warm the caches of both

    def session(app: str) -> AppTest:
        at = AppTest.from_file(app, default_timeout=300)
        at.run()
        return at

    from geo.load import load_dataset

    # Every pair of the event types in the data, in a fixed order: a filter state this process
    # has not seen yet each time, so nothing the dashboard caches per filter state can help.
    types = sorted(set(load_dataset().events["event_type"]))
    fresh_states = [list(pair) for pair in itertools.combinations(types, 2)]

    if n > len(fresh_states):  # each app goes through the same pairs, one per timed change
        parser.error(f"--repeat at most {len(fresh_states)}: a change to a new filter state needs a pair not used yet")

    def filter_change(app: str, key: str, *, fresh: bool) -> Callable[[], object]:
        at = session(app)
        values = iter(fresh_states) if fresh else itertools.cycle([["clash"], ["statement"]])
        if not fresh:  # both states seen once, as after a user's first back-and-forth
            for _ in range(2):
                at.multiselect(key=key).set_value(next(values)).run()

        def change() -> None:
            at.multiselect(key=key).set_value(next(values)).run()

        return change

    print(f"machine: {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    print(f"median of {n} runs each, in this process\n")
    line("new session, full run", timed(lambda: session(ours_app), n), timed(lambda: session(naive_app), n))
    line(
        "filter change, new filter state",
        timed(filter_change(ours_app, "event_types", fresh=True), n),
        timed(filter_change(naive_app, "event_types", fresh=True), n),
    )
    line(
        "filter change, a state seen before",
        timed(filter_change(ours_app, "event_types", fresh=False), n),
        timed(filter_change(naive_app, "event_types", fresh=False), n),
    )

    at = session(ours_app)
    ids = list(at.selectbox(key="event_picker").options)
    picks = {"i": 0}

    def select() -> None:
        picks["i"] += 1
        at.session_state["_selected"] = [at.selectbox(key="event_picker").options[picks["i"] % 5]]
        at.run()

    line("select an event (rerun)", timed(select, n), None)
    del ids

    import folium

    from geo.load import load_dataset
    from geo.map import event_records, legend_html

    data = load_dataset()
    records = event_records(data)
    clashes = [e for e in data.events.index[data.events["event_type"] == "clash"] if e in records]
    ours_bytes = len(
        json.dumps({"events": [records[e] for e in clashes], "legend": legend_html(["clash"]), "selected": []})
    )
    m = folium.Map(location=[40.0, 46.0], zoom_start=7)
    for e in clashes:
        ev = data.events.loc[e]
        folium.Marker([ev.geometry.y, ev.geometry.x], tooltip=ev["title"], popup=ev["summary"]).add_to(m)
    naive_bytes = len(m.get_root().render())
    line("map bytes per filter change", ours_bytes, naive_bytes, unit="B ")


if __name__ == "__main__":
    main()
