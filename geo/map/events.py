"""The events as the browser's map draws them: one small record per placed event.

Records are built once per dataset (:func:`event_records`) and a filter only picks
among them, so a filter change costs a dictionary look-up per event. Each record
carries its symbol (colour by type; filled, hollow or dotted by status; larger and
fainter for vaguer dates; a circle where it happened, a diamond for a place it only
concerns, a centre dot when the place was assumed), a plain-text tooltip and the
popup's escaped HTML (the same template as the side panel).
"""

from __future__ import annotations

import re
from typing import Any

import geopandas as gpd

from geo.eventview import event_html, place_role
from geo.labels import format_date
from geo.load import Dataset
from geo.schema import SLUG
from geo.style import PRECISION_FADE, PRECISION_RADIUS, STATUS_STYLE, event_color

_BRACKETED = re.compile(r"\[([^\[\]]*)\]")


def unplaced_events(events: gpd.GeoDataFrame) -> list[str]:
    """Ids of the events that have no place, so are not on the map (timeline only)."""
    missing = events.geometry.isna() | events.geometry.is_empty
    return events.index[missing].tolist()


def event_symbol(event: Any) -> dict[str, Any]:
    """How one event is drawn; the legend uses the same numbers."""
    status = STATUS_STYLE[event["status"]]
    fade = PRECISION_FADE[event["date_precision"]]
    role = place_role(event)
    return {
        "r": PRECISION_RADIUS[event["date_precision"]],
        "color": event_color(event["event_type"]),
        "fill": round(float(status["fill_opacity"]) * fade, 3),
        "opacity": round(0.5 + 0.5 * fade, 3),
        "dash": status["dash_array"],
        "shape": "diamond" if role == "concerns" else "circle",
        "assumed": role == "assumed",
    }


def tooltip_text(event: Any) -> str:
    """``<title> · <date at its precision> [<event_id>]``, plain text (the browser sets it as text)."""
    when = format_date(event["date_start"], event["date_precision"], event["date_end"])
    return f"{event['title']} · {when} [{event.name}]"


def event_id_from_text(text: str | None, known: set[str] | frozenset[str] | None = None) -> str | None:
    """The event id in the last ``[...]`` of a tooltip-like text, if it is a slug (and, given
    ``known``, one of those ids); None otherwise."""
    groups = _BRACKETED.findall(text or "")
    if not groups:
        return None
    candidate = groups[-1].strip()
    if not re.fullmatch(SLUG, candidate) or (known is not None and candidate not in known):
        return None
    return candidate


def event_records(data: Dataset) -> dict[str, dict[str, Any]]:
    """event_id -> the record the browser draws, for every placed event of ``data``."""
    records: dict[str, dict[str, Any]] = {}
    placed = data.events.drop(index=unplaced_events(data.events))
    for event_id, event in placed.iterrows():
        records[event_id] = {
            "id": event_id,
            "lat": round(float(event.geometry.y), 5),
            "lon": round(float(event.geometry.x), 5),
            "style": event_symbol(event),
            "tooltip": tooltip_text(event),
            "popup": event_html(event_id, data, compact=True),
        }
    return records
