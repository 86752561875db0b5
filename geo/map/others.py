"""Other people's events on the map: imported datasets (ACLED, UCDP, GDELT, timemap) and files a
user uploads, never mixed into the curated records.

They are drawn as squares (the curated events are circles and diamonds), sized and faded by
date precision like the curated ones; a place the dataset gives only roughly gets a dashed
ring of its radius (``ring_km``), never a precise pin. Each popup says where the event comes
from ("Imported: ACLED", "Uploaded by you") and keeps the dataset's own source text and link.
Many events come as grid cells with counts (:meth:`geo.events_store.EventStore.map_view`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from geo.labels import format_date
from geo.style import PRECISION_FADE, PRECISION_RADIUS
from geo.templating import render

#: Colours of the layers of other people's data, by dataset (the curated colours are by type).
DATASET_COLORS: dict[str, str] = {"acled": "#5b3a29", "ucdp": "#2f4b7c", "gdelt": "#4f6d7a", "timemap": "#6b4c9a"}
UPLOAD_COLOR = "#c2185b"
DATASET_NAMES = {"acled": "ACLED", "ucdp": "UCDP GED", "gdelt": "GDELT", "timemap": "timemap"}


def _day(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def other_record(row: Mapping[str, Any], *, origin: str) -> dict[str, Any] | None:
    """The map record of one imported or uploaded event (a store row); None without coordinates.

    ``origin`` says where it comes from in the popup and tooltip: "Imported: ACLED", "Uploaded by you".
    """
    try:
        lat, lon = float(row["lat"]), float(row["lon"])
    except (KeyError, TypeError, ValueError):
        return None
    precision = row.get("date_precision") if row.get("date_precision") in PRECISION_RADIUS else "day"
    start, end = _day(row.get("date_start")), _day(row.get("date_end"))
    when = format_date(start, "day", end if end and end != start else None) if start else "date unknown"
    color = UPLOAD_COLOR if origin.startswith("Uploaded") else DATASET_COLORS.get(row.get("dataset", ""), "#555555")
    fade = PRECISION_FADE[precision]
    title = str(row.get("title") or row.get("event_type") or "event")
    actors = row.get("actors")
    actors = list(actors) if isinstance(actors, Iterable) and not isinstance(actors, str) else []
    ring = float(row.get("ring_km") or 0.0)
    return {
        "id": f"{row.get('dataset', 'upload')}:{row.get('source_id', '')}",
        "lat": round(lat, 5),
        "lon": round(lon, 5),
        "style": {
            "r": PRECISION_RADIUS[precision] - 1,
            "color": color,
            "fill": round(0.8 * fade, 3),
            "opacity": round(0.5 + 0.5 * fade, 3),
            "dash": None,
            "shape": "square",
            "assumed": False,
        },
        "ring_km": ring,
        "tooltip": f"{origin} · {title} · {when}",
        "popup": render(
            "other_event.html.j2",
            ev={
                "origin": origin,
                "title": title,
                "when": when,
                "precision": precision,
                "ring_km": ring,
                "event_type": row.get("event_type") or "",
                "actors": actors,
                "location": row.get("location") or "",
                "fatalities": row.get("fatalities"),
                "source_name": row.get("source_name") or "",
                "source_text": row.get("source_text") or "",
                "link": row.get("link") or "",
                "id": f"{DATASET_NAMES.get(row.get('dataset', ''), row.get('dataset', ''))} {row.get('source_id', '')}",
            },
        ),
    }


def others_layer(layer_id: str, name: str, rows: Iterable[Mapping[str, Any]], *, origin: str) -> dict[str, Any]:
    """A layer of single events for the browser."""
    events = [r for r in (other_record(row, origin=origin) for row in rows) if r is not None]
    return {"id": layer_id, "name": name, "kind": "events", "events": events, "message": ""}


def cells_layer(layer_id: str, name: str, cells: Iterable[Mapping[str, Any]], message: str) -> dict[str, Any]:
    """A layer of grid cells with counts, and the sentence that says so."""
    items = [{"lat": float(c["lat"]), "lon": float(c["lon"]), "count": int(c["count"])} for c in cells]
    return {"id": layer_id, "name": name, "kind": "cells", "cells": items, "message": message}
