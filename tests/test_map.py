"""The live map's content, built without Streamlit: reference layers, event records, legend, view."""

from __future__ import annotations

import json

import pytest
import shapely

from geo.eventview import event_html
from geo.load import Dataset, load_dataset
from geo.map import EXTENTS, REGION_VIEW, MapView, event_records, extent_bounds, legend_html, reference_payload
from geo.map.events import event_id_from_text, unplaced_events
from geo.map.reference import OVERLAYS

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def base(data: Dataset) -> dict:
    return reference_payload(data.places)


@pytest.fixture(scope="module")
def records(data: Dataset) -> dict:
    return event_records(data)


# --- reference layers ----------------------------------------------------------------


def test_every_overlay_is_in_the_payload_in_drawing_order(base: dict) -> None:
    overlays = [layer for layer in base["layers"] if layer["overlay"]]
    assert [layer["id"] for layer in overlays] == list(OVERLAYS)
    assert [layer["z"] for layer in overlays] == sorted(layer["z"] for layer in overlays)
    assert all(layer["geojson"]["features"] for layer in overlays)


def test_plain_base_draws_the_countries_under_the_tiles(data: Dataset, base: dict) -> None:
    plain = base["layers"][0]
    assert (plain["id"], plain["overlay"], plain["interactive"]) == ("plain-base", False, False)
    assert plain["z"] < 200  # Leaflet's tile pane
    assert len(plain["geojson"]["features"]) == int((data.places["kind"] == "country").sum())


def test_syunik_is_highlighted_and_labelled(base: dict) -> None:
    provinces = next(layer for layer in base["layers"] if layer["id"] == "provinces")
    syunik = next(f for f in provinces["geojson"]["features"] if f["properties"]["id"] == "syunik")
    assert syunik["properties"]["style"]["weight"] > provinces["style"]["weight"]
    label = provinces["labels"][0]
    assert label["text"] == "Syunik (Zangezur)"
    assert shapely.geometry.shape(syunik["geometry"]).contains(shapely.Point(label["lon"], label["lat"]))


def test_place_names_and_aliases_label_the_features(base: dict) -> None:
    labels = [f["properties"]["label"] for layer in base["layers"] for f in layer["geojson"]["features"]]
    assert any("Nakhchivan" in label and "Nakhichevan" in label for label in labels)


def test_payload_hash_is_stable_and_content_addressed(data: Dataset, base: dict) -> None:
    again = reference_payload(data.places)
    assert again["hash"] == base["hash"]
    fewer = reference_payload(data.places.drop(index="syunik"))
    assert fewer["hash"] != base["hash"]


def test_the_payload_is_json_and_not_too_large(base: dict) -> None:
    size = len(json.dumps(base))
    assert 20_000 < size < 400_000, size


def test_no_places_still_gives_tiles_and_no_layers(tmp_path) -> None:
    empty = load_dataset(tmp_path / "nothing-here")
    payload = reference_payload(empty.places)
    assert payload["layers"] == [] and payload["tiles"]["id"] == "osm"


# --- events ----------------------------------------------------------------------------


def test_one_record_per_placed_event(data: Dataset, records: dict) -> None:
    placed = set(data.events.index) - set(unplaced_events(data.events))
    assert set(records) == placed
    for event_id, rec in records.items():
        point = data.events.geometry[event_id]
        assert (rec["lat"], rec["lon"]) == (round(point.y, 5), round(point.x, 5))


def test_symbols_follow_status_precision_and_role(data: Dataset, records: dict) -> None:
    for event_id, rec in records.items():
        ev = data.events.loc[event_id]
        style = rec["style"]
        assert style["dash"] == {"reported": None, "claimed": "4 3", "disputed": "1 3"}[ev["status"]]
        assert style["r"] == {"day": 7, "month": 11, "year": 15}[ev["date_precision"]]
        role = ev.get("place_role") or "happened"
        assert style["shape"] == ("diamond" if role == "concerns" else "circle")
        assert style["assumed"] == (role == "assumed")


def test_tooltips_name_their_event(records: dict) -> None:
    for event_id, rec in records.items():
        assert event_id_from_text(rec["tooltip"], frozenset(records)) == event_id


