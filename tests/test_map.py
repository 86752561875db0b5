"""The folium map: layers, one marker per placed event, escaping, local assets, extents."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import folium
import pytest
from folium.plugins import MarkerCluster

from geo.load import Dataset, load_dataset
from geo.map import EXTENTS, build_map, event_id_from_tooltip, legend_html, unplaced_events

OVERLAYS = [
    "Country borders",
    "Armenia's provinces (Syunik highlighted)",
    "Nakhchivan Autonomous Republic",
    "Nagorno-Karabakh (approximate)",
    "Armenia–Azerbaijan border",
    "Lachin corridor",
    "Proposed Zangezur corridor route",
    "EU Mission in Armenia: HQ and forward bases",
    "EU Mission area of operations (approximate)",
    "Events",
]

SCRIPT = "<script>alert(1)</script>"
BOLD = "<b>x</b>"


def _render(m: folium.Map) -> str:
    return m.get_root().render()


@pytest.fixture(scope="module")
def region_map(data: Dataset) -> folium.Map:
    return build_map(data.events, data, tiles=None)


@pytest.fixture(scope="module")
def region_html(region_map: folium.Map) -> str:
    return _render(region_map)


def _walk(element):
    yield element
    for child in element._children.values():
        yield from _walk(child)


def _fit_bounds(m: folium.Map) -> list[list[float]]:
    (fit,) = [el for el in _walk(m) if isinstance(el, folium.map.FitBounds)]
    return fit.bounds


def _control_names(html: str, kind: str = "overlays") -> list[str]:
    """The names of the layer control's ``overlays`` or ``base_layers`` (JSON strings in the JS)."""
    block = re.search(kind + r"\s*:\s*\{(.*?)\}", html, re.S)
    assert block, f"no layer control {kind} in the HTML"
    return [json.loads(key) for key in re.findall(r'("(?:[^"\\]|\\.)*")\s*:', block.group(1))]


# --- layers -------------------------------------------------------------------------


@pytest.mark.parametrize("name", OVERLAYS)
def test_overlay_in_layer_control(region_html: str, name: str) -> None:
    assert name in _control_names(region_html)


def test_overlays_in_order(region_html: str) -> None:
    assert _control_names(region_html) == OVERLAYS


def test_one_layer_control(region_map: folium.Map) -> None:
    controls = [el for el in _walk(region_map) if isinstance(el, folium.LayerControl)]
    assert len(controls) == 1


# --- events ---------------------------------------------------------------------------


def test_one_marker_per_placed_event(data: Dataset, region_html: str) -> None:
    unplaced = set(unplaced_events(data.events))
    assert unplaced, "the data has events without a place; they must be reported"
    for event_id in data.events.index:
        expected = 0 if event_id in unplaced else 1
        assert region_html.count(f"[{event_id}]") == expected, event_id


def test_markers_are_clustered(data: Dataset, region_map: folium.Map) -> None:
    (cluster,) = [el for el in _walk(region_map) if isinstance(el, MarkerCluster)]
    markers = [el for el in cluster._children.values() if isinstance(el, folium.CircleMarker)]
    assert len(markers) == len(data.events) - len(unplaced_events(data.events))


def test_unplaced_events_have_no_geometry(data: Dataset) -> None:
    no_place = {e for e, ids in data.events["place_ids"].items() if not ids}
    assert no_place and set(unplaced_events(data.events)) == no_place


def test_selected_event_is_highlighted_outside_the_cluster(data: Dataset) -> None:
    event_id = "border-clash-2022-09-13"
    m = build_map(data.events, data, selected=event_id, tiles=None)
    (cluster,) = [el for el in _walk(m) if isinstance(el, MarkerCluster)]
    clustered = {el.get_name() for el in cluster._children.values()}
    selected = [el for el in _walk(m) if isinstance(el, folium.CircleMarker) and el.get_name() not in clustered]
    assert len(selected) == 1
    assert selected[0].options["color"] == "#000000"
    assert selected[0].options["weight"] > 2
    point = data.events.geometry[event_id]
    (south, west), (north, east) = _fit_bounds(m)
    assert (south + north) / 2 == pytest.approx(point.y)
    assert (west + east) / 2 == pytest.approx(point.x)


def test_filtered_events_only(data: Dataset) -> None:
    shown = data.events[data.events["event_type"] == "clash"]
    html = _render(build_map(shown, data, tiles=None))
    hidden = data.events.index.difference(shown.index)
    assert all(f"[{e}]" in html for e in shown.index)
    assert not any(f"[{e}]" in html for e in hidden)


def test_claim_popup_names_the_claimant(data: Dataset) -> None:
    html = _render(build_map(data.events.loc[["us-contingent-zangezur-claim-2024-08"]], data, tiles=None))
    assert "claim by Caliber.Az" in html


# --- escaping -------------------------------------------------------------------------


