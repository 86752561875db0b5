"""Print how long the dashboard takes on the curated data (a benchmark, not a test).

    .venv/bin/python tools/benchmark.py [--repeat N]

Times a full script run of the app under Streamlit's AppTest (cold: first run in a
fresh process, loading and caching the data; warm: a new session once the cache is
filled), a filter change (a rerun after picking an event type), and the pure pieces
behind them: loading, the filter index, filtering, building and rendering the map,
and building the timeline.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

warnings.filterwarnings("ignore")


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and best wall time of ``fn`` over ``repeat`` runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def report(label: str, median_ms: float, best_ms: float) -> None:
    print(f"{label:<46} median {median_ms:9.1f} ms   best {best_ms:9.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    n = parser.parse_args().repeat

    from streamlit.testing.v1 import AppTest

    from geo.filters import EventIndex, FilterState, apply_filters
    from geo.load import load_dataset
    from geo.map import build_map
    from geo.timeline import build_timeline

    app = str(ROOT / "streamlit_app.py")
    start = time.perf_counter()
    AppTest.from_file(app, default_timeout=300).run()
    cold = (time.perf_counter() - start) * 1000
    report("full script run, cold (loads and caches data)", cold, cold)
    report("full script run, new session (warm cache)", *timed(lambda: AppTest.from_file(app).run(), n))

    def filter_change() -> None:
        at = AppTest.from_file(app).run()
        start = time.perf_counter()
        at.multiselect(key="event_types").set_value(["statement"]).run()
        filter_change.ms.append((time.perf_counter() - start) * 1000)

    filter_change.ms = []
    for _ in range(n):
        filter_change()
    report("filter change (rerun after picking a type)", statistics.median(filter_change.ms), min(filter_change.ms))

    data = load_dataset()
    index = EventIndex.build(data)
    state = FilterState(actors=("iran",), regions=("syunik",))
    print(f"\ncurated data: {len(data.events)} events, {len(data.citations)} citations, {len(data.places)} places")
    report("load_dataset()", *timed(load_dataset, n))
    report("EventIndex.build()", *timed(lambda: EventIndex.build(data), n))
    report("apply_filters() (actor + region)", *timed(lambda: apply_filters(data.events, state, index), n))
    report("build_map() all events", *timed(lambda: build_map(data.events, data), n))
    report("build_map() + render to HTML", *timed(lambda: build_map(data.events, data).get_root().render(), n))
    for lanes in ("event_type", "actor"):
        report(
            f"build_timeline(lanes={lanes!r})",
            *timed(lambda lanes=lanes: build_timeline(data.events, data, lanes=lanes), n),
        )


if __name__ == "__main__":
    main()