def test_popup_and_panel_come_from_one_template(data: Dataset, records: dict) -> None:
    event_id = "us-contingent-zangezur-claim-2024-08"
    popup, panel = records[event_id]["popup"], event_html(event_id, data)
    for html in (popup, panel):
        assert f'data-event="{event_id}"' in html
        assert "claim by Caliber.Az" in html
    assert "ev-popup" in popup and "ev-panel" in panel


def test_data_is_escaped_in_popups(data: Dataset) -> None:
    events = data.events.copy()
    event_id = next(iter(event_records(data)))
    events.loc[event_id, "title"] = SCRIPT
    citations = data.citations.copy()
    citations.loc[citations.index[citations["event_id"] == event_id][0], "quote"] = "quoted <b>x</b> text"
    sources = data.sources.copy()
    sources["url"] = "javascript:alert(1)"
    tampered = Dataset(sources=sources, actors=data.actors, events=events, citations=citations, places=data.places)
    rec = event_records(tampered)[event_id]
    assert SCRIPT not in rec["popup"] and "&lt;script&gt;" in rec["popup"]
    assert "<b>x</b>" not in rec["popup"] and "&lt;b&gt;x&lt;/b&gt;" in rec["popup"]
    assert "javascript:" not in rec["popup"]
    assert rec["tooltip"].startswith(SCRIPT)  # plain text: the browser sets it with textContent


@pytest.mark.parametrize(
    ("text", "known", "expected"),
    [
        (None, None, None),
        ("", None, None),
        ("Title [a-b]", None, "a-b"),
        ("Title [bad id!]", None, None),
        ("A [b] · 2021 [x-y]", None, "x-y"),
        ("Title · 2021 [Upper-Case]", None, None),
        ("Syunik [slug]", frozenset({"real-event"}), None),  # a polygon's name is not an event
        ("Title [real-event]", frozenset({"real-event"}), "real-event"),
    ],
)
def test_event_id_from_text(text, known, expected) -> None:
    assert event_id_from_text(text, known) == expected


# --- legend and view ------------------------------------------------------------------


def test_legend_lists_present_types_roles_and_layers() -> None:
    html = legend_html(["statement", "clash"])
    assert "statement" in html and "clash" in html and "meeting" not in html
    assert "a place it concerns, not where it happened" in html
    assert "place assumed by the curators" in html
    assert "Lachin corridor" in html and "scm-offview" in html


def test_extents(data: Dataset) -> None:
    assert EXTENTS == ("region", "all")
    assert extent_bounds(data.events, "region") == REGION_VIEW
    (south, west), (north, east) = extent_bounds(data.events, "all")
    assert west < 5 and north > 50 and east >= 50  # Brussels, Moscow...
    assert west < -70  # Washington


@pytest.mark.parametrize(
    ("params", "expected", "noticed"),
    [
        ((None, None, None), MapView(), False),
        (
            ("39.5,46.0,9", "plain", "provinces,borders"),
            MapView(39.5, 46.0, 9, "plain", ("provinces", "borders")),
            False,
        ),
        (("39.5,46.0", None, None), MapView(), True),
        (("91,46,9", None, None), MapView(), True),
        (("39.5,46,99", None, None), MapView(), True),
        ((None, "satellite", None), MapView(), True),
        ((None, None, "provinces,nope"), MapView(hidden=("provinces",)), True),
    ],
)
def test_map_view_from_params(params, expected, noticed) -> None:
    view, notices = MapView.from_params(*params, OVERLAYS)
    assert view == expected
    assert bool(notices) == noticed


def test_map_view_round_trips() -> None:
    view = MapView(39.1234, 46.5, 8.5, "plain", ("borders", "provinces"))
    p = view.to_params()
    assert p == {"map": ["39.1234,46.5000,8.5"], "base": ["plain"], "hide": ["borders,provinces"]}
    back, notices = MapView.from_params(p["map"][0], p["base"][0], p["hide"][0], OVERLAYS)
    assert (back, notices) == (view, [])


def test_browser_gets_a_view_or_bounds() -> None:
    assert MapView(1.0, 2.0, 5).for_browser(3, REGION_VIEW) == {
        "seq": 3,
        "base": "osm",
        "hidden": [],
        "lat": 1.0,
        "lon": 2.0,
        "zoom": 5,
    }
    assert MapView().for_browser(1, REGION_VIEW)["bounds"] == REGION_VIEW
