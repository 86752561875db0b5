"""The plain base and the reference layers, as GeoJSON the browser draws once per tab.

Bottom to top: the plain base (country polygons in a land colour, always drawn, under
the tiles, so the map reads without any tile server), then each reference overlay in
its own pane so that switching one off and on keeps the drawing order. The payload
carries a hash of its content: the browser keeps it per tab and Python sends it again
only when the browser asks.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from geo.style import LAYER_COLORS

#: The default base layer: OpenStreetMap's tiles (the only run-time network use).
TILES = {
    "id": "osm",
    "name": "OpenStreetMap",
    "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "attribution": "© OpenStreetMap contributors",
}

SYUNIK_LABEL = "Syunik (Zangezur)"
EUMA_HQ = "euma-hq"

#: (layer id, name in the layer control, pane z-index): between the tiles (200) and the
#: events (marker pane, 600). Later is drawn on top. The id is what ``?hide=`` names.
OVERLAYS: dict[str, tuple[str, int]] = {
    "countries": ("Country borders", 300),
    "provinces": ("Armenia's provinces (Syunik highlighted)", 310),
    "nakhchivan": ("Nakhchivan Autonomous Republic", 320),
    "karabakh": ("Nagorno-Karabakh (approximate)", 330),
    "euma-area": ("EU Mission area of operations (approximate)", 340),
    "borders": ("Armenia–Azerbaijan border", 350),
    "lachin": ("Lachin corridor", 360),
    "zangezur": ("Proposed Zangezur corridor route", 370),
    "euma-bases": ("EU Mission in Armenia: HQ and forward bases", 380),
}
_DECIMALS = 4  # about 10 m: finer than any of these layers is drawn


def _outline(color: str, weight: float, *, fill_opacity: float = 0.0, dash: str | None = None) -> dict[str, Any]:
    """A polygon style. A transparent fill still shows the tooltip on hover."""
    return {"color": color, "weight": weight, "fillColor": color, "fillOpacity": fill_opacity, "dashArray": dash}


def _line(color: str, weight: float, dash: str | None = None) -> dict[str, Any]:
    return {"color": color, "weight": weight, "opacity": 0.9, "dashArray": dash}


def _names(place: Any) -> str:
    """``Khankendi / Stepanakert / Xankəndi``: the name and every alternative name."""
    return " / ".join([place["name"], *place["alt_names"]])


def _features(places: gpd.GeoDataFrame, styles: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """A FeatureCollection of ``places`` with rounded coordinates, a label and an optional own style."""
    features = []
    for place_id, place in places.iterrows():
        geometry = shapely.transform(place.geometry, lambda c: np.round(c, _DECIMALS))
        properties: dict[str, Any] = {"id": place_id, "label": _names(place)}
        if styles and place_id in styles:
            properties["style"] = styles[place_id]
        features.append({"type": "Feature", "geometry": shapely.geometry.mapping(geometry), "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def _syunik_label(syunik: Any) -> dict[str, Any]:
    """The Syunik label, inside the province's northern third, clear of where events "in Syunik" sit."""
    x0, y0, x1, y1 = syunik.bounds
    point = syunik.intersection(shapely.box(x0, y1 - (y1 - y0) / 3, x1, y1)).representative_point()
    return {"text": SYUNIK_LABEL, "lat": round(point.y, _DECIMALS), "lon": round(point.x, _DECIMALS)}


def _layers(places: gpd.GeoDataFrame) -> dict[str, tuple[gpd.GeoDataFrame, dict[str, Any], dict[str, Any]]]:
    """Overlay id -> (its places, its style, per-place styles)."""
    kind = places["kind"]
    provinces = places[(kind == "region") & (places["country"] == "ARM")]
    bases = places[kind == "mission_base"]
    bases = bases.loc[sorted(bases.index, key=lambda p: p != EUMA_HQ)]  # HQ first: a base at its town on top
    euma = LAYER_COLORS["euma"]
    return {
        "countries": (places[kind == "country"], _outline(LAYER_COLORS["country"], 1.2), {}),
        "provinces": (
            provinces,
            _outline(LAYER_COLORS["province"], 1),
            {"syunik": _outline(LAYER_COLORS["syunik"], 3, fill_opacity=0.18)},
        ),
        "nakhchivan": (
            places[places.index == "nakhchivan"],
            _outline(LAYER_COLORS["nakhchivan"], 2, fill_opacity=0.12),
            {},
        ),
        "karabakh": (
            places[places.index == "nagorno-karabakh"],
            _outline(LAYER_COLORS["nagorno-karabakh"], 2, fill_opacity=0.1, dash="6 4"),
            {},
        ),
        "euma-area": (places[kind == "mission_area"], _outline(euma, 1.5, fill_opacity=0.07, dash="3 4"), {}),
        "borders": (places[kind == "border"], _line(LAYER_COLORS["border"], 2.5), {}),
        "lachin": (places[kind == "corridor"], _line(LAYER_COLORS["lachin-corridor"], 4), {}),
        "zangezur": (places[kind == "route"], _line(LAYER_COLORS["zangezur-corridor"], 4, dash="8 6"), {}),
        "euma-bases": (
            bases,
            {"radius": 5, "color": euma, "weight": 2, "fillColor": "#ffffff", "fillOpacity": 1.0},
            {EUMA_HQ: {"radius": 10, "color": "#ffffff", "weight": 2, "fillColor": euma, "fillOpacity": 1.0}},
        ),
    }


def reference_payload(places: gpd.GeoDataFrame) -> dict[str, Any]:
    """The base map for the browser: tiles, the plain base and every overlay, with a content hash."""
    layers: list[dict[str, Any]] = []
    countries = places[places["kind"] == "country"]
    if not countries.empty:
        land = {"fillColor": LAYER_COLORS["base_fill"], "fillOpacity": 1.0, "color": "#c9c3b8", "weight": 0.8}
        layers.append(
            {"id": "plain-base", "name": "", "z": 150, "overlay": False, "interactive": False, "style": land}
            | {"geojson": _features(countries)}
        )
    for layer_id, (rows, style, own) in _layers(places).items():
        if rows.empty:
            continue
        name, z = OVERLAYS[layer_id]
        layer = {"id": layer_id, "name": name, "z": z, "overlay": True, "interactive": True, "style": style}
        layer["geojson"] = _features(rows, own)
        if layer_id == "provinces" and "syunik" in rows.index:
            layer["labels"] = [_syunik_label(rows.geometry["syunik"])]
        layers.append(layer)
    payload = {"tiles": TILES, "layers": layers, "water": LAYER_COLORS["base_water"]}
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]
    return payload | {"hash": digest}
