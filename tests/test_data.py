"""The curated content itself: real geometry where it belongs, every name in use, claims as claims."""

from __future__ import annotations

import pytest

from geo.regions import METRIC_CRS
from geo.schema import REGION_BOUNDS


def _geom(data, place_id):
    return data.places.geometry[place_id]


@pytest.mark.parametrize(
    "point, region",
    [
        ("goris", "syunik"),
        ("kapan", "syunik"),
        ("meghri", "syunik"),
        ("sisian", "syunik"),
        ("ordubad", "nakhchivan"),
        ("nakhchivan-city", "nakhchivan"),
        ("khankendi", "nagorno-karabakh"),
        ("shusha", "nagorno-karabakh"),
        ("yeghegnadzor", "vayots-dzor"),
        ("jermuk", "vayots-dzor"),
        ("ijevan", "tavush"),
        ("noyemberyan", "tavush"),
        ("martuni", "gegharkunik"),
        ("yerevan", "yerevan-admin"),
        ("baku", "azerbaijan"),
        ("poti", "georgia"),
        ("astara", "azerbaijan"),
    ],
)
def test_named_place_lies_in_its_region(data, point, region):
    # Astara sits 0.13 km off Natural Earth's generalised coast: allow 0.5 km, never more.
    metric = data.places.to_crs(METRIC_CRS).geometry
    assert metric[point].distance(metric[region]) < 500


@pytest.mark.parametrize("point", ["lachin", "khankendi", "shusha", "fuzuli", "aghdam", "ordubad", "julfa"])
def test_places_outside_armenia(data, point):
    assert not _geom(data, "armenia").contains(_geom(data, point))


def test_armenia_area_within_one_percent_of_official(data):
    area_km2 = data.places.to_crs(METRIC_CRS).geometry["armenia"].area / 1e6
    assert abs(area_km2 / 29_743 - 1) < 0.01, area_km2


def test_nakhchivan_is_part_of_azerbaijan_and_borders_armenia(data):
    nakh, az, am = _geom(data, "nakhchivan"), _geom(data, "azerbaijan"), _geom(data, "armenia")
    assert az.buffer(0.001).contains(nakh)
    assert nakh.distance(am) < 0.001


def test_lachin_district_label_is_fixed(data):
    names = {data.places.loc[p, "name"] for p in data.places.index}
    assert "Lachin District" in names and "Lankaran" not in names


@pytest.mark.parametrize(
    "place_id, names",
    [
        ("khankendi", {"Stepanakert"}),
        ("shusha", {"Shushi"}),
        ("lachin", {"Berdzor"}),
        ("syunik", {"Zangezur"}),
        ("nakhchivan", {"Nakhichevan", "Naxçıvan"}),
        ("nagorno-karabakh", {"Artsakh"}),
    ],
)
def test_contested_places_carry_every_name(data, place_id, names):
    assert names <= set(data.places.loc[place_id, "alt_names"])


@pytest.mark.parametrize(
    "place_id, kind",
    [
        ("am-az-border-mainland", "border"),
        ("am-az-border-nakhchivan", "border"),
        ("lachin-corridor", "corridor"),
        ("zangezur-corridor", "route"),
        ("euma-area", "mission_area"),
        ("euma-hq", "mission_base"),
        ("euma-fob-goris", "mission_base"),
        ("euma-fob-kapan", "mission_base"),
        ("euma-fob-jermuk", "mission_base"),
        ("euma-fob-martuni", "mission_base"),
        ("euma-fob-ijevan", "mission_base"),
    ],
)
def test_curated_lines_and_mission_places_exist(data, place_id, kind):
    place = data.places.loc[place_id]
    assert place["kind"] == kind and place["note"]


def test_border_lines_follow_armenias_outline(data):
    outline = _geom(data, "armenia").boundary.buffer(0.001)
    for border in ("am-az-border-mainland", "am-az-border-nakhchivan"):
        line = _geom(data, border)
        assert line.length > 1 and outline.contains(line)


def test_only_distant_capitals_lie_outside_the_region(data):
    x0, y0, x1, y1 = REGION_BOUNDS
    outside = {
        p
        for p, g in data.places.geometry.items()
        if not (x0 <= g.bounds[0] and g.bounds[2] <= x1 and y0 <= g.bounds[1] and g.bounds[3] <= y1)
    }
    assert outside == set(data.places.index[data.places["outside_region"]])
    assert {"brussels", "prague", "moscow", "washington"} <= outside


@pytest.mark.parametrize(
    "event_id",
    [
        "us-contingent-zangezur-claim-2024-08",
        "iran-defence-pact-offer-claim-2025-01",
        "ahmadian-demands-claim-2025-01",
        "iran-offers-syunik-base-2021",
    ],
)
def test_single_outlet_claims_are_marked_as_claims(data, event_id):
    assert data.events.loc[event_id, "status"] == "claimed"
    assert data.citations[data.citations["event_id"] == event_id]["source_id"].nunique() == 1


# An independent reading of the articles: dated events that must be there, with their dates.
EXPECTED_EVENTS = {
    "second-karabakh-war-2020": ("2020-09-01", "month"),
    "trilateral-statement-2020-11-10": ("2020-11-10", "day"),
    "euma-established-2023-01-23": ("2023-01-23", "day"),
    "border-clash-2022-09-13": ("2022-09-13", "day"),
    "eu-observer-group-decision-2022-10-17": ("2022-10-17", "day"),
    "brussels-aliyev-pashinyan-2021-12-14": ("2021-12-14", "day"),
    "brussels-aliyev-pashinyan-2022-08-31": ("2022-08-31", "day"),
    "michel-aliyev-munich-2023-02-17": ("2023-02-17", "day"),
    "lavrov-additional-irritants-2023-01-18": ("2023-01-18", "day"),
    "araghchi-unacceptable-2024-09-05": ("2024-09-05", "day"),
    "aliyev-receives-ahmadian-2025-01-08": ("2025-01-08", "day"),
    "khankendi-parade-2023-11-08": ("2023-11-08", "day"),
    "russian-border-guards-agreement-1992": ("1992-01-01", "year"),
    "base-extension-2044-2010": ("2010-01-01", "year"),
    "shusha-declaration-2021-06": ("2021-06-01", "month"),
}


@pytest.mark.parametrize("event_id", list(EXPECTED_EVENTS))
def test_independent_reading_events_are_present(data, event_id):
    start, precision = EXPECTED_EVENTS[event_id]
    ev = data.events.loc[event_id]
    assert (ev["date_start"].date().isoformat(), ev["date_precision"]) == (start, precision)


def test_inferred_dates_say_how(data):
    # every month- or year-precision event, and every event whose article omits the year, has a note
    vague = data.events[data.events["date_precision"] != "day"]
    assert vague["notes"].fillna("").str.len().gt(0).all()
