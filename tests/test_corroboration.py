"""Corroboration counts and badges on the curated data, checked against citations.csv by hand."""

from __future__ import annotations

import csv
import dataclasses

import pandas as pd
import pytest

from geo.corroboration import (
    ACROSS,
    BADGES,
    ONE_SIDE,
    SIDES,
    SINGLE,
    UNKNOWN,
    contradicted_ids,
    contradictions,
    corroboration,
    corroboration_ids,
    multi_source_ids,
    source_sides,
)
from geo.load import DATA_DIR, Dataset

#: Read off data/citations.csv by hand: event → the articles that cite it.
HAND_COUNTED = {
    "second-karabakh-war-2020": {
        "kuzio-2021-10-iran-azerbaijan-near-war",
        "jafarli-2023-armenia-russia-crisis",
        "moscowtimes-2024-09-26-russia-iran-rift",
    },
    "euma-established-2023-01-23": {
        "jafarli-2023-armenia-russia-crisis",
        "moscowtimes-2024-09-26-russia-iran-rift",
        "caliber-2025-iran-troops-armenia",
    },
    "iran-exercise-fatehan-e-khaybar-2021": {
        "kuzio-2021-10-iran-azerbaijan-near-war",
        "moscowtimes-2024-09-26-russia-iran-rift",
    },
    "iran-intervention-claim-2020": {"kuzio-2021-10-iran-azerbaijan-near-war"},
}
#: The multi-source events read off citations.csv by hand (the issue counted six; the data audit
#: found that the Jafarli quote on the trilateral statement does not name it, which leaves these five).
MULTI_SOURCE_BY_HAND = {
    "second-karabakh-war-2020",
    "iran-azerbaijan-crisis-2021",
    "iran-exercise-fatehan-e-khaybar-2021",
    "iran-opposes-zangezur-corridor-2021",
    "euma-established-2023-01-23",
}


def _citing_sources() -> dict[str, set[str]]:
    """event_id → source_ids, read from citations.csv without the loader."""
    with (DATA_DIR / "citations.csv").open(encoding="utf-8") as f:
        per_event: dict[str, set[str]] = {}
        for row in csv.DictReader(f):
            per_event.setdefault(row["event_id"], set()).add(row["source_id"])
    return per_event


MULTI_SOURCE = {e for e, s in _citing_sources().items() if len(s) > 1}


@pytest.fixture(scope="module")
def table(data: Dataset) -> pd.DataFrame:
    return corroboration(data)


def test_one_row_per_event_with_the_documented_columns(data, table):
    assert list(table.index) == list(data.events.index)
    assert table.index.name == "event_id"
    assert list(table.columns) == ["n_sources", "n_sides", "sides", "badge"]
    assert set(table["badge"]) <= set(BADGES)


@pytest.mark.parametrize("event_id", sorted(HAND_COUNTED))
def test_counts_match_citations_counted_by_hand(data, table, event_id):
    sides = source_sides(data.sources)
    assert table.at[event_id, "n_sources"] == len(HAND_COUNTED[event_id])
    expected_sides = {sides[s] for s in HAND_COUNTED[event_id]}
    assert set(table.at[event_id, "sides"]) == expected_sides
    assert table.at[event_id, "n_sides"] == len(expected_sides - {UNKNOWN})


def test_counts_match_the_citations_file_for_every_event(table):
    assert {e: len(s) for e, s in _citing_sources().items()} == table["n_sources"].to_dict()


def test_the_multi_source_events_are_found(data, table):
    assert MULTI_SOURCE_BY_HAND <= MULTI_SOURCE
    assert set(multi_source_ids(data)) == MULTI_SOURCE
    assert set(table.index[table["badge"] != SINGLE]) == MULTI_SOURCE
    assert corroboration_ids(data, (ONE_SIDE, ACROSS)) == MULTI_SOURCE


def test_every_other_event_is_single_source(data, table):
    singles = corroboration_ids(data, (SINGLE,))
    assert singles == set(data.events.index) - MULTI_SOURCE
    assert (table.loc[sorted(singles), "n_sources"] == 1).all()