def test_data_is_escaped(data: Dataset) -> None:
    events = data.events.copy()
    event_id = events.index[~events.geometry.isna()][0]
    events.loc[event_id, "title"] = SCRIPT
    citations = data.citations.copy()
    first = citations.index[citations["event_id"] == event_id]
    assert len(first), f"{event_id} has no citation to tamper with"
    citations.loc[first[0], "quote"] = f"quoted {BOLD} text"
    tampered = Dataset(
        sources=data.sources,
        actors=data.actors,
        events=events,
        citations=citations,
        places=data.places,
    )
    html = _render(build_map(events, tampered, tiles=None))
    assert SCRIPT not in html
    assert BOLD not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_template_literal_characters_are_escaped(data: Dataset) -> None:
    """Tooltips and popups sit in JS template literals: ` ${ and \\ must not survive."""
    events = data.events.copy()
    event_id = events.index[~events.geometry.isna()][0]
    events.loc[event_id, "title"] = "a `b` ${alert(1)} c\\d"
    html = _render(build_map(events, data, tiles=None))
    assert "${alert(1)}" not in html
    assert "&#96;b&#96; &#36;{alert(1)} c&#92;d" in html


# --- assets and base ---------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and a.get("href"):
            self.urls.append(a["href"])


@pytest.mark.parametrize("tiles", [None, "OpenStreetMap"])
def test_no_remote_scripts_or_styles(data: Dataset, tiles: str | None) -> None:
    html = _render(build_map(data.events, data, tiles=tiles))
    parser = _Links()
    parser.feed(html)
    assert parser.urls, "expected vendored script/link tags"
    remote = [u for u in parser.urls if re.match(r"(https?:)?//", u)]
    assert remote == []


def test_without_tiles_the_plain_base_draws_the_countries(
    data: Dataset, region_map: folium.Map, region_html: str
) -> None:
    assert "L.tileLayer" not in region_html
    assert "leaflet-container" in region_html  # the water-blue background
    plain = [
        el for el in _walk(region_map) if isinstance(el, folium.GeoJson) and el.options.get("pane") == "plain-base"
    ]
    assert len(plain) == 1
    countries = set(data.places.index[data.places["kind"] == "country"])
    assert {f["id"] for f in plain[0].data["features"]} == countries


def test_with_tiles_there_is_one_tile_layer_with_attribution(data: Dataset) -> None:
    html = _render(build_map(data.events, data, tiles="OpenStreetMap"))
    assert html.count("L.tileLayer(") == 1
    assert "OpenStreetMap" in html
    assert _control_names(html, "base_layers") == ["OpenStreetMap", "Plain map (no tiles)"]
    assert _control_names(html) == OVERLAYS


# --- extent ----------------------------------------------------------------------------


def test_extents() -> None:
    assert EXTENTS == ("region", "all")


def test_region_and_all_bounds(data: Dataset) -> None:
    (_, west_region), _ = _fit_bounds(build_map(data.events, data, tiles=None, extent="region"))
    (_, west_all), _ = _fit_bounds(build_map(data.events, data, tiles=None, extent="all"))
    assert west_all < -70  # Washington
    assert west_region > -70


def test_unknown_extent_is_rejected(data: Dataset) -> None:
    with pytest.raises(ValueError, match="extent"):
        build_map(data.events, data, tiles=None, extent="world")


def test_no_places_still_renders(tmp_path) -> None:
    empty = load_dataset(tmp_path / "nothing-here")
    assert empty.places.empty
    assert "L.map(" in _render(build_map(empty.events, empty, tiles=None))


# --- tooltips ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, None),
        ("", None),
        ("Title [a-b]", "a-b"),
        ("Title [bad id!]", None),
        ("A [b] · 2021 [x-y]", "x-y"),
        ("No id at all", None),
        ("Title · 2021 [Upper-Case]", None),
        ("  Title · 8 Jan 2025 [border-clash-2022-09-13]\n ", "border-clash-2022-09-13"),
    ],
)
def test_event_id_from_tooltip(text: str | None, expected: str | None) -> None:
    assert event_id_from_tooltip(text) == expected


def test_every_tooltip_round_trips(data: Dataset, region_html: str) -> None:
    tooltips = re.findall(r"bindTooltip\(\s*`<div>\s*(.*?)\s*</div>`", region_html, re.S)
    ids = {event_id_from_tooltip(t) for t in tooltips} - {None}
    placed = set(data.events.index) - set(unplaced_events(data.events))
    assert ids == placed


# --- legend -------------------------------------------------------------------------


def test_legend(data: Dataset) -> None:
    text = legend_html(data.events, data)
    for event_type in data.events["event_type"].unique():
        assert event_type.replace("_", " ") in text
    assert "Status (fill and outline)" in text and "Date precision (larger, fainter = vaguer)" in text
    in_brussels = (data.events["place_id"] == "brussels").sum()
    assert in_brussels
    assert f"Brussels ({in_brussels})" in text  # events at distant places, outside the region view
    assert text.startswith("<details open>")


def test_legend_folded_and_without_distant_note_for_all(data: Dataset) -> None:
    text = legend_html(data.events, data, extent="all")
    assert text.startswith("<details>")
    assert "distant places" not in text


def test_legend_lists_only_present_types(data: Dataset) -> None:
    clashes = data.events[data.events["event_type"] == "clash"]
    text = legend_html(clashes, data)
    assert "clash" in text
    assert "military exercise" not in text
    assert "distant places" not in text


def test_legend_is_on_the_map(region_html: str) -> None:
    assert 'L.control({position: "bottomleft"})' in region_html
    assert "sc-legend" in region_html
