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
