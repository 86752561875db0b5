"""geo.timeline_imported: imported events under the curated lanes, titled as not curated: marks when
few, counts per period when many, hover text escaped; an upload gets the same view from memory."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from geo.events_store import EventQuery, EventStore, TimelineView
from geo.timeline_imported import UPLOAD, build_imported_timeline, rows_timeline_view, title


@pytest.fixture(scope="module")
def store(imported_store_dir) -> EventStore:
    return EventStore(imported_store_dir, "duckdb")


def _texts(fig) -> str:
    """Everything Plotly may render as HTML-ish text (customdata is never rendered)."""
    out = fig.to_plotly_json()
    for trace in out["data"]:
        trace.pop("customdata", None)
    return json.dumps(out, default=str)


def test_few_events_are_marks_in_a_lane_per_dataset(store):
    view = store.timeline_view(EventQuery(datasets=("acled", "ucdp")))
    assert view.mode == "marks" and view.total == 7
    fig = build_imported_timeline(view, "Imported: ACLED, UCDP GED", time_range=("2020-01-01", "2024-01-01"))
    assert fig.layout.title.text == "Imported: ACLED, UCDP GED (not curated)<br>7 events, one mark each"
    assert sum(len(t.y) for t in fig.data) == 7
    assert sorted(fig.layout.yaxis.ticktext) == ["ACLED", "UCDP GED"]  # a lane per dataset
    assert {t.type for t in fig.data} == {"scatter", "bar"}  # days as squares, longer spans as bars
    hovers = [h for t in fig.data for h in t.hovertext]
    assert all("not curated" in h and h.count("Imported: ") == 1 for h in hovers)
    assert any("Imported: ACLED ARM1001" in h for h in hovers)
    assert [str(v)[:10] for v in fig.layout.xaxis.range] == ["2020-01-01", "2024-01-01"]  # lined up


def test_many_events_are_counts_per_period_stacked_by_dataset(store):
    view = store.timeline_view(EventQuery(), threshold=5)
    fig = build_imported_timeline(view, "Imported: ACLED, UCDP GED, GDELT, timemap")
    assert view.mode == "counts" and view.unit == "week"
    assert fig.layout.title.text.endswith("(not curated)<br>13 events, counts per week")
    assert fig.layout.barmode == "stack" and {t.type for t in fig.data} == {"bar"}
    assert sum(sum(t.y) for t in fig.data) == 13
    assert {t.name for t in fig.data} == {"ACLED", "UCDP GED", "GDELT", "timemap"}
    assert all("not curated" in t.hovertemplate for t in fig.data)


def test_data_text_is_escaped():
    evil = '<img src=x onerror="alert(1)">'
    marks = [
        {"dataset": "acled", "source_id": evil, "date_start": dt.date(2022, 9, 13), "date_end": dt.date(2022, 9, 13),
         "date_precision": "day", "title": evil, "event_type": "<script>x</script>"},
    ]  # fmt: skip
    fig = build_imported_timeline(TimelineView("marks", 1, marks=marks), "Imported: ACLED")
    text = _texts(fig)
    assert "<img" not in text and "<script>" not in text and "&lt;img" in text
    assert fig.layout.title.text == "Imported: ACLED (not curated)<br>1 event, one mark each"


def test_nothing_in_the_filters_draws_an_empty_chart_that_says_so():
    fig = build_imported_timeline(TimelineView("marks", 0), "Imported: GDELT")
    assert list(fig.data) == [] and "0 events" in fig.layout.title.text


def test_an_upload_in_memory_gets_the_same_view():
    rows = [
        {"source_id": str(i), "date_start": dt.date(2022, 1, 1) + dt.timedelta(days=i), "date_precision": "day",
         "title": f"event {i}", "event_type": "Battles"}
        for i in range(40)
    ]  # fmt: skip
    marks = rows_timeline_view(rows)
    assert marks.mode == "marks" and marks.total == 40 and {m["dataset"] for m in marks.marks} == {UPLOAD}
    counts = rows_timeline_view(rows, threshold=10, unit="week")
    assert counts.mode == "counts" and sum(c["count"] for c in counts.counts) == 40
    assert counts.counts[0]["period"] == dt.date(2021, 12, 27)  # weeks start on Monday, as in the engine
    fig = build_imported_timeline(counts, "Uploaded by you")
    assert title(counts, "Uploaded by you") == "Uploaded by you (not curated) — 40 events, counts per week"
    assert "Uploaded by you" in fig.data[0].hovertemplate
    assert rows_timeline_view([{"date_start": None}]).total == 0  # undated rows are not drawn
