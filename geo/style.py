"""Colours and symbols shared by the map, the timeline and the legend.

One place decides how an event looks, so the map and the timeline agree.
Colours are the Okabe–Ito / Tableau-like palette, readable by most people with
colour-vision deficiencies; the status is also shown by shape, not colour alone.
"""

from __future__ import annotations

EVENT_COLORS: dict[str, str] = {
    "statement": "#4e79a7",
    "meeting": "#59a14f",
    "agreement": "#76b7b2",
    "decision": "#9c755f",
    "diplomatic_protest": "#b07aa1",
    "clash": "#e15759",
    "war": "#a50f15",
    "military_operation": "#d62728",
    "military_exercise": "#f28e2b",
    "deployment": "#edc948",
    "arms_transfer": "#ff9da7",
    "seizure": "#8c564b",
    "displacement": "#7f3c8d",
    "election": "#17becf",
    "other": "#7f7f7f",
}

#: How each status is drawn: reported events are filled, claims are hollow and dashed.
STATUS_STYLE: dict[str, dict[str, object]] = {
    "reported": {"fill_opacity": 0.85, "dash_array": None, "label": "reported (filled)"},
    "claimed": {"fill_opacity": 0.1, "dash_array": "4 3", "label": "claim (hollow, dashed)"},
    "disputed": {"fill_opacity": 0.4, "dash_array": "1 3", "label": "disputed (dotted)"},
}

#: Radius in pixels by date precision: the vaguer the date, the larger and fainter the mark.
PRECISION_RADIUS: dict[str, int] = {"day": 7, "month": 11, "year": 15}

#: Vaguer dates are drawn fainter: the fill opacity of the status is scaled by this.
PRECISION_FADE: dict[str, float] = {"day": 1.0, "month": 0.6, "year": 0.35}

#: Layer colours for the geometry.
LAYER_COLORS: dict[str, str] = {
    "country": "#555555",
    "province": "#8a8a8a",
    "syunik": "#d95f02",
    "nakhchivan": "#1b9e77",
    "nagorno-karabakh": "#7570b3",
    "border": "#000000",
    "lachin-corridor": "#e7298a",
    "zangezur-corridor": "#66a61e",
    "euma": "#003399",
    "base_fill": "#f2efe9",
    "base_water": "#dbe9f4",
}


def event_color(event_type: str) -> str:
    return EVENT_COLORS.get(event_type, EVENT_COLORS["other"])
