"""The filtered events as a flat table, and as CSV and GeoJSON downloads; imported events as a CSV
of their own, every row marked with where it comes from (never mixed into the curated CSV)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.labels import format_date, source_labels
from geo.load import Dataset
from geo.map.others import DATASET_NAMES

LIST_SEP = ";"
#: The most imported events one CSV holds (the newest first); the page says when it is cut.
IMPORTED_CSV_MAX_ROWS = 50_000
#: The store's columns an imported-events CSV holds, in order (after ``origin``).
IMPORTED_COLUMNS = (
    "dataset",
    "source_id",
    "date_start",
    "date_end",
    "date_precision",
    "title",
    "event_type",
    "sub_event_type",
    "actors",
    "fatalities",
    "location",
    "country",
    "lat",
    "lon",
    "ring_km",
    "source_name",
    "link",
    "source_text",
)


def events_table(events: gpd.GeoDataFrame, data: Dataset) -> gpd.GeoDataFrame:
    """One row per event with lists joined by ';', readable dates, outlets and quotes.

    Keeps the geometry (the point the event is drawn at), so the same frame
    gives the CSV (with longitude/latitude columns) and the GeoJSON.
    """
    outlet = source_labels(data.sources)
    # a plain loop, not a groupby: it also holds when no source or citation loaded
    by_event: dict[str, list[str]] = {}
    for event_id, source_id, quote in zip(
        data.citations["event_id"], data.citations["source_id"], data.citations["quote"], strict=True
    ):
        by_event.setdefault(event_id, []).append(f"{outlet.get(source_id, source_id)}: “{quote}”")
    quotes = pd.Series({e: " | ".join(q) for e, q in by_event.items()}, dtype=object)
    table = pd.DataFrame(
        {
            "event_id": events.index,
            "date": [
                format_date(s, p, e)
                for s, p, e in zip(events["date_start"], events["date_precision"], events["date_end"], strict=False)
            ],
            "date_start": events["date_start"].dt.strftime("%Y-%m-%d"),
            "date_end": events["date_end"].dt.strftime("%Y-%m-%d").fillna(""),
            "date_precision": events["date_precision"],
            "title": events["title"],
            "event_type": events["event_type"],
            "status": events["status"],
            "actor_ids": events["actor_ids"].map(LIST_SEP.join),
            "place_ids": events["place_ids"].map(LIST_SEP.join),
            "source_ids": events["source_ids"].map(LIST_SEP.join),
            "outlets": events["source_ids"].map(lambda ids: LIST_SEP.join(outlet.get(s, s) for s in ids)),
            "summary": events["summary"],
            "quotes": quotes.reindex(events.index).fillna(""),
            "notes": events["notes"],
        },
        index=events.index,
    )
    return gpd.GeoDataFrame(table, geometry=events.geometry, crs=events.crs).reset_index(drop=True)


#: A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading ' so it shows as text; the rest is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(table: gpd.GeoDataFrame) -> bytes:
    """UTF-8 CSV with longitude and latitude columns (empty for events without a place).

    Text cells that start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return are
    prefixed with a single quote, so a spreadsheet shows them instead of evaluating them.
    """
    flat = _neutralised(pd.DataFrame(table.drop(columns="geometry")))
    flat["longitude"] = table.geometry.x.round(5)
    flat["latitude"] = table.geometry.y.round(5)
    return flat.to_csv(index=False).encode("utf-8")


def to_geojson(table: gpd.GeoDataFrame) -> str:
    """A GeoJSON FeatureCollection; events without a place have a null geometry."""
    return table.to_json(na="null", show_bbox=False, drop_id=True, to_wgs84=True)


def _neutralised(flat: pd.DataFrame) -> pd.DataFrame:
    for col in flat.columns:
        if flat[col].dtype == object or pd.api.types.is_string_dtype(flat[col]):
            flat[col] = flat[col].map(neutralise_cell)
    return flat


def imported_csv(rows: pd.DataFrame) -> bytes:
    """UTF-8 CSV of imported events (store rows with :data:`IMPORTED_COLUMNS`), each marked in an
    ``origin`` column ("imported: ACLED"), actors joined by ';', with the formula neutralisation of
    :func:`to_csv`."""
    flat = pd.DataFrame(rows, columns=list(IMPORTED_COLUMNS)).rename(columns={"lat": "latitude", "lon": "longitude"})
    flat.insert(0, "origin", ["imported: " + DATASET_NAMES.get(str(d), str(d)) for d in flat["dataset"]])
    flat["actors"] = [LIST_SEP.join(map(str, a)) if a is not None else "" for a in flat["actors"]]
    return _neutralised(flat).to_csv(index=False).encode("utf-8")
