"""Downloads of the filtered events: CSV and GeoJSON."""

from __future__ import annotations

import io
import json

import pandas as pd

from geo.export import events_table, to_csv, to_geojson
from geo.filters import FilterState, apply_filters


def test_csv_has_one_row_per_event_with_coordinates(data):
    table = events_table(data.events, data)
    csv = pd.read_csv(io.BytesIO(to_csv(table)), keep_default_na=False)
    assert len(csv) == len(data.events)
    assert set(csv["event_id"]) == set(data.events.index)
    row = csv.set_index("event_id").loc["khankendi-parade-2023-11-08"]
    assert abs(float(row["longitude"]) - 46.75) < 0.1 and abs(float(row["latitude"]) - 39.82) < 0.1
    assert row["date"] == "8 Nov 2023" and "Khankendi to Azerbaijanis" in row["quotes"]
    unplaced = csv.set_index("event_id").loc["october-7-war-2023-10-07"]
    assert unplaced["longitude"] == "" and unplaced["latitude"] == ""


def test_geojson_follows_the_filters(data, index):
    events = apply_filters(data.events, FilterState(event_types=("clash",)), index)
    doc = json.loads(to_geojson(events_table(events, data)))
    assert doc["type"] == "FeatureCollection"
    assert {f["properties"]["event_id"] for f in doc["features"]} == set(events.index)
    assert all(f["geometry"]["type"] == "Point" for f in doc["features"])


def test_geojson_keeps_events_without_a_place(data):
    doc = json.loads(to_geojson(events_table(data.events, data)))
    assert len(doc["features"]) == len(data.events)
    nulls = {f["properties"]["event_id"] for f in doc["features"] if f["geometry"] is None}
    assert nulls == {e for e, ids in data.events["place_ids"].items() if not ids}


# --- hostile cells and missing data ---------------------------------------------------------


def test_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas(data):
    from geo.export import neutralise_cell

    table = events_table(data.events.iloc[:5], data)
    payloads = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
    table["title"] = payloads[:5]
    table["notes"] = ["plain", "a=b", "", "'=already quoted", "x-y"]
    csv = pd.read_csv(io.BytesIO(to_csv(table)), keep_default_na=False, dtype=str)
    assert list(csv["title"]) == ["'" + p for p in payloads[:5]]
    assert list(csv["notes"]) == ["plain", "a=b", "", "'=already quoted", "x-y"]
    assert neutralise_cell(payloads[5]) == "'\rx"  # the loader rejects a CR in text; this is belt and braces
    # numbers stay numbers: a western longitude is not text
    assert neutralise_cell(-1.5) == -1.5 and neutralise_cell("-1.5") == "'-1.5"


def test_exports_do_not_raise_when_no_source_loads(data_copy):
    from geo.load import load_dataset

    (data_copy / "sources.csv").write_text("", encoding="utf-8")
    broken = load_dataset(data_copy)
    assert broken.sources.empty and broken.citations.empty
    table = events_table(broken.events, broken)
    csv = pd.read_csv(io.BytesIO(to_csv(table)), keep_default_na=False)
    assert len(csv) == len(broken.events) and "quotes" in csv.columns
    assert json.loads(to_geojson(table))["type"] == "FeatureCollection"


def test_exports_of_an_empty_selection_keep_their_headers(data):
    table = events_table(data.events.iloc[:0], data)
    header = to_csv(table).decode().splitlines()
    assert header[0].startswith("event_id,date,") and len(header) == 1
    assert json.loads(to_geojson(table))["features"] == []


def test_data_page_opens_when_no_source_loads(monkeypatch, data_copy):
    from streamlit.testing.v1 import AppTest

    from dashboard.data import get_data
    from tests.conftest import ROOT

    (data_copy / "sources.csv").write_text("", encoding="utf-8")
    monkeypatch.setenv("CAUCASUS_DATA_DIR", str(data_copy))
    get_data.clear()
    try:
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120).run()
        at.switch_page("dashboard/pages/data_table.py").run()
        assert not at.exception, at.exception
        assert any("No events to list" in i.value for i in at.info)
    finally:
        get_data.clear()


def test_imported_csv_marks_every_row_and_neutralises_formulas(imported_store_dir):
    from geo.events_store import EventQuery, EventStore
    from geo.export import IMPORTED_COLUMNS, imported_csv

    store = EventStore(imported_store_dir, "duckdb")
    rows = store.events(EventQuery(datasets=("acled", "gdelt")), limit=100, columns=IMPORTED_COLUMNS)
    rows.loc[0, "title"] = '=HYPERLINK("http://evil.example","x")'
    rows.loc[1, "source_text"] = "@SUM(A1)"
    csv = pd.read_csv(io.BytesIO(imported_csv(rows)), keep_default_na=False, dtype=str)
    assert list(csv.columns[:3]) == ["origin", "dataset", "source_id"] and len(csv) == 7
    assert set(csv["origin"]) == {"imported: ACLED", "imported: GDELT"}
    assert csv.loc[0, "title"].startswith("'=") and csv.loc[1, "source_text"] == "'@SUM(A1)"
    assert "Military Forces of Azerbaijan (2003-);Military Forces of Armenia (2018-)" in set(csv["actors"])
    assert {"latitude", "longitude"} <= set(csv.columns)
