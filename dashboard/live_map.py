"""The live map: a small Streamlit custom component (v2) around the vendored Leaflet.

Why not ``st_folium``: streamlit-folium keeps a map mounted while its Leaflet script
stays the same, but (1) every update sends the whole map script again (≈ 480 KB with
our reference layers), not just the changed layer; (2) it reports neither the base
layer nor which overlays the user switched off, so a shared link or a return to the
page cannot restore them; (3) it can only ``setView`` (no "pan into view without
zooming out", no closing another event's popup). This component sends the reference
layers once per browser tab (cached by hash), then only the events, the selection and
the legend; it reports the view (centre, zoom, base layer, hidden overlays) as state and
a clicked event as a trigger. The drawing is ``static/map/live_map.js``; what it draws
is built, without Streamlit, in :mod:`geo.map`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from dashboard.static_files import MODULE_STUB, static_url

_MODULE = "map/live_map.js"
_VENDOR_JS = ("vendor/leaflet/leaflet.js", "vendor/leaflet.markercluster/leaflet.markercluster.js")
_VENDOR_CSS = (
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet.markercluster/MarkerCluster.css",
    "vendor/leaflet.markercluster/MarkerCluster.Default.css",
)
_CSS = (Path(__file__).resolve().parent / "live_map.css").read_text(encoding="utf-8")

_component = st.components.v2.component("south_caucasus_live_map", js=MODULE_STUB, css=_CSS, isolate_styles=False)


def assets() -> dict[str, Any]:
    return {"js": [static_url(p) for p in _VENDOR_JS], "css": [static_url(p) for p in _VENDOR_CSS]}


def live_map(
    *,
    key: str,
    base_hash: str,
    base_json: str,
    send_base: bool,
    events: list[dict[str, Any]],
    legend: str,
    selected: list[str],
    focus: dict[str, Any] | None,
    view: dict[str, Any] | None,
    height: int,
    others: list[dict[str, Any]] | None = None,
    on_view_change: Callable[[], None],
    on_clicked_change: Callable[[], None],
    on_need_base_change: Callable[[], None],
) -> Any:
    """Mount (or update) the map. ``base_json`` is :func:`geo.map.reference_payload` as JSON text,
    made once per process: sent as a string, the component's own ``json.dumps`` (of the data, then
    of its identity) only copies it (≈ 0.4 ms, against ≈ 6 ms for the 217 KB of layers as a dict).
    It is sent only when ``send_base`` (the browser asks with ``need_base`` when it lacks the
    layers of ``base_hash``)."""
    data = {
        "module": static_url(_MODULE),
        "assets": assets(),
        "base": {"hash": base_hash, "json": base_json} if send_base else {"hash": base_hash},
        "events": events,
        "legend": legend,
        "selected": selected,
        "focus": focus,
        "view": view,
        "height": height,
        "others": others or [],
    }
    return _component(
        key=key,
        data=data,
        height=height,
        on_view_change=on_view_change,
        on_clicked_change=on_clicked_change,
        on_need_base_change=on_need_base_change,
    )