def test_no_badges_means_every_event_and_an_unknown_badge_is_an_error(data):
    assert corroboration_ids(data, ()) == set(data.events.index)
    with pytest.raises(ValueError, match="unknown badge"):
        corroboration_ids(data, ("well sourced",))


def test_a_source_without_a_side_is_unknown(data):
    no_side = data.sources.drop(columns=["side"], errors="ignore")
    assert set(source_sides(no_side)) == {UNKNOWN}
    odd = no_side.assign(side=["", "martian", *["armenian"] * (len(no_side) - 2)])
    assert list(source_sides(odd))[:2] == [UNKNOWN, UNKNOWN]
    assert set(SIDES) >= {"azerbaijani", "armenian", "russian", "iranian", "western_independent", UNKNOWN}


def _with_sides(data: Dataset, sides: dict[str, str]) -> Dataset:
    sources = data.sources.assign(side=[sides.get(s, UNKNOWN) for s in data.sources.index])
    return dataclasses.replace(data, sources=sources)


def test_badges_follow_the_sides(data):
    sides = {
        "kuzio-2021-10-iran-azerbaijan-near-war": "azerbaijani",
        "jafarli-2023-armenia-russia-crisis": "azerbaijani",
        "moscowtimes-2024-09-26-russia-iran-rift": "western_independent",
        # caliber stays unknown: an unknown side never makes a second side
    }
    table = corroboration(_with_sides(data, sides))
    # kuzio + jafarli: two articles, one side
    assert table.at["iran-opposes-zangezur-corridor-2021", "badge"] == ONE_SIDE
    assert table.at["iran-opposes-zangezur-corridor-2021", "sides"] == ("azerbaijani",)
    # kuzio, jafarli, moscowtimes: two known sides
    assert table.at["second-karabakh-war-2020", "badge"] == ACROSS
    assert table.at["second-karabakh-war-2020", "sides"] == ("azerbaijani", "western_independent")
    assert table.at["second-karabakh-war-2020", "n_sides"] == 2
    # jafarli, moscowtimes, caliber (unknown): unknown listed but not counted
    assert table.at["euma-established-2023-01-23", "sides"] == ("azerbaijani", "western_independent", UNKNOWN)
    assert table.at["euma-established-2023-01-23", "n_sides"] == 2
    assert table.at["iran-intervention-claim-2020", "badge"] == SINGLE

    only_unknown = corroboration(_with_sides(data, {"kuzio-2021-10-iran-azerbaijan-near-war": "azerbaijani"}))
    assert only_unknown.at["second-karabakh-war-2020", "badge"] == ONE_SIDE
    assert only_unknown.at["second-karabakh-war-2020", "n_sides"] == 1


def test_contradictions_are_disputed_events_and_linked_pairs(data):
    found = contradictions(data)
    disputed = set(data.events.index[data.events["status"] == "disputed"])
    assert set(found.loc[found["other_event_id"] == "", "event_id"]) == disputed

    a, b = "iran-resupply-armenia-2020", "israel-turkey-resupply-azerbaijan-2020"
    events = data.events.copy()
    events.loc[b, "notes"] = events.loc[b, "notes"] + f" Contradicted by {a}."  # one note links both ways
    events.loc["iran-intervention-claim-2020", "status"] = "disputed"
    changed = contradictions(dataclasses.replace(data, events=events))
    pairs = set(zip(changed["event_id"], changed["other_event_id"], strict=True))
    assert {(a, b), (b, a), ("iran-intervention-claim-2020", "")} <= pairs
    assert len(pairs) == len(changed)
    assert {a, b, "iran-intervention-claim-2020"} <= set(contradicted_ids(dataclasses.replace(data, events=events)))


def test_relations_that_contradict_are_listed_both_ways_with_their_note(data):
    from geo.corroboration import contradictions

    table = contradictions(data)
    rel = data.relations[data.relations["kind"] == "contradicts"]
    assert len(rel) >= 1
    for a, b, note in rel[["from_event", "to_event", "note"]].itertuples(index=False):
        for x, y in ((a, b), (b, a)):
            row = table[(table["event_id"] == x) & (table["other_event_id"] == y)]
            assert len(row) == 1 and row["reason"].iloc[0] == note
