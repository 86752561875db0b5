"""The folium map of events, over a plain base of the South Caucasus.

``build_map`` draws, bottom to top:

* a plain base that needs no tile server: the country polygons in a land
  colour on a water-blue map background;
* optional web tiles, as a base layer the user can swap for the plain map;
* reference overlays (borders, provinces, Nakhchivan, Nagorno-Karabakh, the
  Lachin and Zangezur corridors, the EU Mission in Armenia), each switchable
  in the layer control and each in its own map pane, so that switching one
  off and on again keeps the drawing order;
* the events, one circle marker each, clustered so that several events at
  one place show as a count.

Every text that comes from the data is HTML-escaped. The map links only the
vendored JS/CSS (:func:`geo.assets.use_local_assets`).

This module does not import streamlit.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from folium.map import CustomPane
from folium.plugins import Fullscreen, MarkerCluster
from folium.template import Template

from geo.assets import use_local_assets
from geo.labels import format_date, source_label, type_label
from geo.load import Dataset
from geo.panel import status_phrase
from geo.schema import SLUG
from geo.style import EVENT_COLORS, LAYER_COLORS, PRECISION_RADIUS, STATUS_STYLE, event_color

__all__ = [
    "EXTENTS",
    "REGION_VIEW",
    "build_map",
    "event_id_from_tooltip",
    "event_tooltip",
    "legend_html",
    "unplaced_events",
]

#: What the map is fitted to: the South Caucasus, or every event (Brussels, Washington, ...).
EXTENTS = ("region", "all")

#: The South Caucasus view, as ``[[south, west], [north, east]]``; down to 37.8°N
#: so that the events drawn at Iran's anchor point (about 37.9°N) are in view.
REGION_VIEW = [[37.8, 43.0], [42.0, 50.0]]

#: The legend starts folded on maps smaller than this (width, height) in pixels,
#: where it would hide too much, and with the "all" extent, where it would hide
#: the westernmost events.
_LEGEND_OPEN_MIN_SIZE = (900, 650)

_MIN_ZOOM, _MAX_ZOOM = 2, 14
_POPUP_WIDTH = 360
#: Popups open panned clear of the right-hand strip where the layer control sits.
_POPUP_CLEAR_OF_LAYER_CONTROL = (300, 10)

# Layer names, as the layer control shows them.
COUNTRIES = "Country borders"
PROVINCES = "Armenia's provinces (Syunik highlighted)"
NAKHCHIVAN = "Nakhchivan Autonomous Republic"
KARABAKH = "Nagorno-Karabakh (approximate)"
BORDER = "Armenia–Azerbaijan border"
LACHIN = "Lachin corridor"
ZANGEZUR = "Proposed Zangezur corridor route"
EUMA_BASES = "EU Mission in Armenia: HQ and forward bases"
EUMA_AREA = "EU Mission area of operations (approximate)"
EVENTS = "Events"

SYUNIK_LABEL = "Syunik (Zangezur)"
_EUMA_HQ = "euma-hq"
_PLAIN_PANE = "plain-base"
#: The selected event is drawn above the cluster icons (marker pane, 600), below tooltips (650).
_SELECTED_PANE = ("selected-event", 620)
#: Below this zoom the map is too small for place labels.
_LABEL_MIN_ZOOM = 6

#: Map pane of each reference overlay and its z-index: all between the tiles
#: (200) and the events in Leaflet's overlay pane (400); later is drawn on top.
_PANES: dict[str, tuple[str, int]] = {
    COUNTRIES: ("countries", 300),
    PROVINCES: ("provinces", 310),
    NAKHCHIVAN: ("nakhchivan", 320),
    KARABAKH: ("karabakh", 330),
    EUMA_AREA: ("euma-area", 340),
    BORDER: ("borders", 350),
    LACHIN: ("lachin", 360),
    ZANGEZUR: ("zangezur", 370),
    EUMA_BASES: ("euma-bases", 380),
}

#: Vaguer dates are drawn fainter: the fill opacity of the status is scaled by this.
_PRECISION_FADE: dict[str, float] = {"day": 1.0, "month": 0.6, "year": 0.35}
_STATUS_WORDS: dict[str, str] = {"reported": "reported", "claimed": "claim", "disputed": "disputed"}

_BRACKETED = re.compile(r"\[([^\[\]]*)\]")

_CSS = f"""
<style>
div.leaflet-container {{ background: {LAYER_COLORS["base_water"]}; }}
.leaflet-tooltip {{ font: 12px/1.4 sans-serif; }}
path.leaflet-interactive:focus:not(:focus-visible) {{ outline: none; }}
.leaflet-control-layers {{ font: 11px/1.3 sans-serif; }}
.leaflet-control-layers-expanded {{ padding: 4px 8px 4px 6px; }}
.leaflet-control-layers label {{ margin: 0; }}
.leaflet-pane.leaflet-{_PANES[EUMA_AREA][0]}-pane > svg path.leaflet-interactive {{ pointer-events: stroke; }}
.sc-zoomed-out .sc-label {{ display: none; }}
.sc-label {{ font: bold 12px/1.2 sans-serif; color: {LAYER_COLORS["syunik"]}; text-align: center;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; }}
.leaflet-container .marker-cluster-small, .leaflet-container .marker-cluster-medium,
.leaflet-container .marker-cluster-large {{ background-color: rgba(60, 60, 60, 0.25); }}
.leaflet-container .marker-cluster-small div, .leaflet-container .marker-cluster-medium div,
.leaflet-container .marker-cluster-large div {{ background-color: rgba(255, 255, 255, 0.95);
  border: 2px solid #333; }}
.leaflet-container .marker-cluster span {{ font: bold 12px/26px sans-serif; color: #222; }}
.leaflet-container .marker-cluster div {{ width: 30px; height: 30px; margin: 5px; border-radius: 15px;
  box-sizing: border-box; line-height: 26px; }}
.sc-legend {{ background: rgba(255, 255, 255, 0.93); padding: 4px 8px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.35); font: 11px/1.3 sans-serif; color: #222;
  max-width: 290px; max-height: 70vh; overflow-y: auto; }}
.sc-legend summary {{ font-weight: bold; cursor: pointer; }}
.sc-legend h4 {{ font-size: 11px; font-weight: bold; margin: 4px 0 1px; }}
.sc-legend .sc-row {{ display: flex; align-items: center; gap: 4px; }}
.sc-legend .sc-grid {{ display: grid; column-gap: 10px; }}
.sc-legend svg {{ flex: none; }}
.sc-legend .note {{ margin-top: 6px; color: #444; }}
.sc-popup {{ font: 12px/1.4 sans-serif; }}
.sc-popup .meta {{ color: #555; margin: 2px 0 6px; }}
.sc-popup blockquote {{ margin: 6px 0; padding: 2px 8px; border-left: 3px solid #bbb; color: #333; }}
.sc-popup blockquote footer {{ color: #666; font-size: 11px; }}
.sc-popup .id {{ color: #888; font-size: 10px; }}
</style>
"""


# --- text -------------------------------------------------------------------------


def _esc(value: object) -> str:
    """Escape ``value`` for HTML that folium puts inside a JS template literal.

    ``html.escape`` makes ``<``, ``>``, ``&`` and quotes inert; backticks, ``$``
    (``${...}``) and backslashes would end or alter the JS template literal, so
    they become character references too.
    """
    text = html.escape(str(value))
    return text.replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


def _event_date(event: pd.Series) -> str:
    """The event's date at its precision, or its span."""
    return format_date(event["date_start"], event["date_precision"], event["date_end"])


def _place_names(place: pd.Series) -> str:
    """``Khankendi / Stepanakert / Xankəndi``: the name and every alternative name."""
    return " / ".join([place["name"], *place["alt_names"]])


def event_tooltip(event: pd.Series) -> str:
    """``<title> · <date at its precision> [<event_id>]``, escaped.

    The id in the last brackets is what :func:`event_id_from_tooltip` reads back.
    """
    return _esc(f"{event['title']} · {_event_date(event)} [{event.name}]")


def event_id_from_tooltip(text: str | None) -> str | None:
    """The event id of a marker's tooltip text, or None.

    Takes the last ``[...]`` group (titles may contain brackets too) and
    returns it only if it is a valid id slug.
    """
    groups = _BRACKETED.findall(text or "")
    if not groups:
        return None
    candidate = groups[-1].strip()
    return candidate if re.fullmatch(SLUG, candidate) else None


# --- events -------------------------------------------------------------------------


def unplaced_events(events: gpd.GeoDataFrame) -> list[str]:
    """Ids of the events that have no place, so are not on the map."""
    missing = events.geometry.isna() | events.geometry.is_empty
    return events.index[missing].tolist()


def _placed(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The events that have a point on the map."""
    return events.drop(index=unplaced_events(events))


def _filled(value: object) -> bool:
    """False for a missing value (NaN, None) and for blank text."""
    return pd.notna(value) and bool(str(value).strip())


def _quote_html(citation: pd.Series, sources: pd.DataFrame) -> str:
    """A citation's quote in a blockquote, credited to its outlet, author, article and date."""
    source = sources.loc[citation["source_id"]]
    outlet, author, title = source_label(source), source["author"], source["title"]
    credit = [_esc(outlet)]  # names the author or title itself when the outlet is unknown
    if _filled(author) and author not in outlet:
        credit.append(_esc(author))
    if title not in outlet:
        credit.append(f"<i>{_esc(title)}</i>")
    credit.append(_esc(format_date(source["published"], source["published_precision"])))
    footer = ", ".join(credit)
    if _filled(source["url"]):
        footer = f'<a href="{_esc(source["url"])}" target="_blank" rel="noopener noreferrer">{footer}</a>'
    return f"<blockquote>“{_esc(citation['quote'])}”<footer>— {footer}</footer></blockquote>"


def _popup_html(event: pd.Series, data: Dataset, citations: pd.DataFrame) -> str:
    """Everything about one event: what, when, status, who, where and the quotes."""
    actors = ", ".join(data.actors["name"].get(a, a) for a in event["actor_ids"])
    places = "; ".join(_place_names(data.places.loc[p]) for p in event["place_ids"])
    meta = " · ".join([_event_date(event), status_phrase(event.name, data), type_label(event["event_type"])])
    parts = [
        f"<b>{_esc(event['title'])}</b>",
        f'<div class="meta">{_esc(meta)}</div>',
        f"<div>{_esc(event['summary'])}</div>",
        f"<div><b>Actors:</b> {_esc(actors or '—')}</div>",
        f"<div><b>Place:</b> {_esc(places or '—')}</div>",
        *(_quote_html(c, data.sources) for _, c in citations.iterrows()),
        f'<div class="id">{_esc(event.name)}</div>',
    ]
    return f'<div class="sc-popup">{"".join(parts)}</div>'


def _event_marker(event: pd.Series, popup: str, *, selected: bool) -> folium.CircleMarker:
    """A circle coloured by type, sized by date precision, filled or dashed by status."""
    status = STATUS_STYLE[event["status"]]
    color = event_color(event["event_type"])
    return folium.CircleMarker(
        location=(event.geometry.y, event.geometry.x),
        radius=PRECISION_RADIUS[event["date_precision"]] + (3 if selected else 0),
        color="#000000" if selected else color,
        weight=4 if selected else 2,
        opacity=1.0 if selected else 0.5 + 0.5 * _PRECISION_FADE[event["date_precision"]],
        fill_color=color,
        fill_opacity=float(status["fill_opacity"]) * _PRECISION_FADE[event["date_precision"]],
        dash_array=status["dash_array"],
        tooltip=folium.Tooltip(event_tooltip(event)),
        popup=folium.Popup(
            popup,
            max_width=_POPUP_WIDTH,
            max_height=320,
            auto_pan_padding_bottom_right=_POPUP_CLEAR_OF_LAYER_CONTROL,
        ),
    )


def _in_pane(marker: folium.CircleMarker, pane: str) -> folium.CircleMarker:
    """Draw ``marker`` in map pane ``pane`` (folium's path options drop Leaflet's ``pane``)."""
    marker.options["pane"] = pane
    return marker


def _events_layer(events: gpd.GeoDataFrame, data: Dataset) -> folium.FeatureGroup:
    """Every placed event in a marker cluster."""
    layer = folium.FeatureGroup(name=EVENTS)
    cluster = MarkerCluster(
        name="Events (clustered)", control=False, show_coverage_on_hover=False, max_cluster_radius=40
    ).add_to(layer)
    by_event = dict(iter(data.citations.groupby("event_id")))
    no_citations = data.citations.iloc[0:0]
    for event_id, event in _placed(events).iterrows():
        popup = _popup_html(event, data, by_event.get(event_id, no_citations))
        _event_marker(event, popup, selected=False).add_to(cluster)
    return layer


def selection_layer(events: gpd.GeoDataFrame, data: Dataset, selected: str | None) -> folium.FeatureGroup | None:
    """The selected event, highlighted (thick black outline) above the clusters; None if it is not placed.

    Kept apart from :func:`build_map` so that an app can send it to an existing map
    (streamlit-folium's ``feature_group_to_add``) without redrawing the map, which
    would lose the user's pan and zoom.
    """
    if _selected_point(events, selected) is None:
        return None
    event = _placed(events).loc[selected]
    citations = data.citations[data.citations["event_id"] == selected]
    marker = _event_marker(event, _popup_html(event, data, citations), selected=True)
    layer = folium.FeatureGroup(name="Selected event", control=False)
    _in_pane(marker, _SELECTED_PANE[0]).add_to(layer)
    return layer


# --- reference layers ---------------------------------------------------------------


def _geojson(
    places: gpd.GeoDataFrame,
    style: Callable[[dict[str, Any]], dict[str, Any]],
    *,
    pane: str,
    marker: folium.CircleMarker | None = None,
) -> list[folium.GeoJson]:
    """``places`` as GeoJSON, styled per feature (feature id = place_id), with a name tooltip.

    A list of one layer, or none when ``places`` is empty (folium cannot draw that).
    """
    if places.empty:
        return []
    frame = gpd.GeoDataFrame(
        {"label": [_esc(_place_names(p)) for _, p in places.iterrows()]},
        geometry=places.geometry,
        index=places.index,
    )
    return [
        folium.GeoJson(
            frame,
            style_function=style,
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
            marker=marker,
            pane=pane,
        )
    ]


def _outline(color: str, weight: float, *, fill_opacity: float = 0.0, dash: str | None = None) -> dict[str, Any]:
    """A polygon style. A transparent fill still shows the tooltip on hover."""
    return {
        "color": color,
        "weight": weight,
        "fillColor": color,
        "fillOpacity": fill_opacity,
        "dashArray": dash,
    }


def _label(text: str, location: tuple[float, float], pane: str) -> folium.Marker:
    """A non-interactive text label centred on ``location``, wrapped to a narrow box."""
    width, height = 72, 30
    icon = folium.DivIcon(
        html=_esc(text),
        class_name="sc-label",
        icon_size=(width, height),
        icon_anchor=(width // 2, height // 2),
    )
    return folium.Marker(location, icon=icon, interactive=False, pane=pane)


def _syunik_label_point(syunik: Any) -> tuple[float, float]:
    """Where the Syunik label goes: inside the province's northern third, clear of
    the point where events "in Syunik" are drawn (its representative point)."""
    x0, y0, x1, y1 = syunik.bounds
    point = syunik.intersection(shapely.box(x0, y1 - (y1 - y0) / 3, x1, y1)).representative_point()
    return point.y, point.x


def _provinces(places: gpd.GeoDataFrame, pane: str) -> Iterable[Element]:
    """Armenia's provinces as thin outlines; Syunik stronger, with a label."""
    provinces = places[(places["kind"] == "region") & (places["country"] == "ARM")]

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        if feature["id"] == "syunik":
            return _outline(LAYER_COLORS["syunik"], 3, fill_opacity=0.18)
        return _outline(LAYER_COLORS["province"], 1)

    yield from _geojson(provinces, style, pane=pane)
    if "syunik" in provinces.index:
        yield _label(SYUNIK_LABEL, _syunik_label_point(provinces.geometry["syunik"]), pane)


def _mission_bases(places: gpd.GeoDataFrame, pane: str) -> Iterable[Element]:
    """The EUMA headquarters as a large filled dot; forward bases as small white dots."""
    bases = places[places["kind"] == "mission_base"]
    # the HQ first, so a forward base at the same town stays visible on top of it
    bases = bases.loc[sorted(bases.index, key=lambda p: p != _EUMA_HQ)]
    euma = LAYER_COLORS["euma"]

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        if feature["id"] == _EUMA_HQ:
            return {"radius": 10, "color": "#ffffff", "weight": 2, "fillColor": euma, "fillOpacity": 1.0}
        return {"radius": 5, "color": euma, "weight": 2, "fillColor": "#ffffff", "fillOpacity": 1.0}

    yield from _geojson(bases, style, pane=pane, marker=_in_pane(folium.CircleMarker(), pane))


def _reference_layers(places: gpd.GeoDataFrame) -> dict[str, Callable[[str], Iterable[Element]]]:
    """Each overlay's name -> what it draws, given its pane. In layer-control order."""
    kind = places["kind"]

    def shapes(rows: gpd.GeoDataFrame, style: dict[str, Any]) -> Callable[[str], Iterable[Element]]:
        return lambda pane: _geojson(rows, lambda _: style, pane=pane)

    def line(color: str, weight: float, dash: str | None = None) -> dict[str, Any]:
        return {"color": color, "weight": weight, "opacity": 0.9, "dashArray": dash}

    return {
        COUNTRIES: shapes(places[kind == "country"], _outline(LAYER_COLORS["country"], 1.2)),
        PROVINCES: lambda pane: _provinces(places, pane),
        NAKHCHIVAN: shapes(
            places[places.index == "nakhchivan"], _outline(LAYER_COLORS["nakhchivan"], 2, fill_opacity=0.12)
        ),
        KARABAKH: shapes(
            places[places.index == "nagorno-karabakh"],
            _outline(LAYER_COLORS["nagorno-karabakh"], 2, fill_opacity=0.1, dash="6 4"),
        ),
        BORDER: shapes(places[kind == "border"], line(LAYER_COLORS["border"], 2.5)),
        LACHIN: shapes(places[kind == "corridor"], line(LAYER_COLORS["lachin-corridor"], 4)),
        ZANGEZUR: shapes(places[kind == "route"], line(LAYER_COLORS["zangezur-corridor"], 4, dash="8 6")),
        EUMA_BASES: lambda pane: _mission_bases(places, pane),
        EUMA_AREA: shapes(
            places[kind == "mission_area"],
            _outline(LAYER_COLORS["euma"], 1.5, fill_opacity=0.07, dash="3 4"),
        ),
    }


def _add_plain_base(m: folium.Map, places: gpd.GeoDataFrame) -> None:
    """Country polygons in a land colour, below the tiles: the map without tile servers."""
    countries = places[places["kind"] == "country"]
    if countries.empty:
        return
    CustomPane(_PLAIN_PANE, z_index=150, pointer_events=False).add_to(m)
    land = {"fillColor": LAYER_COLORS["base_fill"], "fillOpacity": 1.0, "color": "#c9c3b8", "weight": 0.8}
    folium.GeoJson(
        countries[["geometry"]],
        style_function=lambda _: land,
        control=False,
        interactive=False,
        pane=_PLAIN_PANE,
    ).add_to(m)


def _add_tiles(m: folium.Map, tiles: str) -> None:
    """``tiles`` as a base layer, with a tile-free alternative in the layer control."""
    folium.TileLayer(tiles, name=tiles, max_zoom=_MAX_ZOOM).add_to(m)
    folium.FeatureGroup(name="Plain map (no tiles)", overlay=False, show=False).add_to(m)


# --- legend -------------------------------------------------------------------------


def _circle_svg(radius: float, color: str, *, fill_opacity: float, dash: object = None, opacity: float = 1.0) -> str:
    """A legend symbol for a circle marker."""
    size = 2 * radius + 4
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<svg width="{size}" height="{size}"><circle cx="{size / 2}" cy="{size / 2}" r="{radius}" '
        f'stroke="{color}" stroke-width="2" stroke-opacity="{opacity}" fill="{color}" '
        f'fill-opacity="{fill_opacity}"{dash_attr}/></svg>'
    )


def _area_svg(color: str) -> str:
    """A legend symbol for an outlined, lightly filled area."""
    return (
        f'<svg width="22" height="12"><rect x="1" y="1" width="20" height="10" stroke="{color}" '
        f'stroke-width="2" fill="{color}" fill-opacity="0.2"/></svg>'
    )


def _line_svg(color: str, *, dash: str | None = None) -> str:
    """A legend symbol for a line."""
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<svg width="22" height="12"><line x1="1" y1="6" x2="21" y2="6" stroke="{color}" '
        f'stroke-width="3"{dash_attr}/></svg>'
    )


def _row(symbol: str, text: str) -> str:
    """A legend row: a symbol and what it means."""
    return f'<div class="sc-row">{symbol}<span>{_esc(text)}</span></div>'


def _section(title: str, rows: list[str], columns: int = 2) -> str:
    """A titled block of legend rows, in ``columns`` columns."""
    grid = f'<div class="sc-grid" style="grid-template-columns: repeat({columns}, auto)">'
    return f"<h4>{_esc(title)}</h4>{grid}{''.join(rows)}</div>"


def _distant_places(events: gpd.GeoDataFrame, places: gpd.GeoDataFrame) -> list[tuple[str, int]]:
    """(place name, number of events) for events drawn at places outside the region, most first."""
    distant = places.index[places["outside_region"]]
    counts = Counter(p for p in _placed(events)["place_id"] if p in distant)
    return sorted(((places.at[p, "name"], n) for p, n in counts.items()), key=lambda x: (-x[1], x[0]))


def legend_html(events: gpd.GeoDataFrame, data: Dataset, *, extent: str = "region") -> str:
    """The legend: event colours (types present), symbols, layers, and the events off the view.

    Open in the "region" extent, folded in "all" (where it would hide the westernmost events).
    """
    types = [t for t in EVENT_COLORS if t in set(events["event_type"])]
    distant = _distant_places(events, data.places) if extent == "region" else []
    off_view = sum(n for _, n in distant)
    summary = "Legend" + (f" · {off_view} events off this view" if off_view else "")
    grey = "#555555"
    parts = [
        f"<details{' open' if extent == 'region' else ''}><summary>{_esc(summary)}</summary>",
        _section(
            "Event type (colour)",
            [_row(_circle_svg(5, EVENT_COLORS[t], fill_opacity=0.85), type_label(t)) for t in types],
        ),
        _section(
            "Status (fill and outline)",
            [
                _row(
                    _circle_svg(5, grey, fill_opacity=float(style["fill_opacity"]), dash=style["dash_array"]),
                    _STATUS_WORDS[status],
                )
                for status, style in STATUS_STYLE.items()
            ],
            columns=3,
        ),
        _section(
            "Date precision (larger, fainter = vaguer)",
            [
                _row(
                    _circle_svg(
                        r / 2,
                        grey,
                        fill_opacity=0.85 * _PRECISION_FADE[p],
                        opacity=0.5 + 0.5 * _PRECISION_FADE[p],
                    ),
                    p,
                )
                for p, r in PRECISION_RADIUS.items()
            ],
            columns=3,
        ),
        _section(
            "Layers",
            [
                _row(_area_svg(LAYER_COLORS["syunik"]), SYUNIK_LABEL),
                _row(_area_svg(LAYER_COLORS["nakhchivan"]), "Nakhchivan"),
                _row(_area_svg(LAYER_COLORS["nagorno-karabakh"]), "Nagorno-Karabakh"),
                _row(_line_svg(LAYER_COLORS["lachin-corridor"]), "Lachin corridor"),
                _row(_line_svg(LAYER_COLORS["border"]), "Armenia–Azerbaijan border"),
                _row(_line_svg(LAYER_COLORS["zangezur-corridor"], dash="5 3"), "Zangezur route"),
                _row(_circle_svg(5, LAYER_COLORS["euma"], fill_opacity=1.0), "EUMA HQ and bases"),
                _row(_area_svg(LAYER_COLORS["euma"]), "EUMA area"),
            ],
        ),
    ]
    if distant:
        listed = ", ".join(f"{name} ({n})" for name, n in distant)
        parts.append(f'<div class="note">{off_view} events at distant places, outside this view: {_esc(listed)}</div>')
    parts.append("</details>")
    return "".join(parts)


class _HideLabelsZoomedOut(MacroElement):
    """Adds the class ``sc-zoomed-out`` to the map container below ``min_zoom``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function (map) {
                function update() {
                    map.getContainer().classList.toggle("sc-zoomed-out", map.getZoom() < {{ this.min_zoom }});
                }
                map.on("zoomend", update);
                map.whenReady(update);
            })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, min_zoom: int) -> None:
        super().__init__()
        self._name = "HideLabelsZoomedOut"
        self.min_zoom = min_zoom


class _Legend(MacroElement):
    """A Leaflet control in the bottom-left corner holding ``html`` (a ``<details>``),
    folded when the map is smaller than ``open_min_size`` (width, height)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control({position: "bottomleft"});
            {{ this.get_name() }}.onAdd = function (map) {
                var div = L.DomUtil.create("div", "sc-legend");
                div.innerHTML = {{ this.html|tojson }};
                var size = map.getSize();
                if (size.x < {{ this.open_min_size[0] }} || size.y < {{ this.open_min_size[1] }}) {
                    div.querySelector("details").open = false;
                }
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, open_min_size: tuple[int, int]) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html_text
        self.open_min_size = open_min_size


# --- the map ------------------------------------------------------------------------


def _view_bounds(events: gpd.GeoDataFrame, extent: str, centre: tuple[float, float] | None) -> list[list[float]]:
    """``[[south, west], [north, east]]`` to fit: the region, or it and every event;
    shifted to be centred on ``centre`` (lat, lon) when given."""
    (south, west), (north, east) = REGION_VIEW
    points = _placed(events).geometry
    if extent == "all" and len(points):
        south, north = min(south, points.y.min()), max(north, points.y.max())
        west, east = min(west, points.x.min()), max(east, points.x.max())
    if centre is not None:
        half_lat, half_lon = (north - south) / 2, (east - west) / 2
        south, north = max(centre[0] - half_lat, -85.0), min(centre[0] + half_lat, 85.0)
        west, east = centre[1] - half_lon, centre[1] + half_lon
    return [[south, west], [north, east]]


def _selected_point(events: gpd.GeoDataFrame, selected: str | None) -> tuple[float, float] | None:
    """(lat, lon) of the selected event, or None if it is not a placed event of ``events``."""
    placed = _placed(events)
    if selected is None or selected not in placed.index:
        return None
    point = placed.geometry[selected]
    return point.y, point.x


def build_map(
    events: gpd.GeoDataFrame,
    data: Dataset,
    *,
    selected: str | None = None,
    extent: str = "region",
    tiles: str | None = "OpenStreetMap",
) -> folium.Map:
    """The map of ``events`` (a subset of ``data.events``) over the reference layers of ``data``.

    ``selected``: an event id drawn highlighted (thick black outline, above the
    clusters) and centred; ignored if it is not a placed event of ``events``. An app
    that keeps one map across selections passes :func:`selection_layer` separately.
    ``extent``: one of :data:`EXTENTS`. ``tiles``: a folium tile name or URL
    template, or None for the plain base only. Events without a place are left
    out (see :func:`unplaced_events`).
    """
    if extent not in EXTENTS:
        raise ValueError(f"extent must be one of {EXTENTS}, not {extent!r}")
    centre = _selected_point(events, selected)
    # Without a tile layer Leaflet has no maximum zoom, which clustering needs;
    # `max_zoom` of folium.Map only reaches the tiles, hence Leaflet's own option names.
    m = folium.Map(tiles=None, control_scale=True, minZoom=_MIN_ZOOM, maxZoom=_MAX_ZOOM, zoomSnap=0.5)
    m.get_root().header.add_child(Element(_CSS), name="south-caucasus-map-css")
    _add_plain_base(m, data.places)
    if tiles:
        _add_tiles(m, tiles)

    layers = _reference_layers(data.places)
    for name, draw in layers.items():
        pane, z_index = _PANES[name]
        CustomPane(pane, z_index=z_index, pointer_events=True).add_to(m)
        group = folium.FeatureGroup(name=name).add_to(m)
        for element in draw(pane):
            element.add_to(group)
    CustomPane(*_SELECTED_PANE, pointer_events=True).add_to(m)
    _events_layer(events, data).add_to(m)
    if (highlight := selection_layer(events, data, selected)) is not None:
        highlight.add_to(m)

    folium.LayerControl(collapsed=True).add_to(m)
    Fullscreen(position="topleft").add_to(m)
    _Legend(legend_html(events, data, extent=extent), _LEGEND_OPEN_MIN_SIZE).add_to(m)
    _HideLabelsZoomedOut(_LABEL_MIN_ZOOM).add_to(m)
    m.fit_bounds(_view_bounds(events, extent, centre), padding=(10, 10))
    return use_local_assets(m)
