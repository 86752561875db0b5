"""Region membership decided from geometry, not names."""

from __future__ import annotations

import pytest

from geo.regions import REGIONS, event_regions, place_regions


@pytest.fixture(scope="module")
def by_place(data):
    return place_regions(data.places)


@pytest.mark.parametrize(
    "place_id, regions",
    [
        ("goris", {"syunik", "lachin-corridor", "euma-area"}),  # on the corridor, near the border
        ("kapan", {"syunik", "euma-area"}),
        ("meghri", {"syunik", "euma-area"}),
        ("sisian", {"syunik", "euma-area"}),
        ("ordubad", {"nakhchivan"}),
        ("nakhchivan-city", {"nakhchivan"}),
        ("lachin", {"lachin-corridor"}),
        ("khankendi", {"lachin-corridor"}),
        ("noyemberyan", {"euma-area"}),
        ("yerevan", set()),
        ("baku", set()),
        ("brussels", set()),  # distant capitals are in no region
        ("armenia", set()),  # a country is not "inside Syunik"
        ("nagorno-karabakh", set()),  # nor is a polygon merely touched by the corridor buffer
        ("syunik", {"syunik", "euma-area"}),
        ("zangezur-corridor", {"syunik", "nakhchivan", "euma-area"}),  # the route crosses both
        ("az-ir-border", set()),  # touches Armenia only at a tripoint
        ("euma-area", {"euma-area"}),
    ],
)
def test_place_regions(by_place, place_id, regions):
    assert by_place[place_id] == regions


def test_names_do_not_decide(data, by_place):
    # a place named after Syunik but drawn elsewhere is not in Syunik
    moved = data.places.copy()
    moved.loc["syunik", "geometry"] = data.places.geometry["nakhchivan"]
    assert "syunik" not in place_regions(moved)["kapan"]
    assert "syunik" in by_place["kapan"]


def test_event_regions_union_of_places(data, by_place):
    regions = event_regions(data.events, by_place)
    assert regions["iran-opposes-zangezur-corridor-2021"] >= {"syunik", "nakhchivan"}
    assert regions["khankendi-parade-2023-11-08"] == {"lachin-corridor"}
    assert regions["october-7-war-2023-10-07"] == frozenset()  # no place
    assert set().union(*regions) <= set(REGIONS)
