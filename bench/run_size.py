"""One size of the benchmark, in its own process (so peak RSS is this size's alone).

``python -m bench.run_size --store DIR --size N --repeats R`` prints a JSON list of
``{"size", "measure", "median", "unit", "repeats"}`` on its last line of stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import pickle
import resource
import statistics
import sys
import time
from typing import Any

from geo.events_store import EventQuery, EventStore

REGION = (38.0, 36.0, 52.0, 44.0)  # the app's opening view: the South Caucasus at zoom 7
WORLD = (-180.0, -85.0, 180.0, 85.0)  # "All events": out to Brussels and Washington
SYUNIK = (45.5, 38.8, 46.8, 39.9)
NARROW = EventQuery(
    datasets=("acled",),
    start=dt.date(2022, 9, 1),
    end=dt.date(2022, 12, 31),
    actors=("Military Forces of Azerbaijan",),
)
#: The naive run is skipped when its predicted time exceeds this.
NAIVE_BUDGET_S = 60.0


def peak_rss() -> int:
    """This process's peak resident set, in bytes. VmHWM, not ru_maxrss: Linux carries ru_maxrss
    over exec, so a child of the (large) generating parent would report the parent's peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _timed(fn: Any, repeats: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), out


def view(store: EventStore, query: EventQuery, bbox: tuple, zoom: float) -> tuple[str, str]:
    """One view end to end, as a rerun builds it: map payload and timeline payload, serialized."""
    map_json = json.dumps(store.map_view(query, bbox, zoom).to_payload(), separators=(",", ":"))
    timeline_json = json.dumps(store.timeline_view(query).to_payload(), separators=(",", ":"))
    return map_json, timeline_json


def naive_run(frame: Any) -> int:
    """The tutorial approach: the cached frame unpickled (as st.cache_data does on every hit), a new
    folium Map with one Marker per event, rendered to HTML. Returns the HTML's size in bytes."""
    import folium

    cached = pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)
    events = pickle.loads(cached)
    m = folium.Map(location=[40.0, 45.5], zoom_start=7)
    for lat, lon, title in zip(events["lat"], events["lon"], events["title"], strict=True):
        folium.Marker([lat, lon], popup=title).add_to(m)
    return len(m.get_root().render().encode())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--naive-budget", type=float, default=NAIVE_BUDGET_S)
    args = parser.parse_args(argv)
    n, r = args.size, args.repeats
    out: list[dict[str, Any]] = []

    def record(measure: str, median: float, unit: str, repeats: int) -> None:
        out.append({"size": n, "measure": measure, "median": round(median, 3), "unit": unit, "repeats": repeats})

    # load: open the store in a new engine connection and answer a first count
    load_ms, _ = _timed(lambda: EventStore(args.store, "duckdb").count(), r)
    record("load", load_ms, "ms", r)
    store = EventStore(args.store, "duckdb")  # the shared, loaded store every rerun uses
    store.count()

    ms, (map_json, timeline_json) = _timed(lambda: view(store, EventQuery(), REGION, 7), r)
    record("script_run", ms, "ms", r)
    sizes_map, sizes_timeline = [len(map_json)], [len(timeline_json)]
    ms, (map_json, timeline_json) = _timed(lambda: view(store, NARROW, SYUNIK, 9), r)
    record("filter_narrow", ms, "ms", r)
    sizes_map.append(len(map_json))
    sizes_timeline.append(len(timeline_json))
    ms, (map_json, timeline_json) = _timed(lambda: view(store, EventQuery(), WORLD, 2), r)
    record("view_all", ms, "ms", r)
    sizes_map.append(len(map_json))
    sizes_timeline.append(len(timeline_json))
    # the largest payload of the three views
    record("map_bytes", max(sizes_map), "bytes", 3)
    record("timeline_bytes", max(sizes_timeline), "bytes", 3)
    record("peak_rss", peak_rss(), "bytes", 1)

    # the naive approach, where it finishes within the budget (predicted from a small sample)
    import pyarrow as pa
    import pyarrow.parquet as pq

    from geo.ingest.store import partitions

    tables = [
        pq.read_table(p, columns=["lat", "lon", "title", "date_start", "dataset"]) for p in partitions(args.store)
    ]
    sample_n = min(n, 1000)
    frame_all = pa.concat_tables(tables).to_pandas() if tables else None
    if frame_all is not None:
        t0 = time.perf_counter()
        naive_run(frame_all.head(sample_n))
        predicted = (time.perf_counter() - t0) * n / sample_n
        if predicted <= args.naive_budget:
            naive_repeats = max(1, min(r, int(30 / max(predicted, 0.001))))
            ms, html_bytes = _timed(lambda: naive_run(frame_all), naive_repeats)
            record("naive_script_run", ms, "ms", naive_repeats)
            record("naive_map_bytes", html_bytes, "bytes", naive_repeats)
        else:
            print(
                f"naive run skipped at {n:,}: predicted {predicted:.0f} s > {args.naive_budget:.0f} s", file=sys.stderr
            )
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
