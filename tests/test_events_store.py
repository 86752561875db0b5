"""geo.events_store: the same Ibis queries on DuckDB (default) and Spark (local mode) over a store
imported from the fixtures: filters, counts, grid cells by zoom, timeline counts, single events
under a threshold, one event for the panel."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import shutil
from pathlib import Path

import pytest

from geo.events_store import (
    MAX_CELLS,
    EventQuery,
    EventStore,
    cell_size,
    configured_engine,
    curated_actor_names,
    get_store,
)
from geo.ingest import ingest_file

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
REGION = (38.0, 36.0, 52.0, 44.0)

_JAVA = shutil.which("java") or (os.environ.get("JAVA_HOME") and Path(os.environ["JAVA_HOME"], "bin", "java").exists())
spark_needs_java = pytest.mark.skipif(
    not _JAVA or importlib.util.find_spec("pyspark") is None,
    reason="the Spark engine needs Java and pyspark: .ci/setup installs default-jre-headless and the test extras",
)


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("caucasus-events-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module", params=["duckdb", pytest.param("spark", marks=spark_needs_java)])
def store(request, imported_store_dir) -> EventStore:
    """The fixtures' store (conftest's ``imported_store_dir``) on each engine."""
    if request.param == "spark":
        return EventStore(imported_store_dir, "spark", spark=request.getfixturevalue("spark"))
    return EventStore(imported_store_dir, "duckdb")


# 13 events: acled 4 (after the update), ucdp 3, gdelt 3, timemap 3


def test_filters(store):
    assert store.count() == 13
    assert store.counts_by_dataset() == {"acled": 4, "ucdp": 3, "gdelt": 3, "timemap": 3}
    assert store.count(EventQuery(datasets=("acled", "ucdp"))) == 7
    # dates: every event whose span overlaps the range (ACLED's week around 20 September, UCDP's month)
    assert store.count(EventQuery(start=dt.date(2022, 9, 14), end=dt.date(2022, 9, 14))) == 4
    assert store.count(EventQuery(start=dt.date(2023, 1, 1))) == 1
    assert store.count(EventQuery(end=dt.date(2021, 12, 31))) == 1
    # a box around Jermuk
    assert store.count(EventQuery(bbox=(45.5, 39.7, 45.8, 39.9))) == 5
    # text: title, source text, place or actor, any case
    assert store.count(EventQuery(text="JERMUK")) == 8
    # actors: whole names, any case
    assert store.count(EventQuery(actors=("government of armenia",))) == 3
    assert store.count(EventQuery(actors=("Government of Arm",))) == 0
    both = EventQuery(datasets=("acled",), text="syunik", start=dt.date(2022, 10, 1))
    assert store.count(both) == 1


def test_grid_cells_sum_to_the_events_in_view(store):
    cells, cell = store.grid(None, REGION, 6)
    assert list(cells.columns) == ["lat", "lon", "count"]
    assert cells["count"].sum() == 13 and cell == pytest.approx(360 / 2**6 / 8)
    assert cells["count"].is_monotonic_decreasing
    # each cell sits where its events are, inside the region
    assert cells["lat"].between(36, 44).all() and cells["lon"].between(38, 52).all()
    # zooming in splits cells; a narrower view counts only what it holds
    finer, _ = store.grid(None, REGION, 10)
    assert len(finer) > len(cells) and finer["count"].sum() == 13
    jermuk, _ = store.grid(EventQuery(datasets=("gdelt",)), (45.5, 39.0, 46.0, 40.5), 8)
    assert jermuk["count"].sum() == 2  # the third GDELT event is Armenia's centroid, outside the box


def test_map_view_switches_from_events_to_cells(store):
    few = store.map_view(EventQuery(datasets=("ucdp",)), REGION, 7, threshold=5)
    assert few.mode == "events" and few.total == 3 and len(few.events) == 3
    assert {"lat", "lon", "ring_km", "date_precision", "title", "dataset", "source_id"} <= set(few.events[0])
    many = store.map_view(None, REGION, 7, threshold=5)
    assert many.mode == "cells" and many.total == 13
    assert many.message == (
        f"13 imported events shown as {len(many.cells)} cells; zoom in or filter to see single events"
    )
    payload = many.to_payload()
    assert json.loads(json.dumps(payload)) == payload
    assert sum(c[2] for c in payload["cells"]) == 13
    events_payload = few.to_payload()
    assert json.dumps(events_payload) and events_payload["events"][0]["date_start"][:2] == "20"


def test_timeline_counts_and_marks(store):
    months, unit = store.timeline(None, "month")
    assert unit == "month" and months["count"].sum() == 13
    sept = months[months["period"] == dt.date(2022, 9, 1)]
    assert dict(zip(sept["dataset"], sept["count"], strict=True)) == {"acled": 2, "gdelt": 3, "timemap": 3, "ucdp": 2}
    weeks, _ = store.timeline(EventQuery(datasets=("gdelt",)), "week")
    assert list(weeks["period"]) == [dt.date(2022, 9, 12)] and list(weeks["count"]) == [3]  # ISO weeks start Monday
    days, auto = store.timeline(EventQuery(datasets=("timemap",)))
    assert auto == "day" and list(days["count"]) == [1, 1, 1]
    view = store.timeline_view(None, threshold=5)
    assert view.mode == "counts" and view.total == 13 and view.unit == "week"  # 2020–2023 spans over 120 days
    marks = store.timeline_view(EventQuery(datasets=("ucdp",)), threshold=5)
    assert marks.mode == "marks" and {m["date_precision"] for m in marks.marks} == {"day", "month", "year"}
    assert json.dumps(view.to_payload()) and json.dumps(marks.to_payload())


def test_single_event_for_the_panel(store):
    event = store.event("acled", "ARM1001")
    assert event["fatalities"] == 4 and event["file"] == "acled_2022_update.csv"
    assert event["actors"] == ["Military Forces of Azerbaijan (2003-)", "Military Forces of Armenia (2018-)"]
    assert event["date_start"] == "2022-09-13" and json.loads(event["raw"])["interaction"] == "11"
    assert store.event("acled", "nope") is None
    assert store.event("gdelt", "1056789012")["link"] == "https://www.example.org/news/armenia-azerbaijan-clash"


def test_actor_names_and_matches_to_curated_actors(store, data):
    names = store.actor_names()
    assert list(names.columns) == ["name", "count"] and names["count"].sum() == 21
    assert (names.iloc[0]["name"], names.iloc[0]["count"]) == ("ARMENIA", 3)  # most frequent, then by name
    matches = store.actor_matches(curated_actor_names(data.actors))
    # GDELT names countries in capitals: they match the curated states by name, nothing else does
    assert matches == {"armenia": ["ARMENIA"], "azerbaijan": ["AZERBAIJAN"]}
    assert store.count(EventQuery(actors=tuple(matches["armenia"]))) == 3


def test_store_picks_up_new_imports(tmp_path):
    store = EventStore(tmp_path, "duckdb")
    assert store.count() == 0 and store.map_view(None, REGION, 7).mode == "events"
    assert store.timeline(None)[0].empty
    ingest_file(FIXTURES / "ucdp_ged.csv", "ucdp", tmp_path)
    assert store.count() == 3


def test_cell_size_bounds_the_payload():
    assert cell_size(0) == pytest.approx(45.0)
    # a world view at a high zoom still yields a bounded grid
    w, s, e, n = (-180, -90, 180, 90)
    size = cell_size(12, (w, s, e, n))
    assert ((e - w) / size + 1) * ((n - s) / size + 1) <= MAX_CELLS


def test_engine_from_configuration(monkeypatch, tmp_path):
    monkeypatch.delenv("CAUCASUS_ENGINE", raising=False)
    assert configured_engine() == "duckdb"
    monkeypatch.setenv("CAUCASUS_ENGINE", "Spark")
    assert configured_engine() == "spark"
    monkeypatch.setenv("CAUCASUS_ENGINE", "oracle")
    with pytest.raises(ValueError, match="CAUCASUS_ENGINE"):
        configured_engine()
    monkeypatch.setenv("CAUCASUS_ENGINE", "duckdb")
    monkeypatch.setenv("CAUCASUS_STORE_DIR", str(tmp_path))
    assert get_store() is get_store()  # one per process
    assert get_store().store_dir == str(tmp_path)


def test_an_actor_filter_that_matched_nothing_keeps_nothing(store):
    assert store.count(EventQuery(actors=None)) == 13  # no actor filter
    assert store.count(EventQuery(actors=())) == 0  # an actor filter that matched no imported name
    assert store.count(EventQuery(actors=("", " "))) == 0
    assert store.map_view(EventQuery(actors=()), REGION, 7).total == 0
    assert store.timeline_view(EventQuery(actors=())).total == 0


def test_actor_matches_within_a_query(store, data):
    curated = curated_actor_names(data.actors)
    assert store.actor_matches(curated, EventQuery(datasets=("gdelt",))) == {
        "armenia": ["ARMENIA"],
        "azerbaijan": ["AZERBAIJAN"],
    }
    assert store.actor_matches(curated, EventQuery(datasets=("acled",))) == {}


def test_a_timeline_of_nothing_counts_nothing(store):
    """Counts asked for a query that matches no event: no span to pick a period from, no crash."""
    view = store.timeline_view(EventQuery(text="no event says this"), threshold=-1)
    assert view.mode == "counts" and view.total == 0 and view.counts == []


def test_a_span_without_an_end_picks_a_period():
    """Rows with a start but no end date (no reader writes them today): the span is open, not an error."""
    import pandas as pd

    from geo.events_store import _span, timeline_unit

    first, last = _span(pd.DataFrame({"lo": [pd.Timestamp("2022-09-13")], "hi": [pd.NaT]}))
    assert (first, last) == (dt.date(2022, 9, 13), None)
    assert timeline_unit(first, last) == "day"
