"""geo.imported: the one query of imported events (dates, text, the actor filter mapped by name),
and the sentence that says what the actor filter matched."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.events_store import EventQuery, EventStore, curated_actor_names
from geo.filters import FilterState
from geo.imported import ActorMapping, imported_query, map_actors


@pytest.fixture(scope="module")
def store(imported_store_dir) -> EventStore:
    return EventStore(imported_store_dir, "duckdb")


@pytest.mark.parametrize(
    "filters, mapping, expected",
    [
        (FilterState(), None, EventQuery(datasets=("acled",))),
        (
            FilterState(date_from=dt.date(2022, 9, 1), date_to=dt.date(2022, 9, 30), text="  Jermuk "),
            None,
            EventQuery(datasets=("acled",), start=dt.date(2022, 9, 1), end=dt.date(2022, 9, 30), text="Jermuk"),
        ),
        # the filters imported data cannot follow leave the query alone
        (FilterState(event_types=("clash",), regions=("syunik",), statuses=("claimed",)), None, EventQuery(("acled",))),
        # the actor filter on: only the matched names; nothing matched means no event, not every event
        (
            FilterState(actors=("armenia",)),
            ActorMapping(("armenia",), {"armenia": {"acled": ("ARMENIA",)}}),
            EventQuery(("acled",), actors=("ARMENIA",)),
        ),
        (FilterState(actors=("pashinyan",)), ActorMapping(("pashinyan",)), EventQuery(("acled",), actors=())),
        (FilterState(actors=("pashinyan",)), None, EventQuery(("acled",), actors=())),
    ],
)
def test_imported_query(filters, mapping, expected):
    assert imported_query(("acled",), filters, mapping) == expected


def test_actors_are_mapped_per_dataset_and_said(store, data):
    curated = curated_actor_names(data.actors)
    datasets = ("acled", "gdelt", "ucdp", "timemap")
    mapping = map_actors(store, ("armenia", "pashinyan"), curated, datasets)
    assert mapping.matches == {"armenia": {"gdelt": ("ARMENIA",)}}  # only GDELT names the state as such
    names = data.actors["name"].to_dict()
    assert mapping.sentence(names) == (
        "Actor filter on imported data: Armenia → 'ARMENIA' (GDELT); Nikol Pashinyan: no match"
    )
    query = imported_query(datasets, FilterState(actors=("armenia", "pashinyan")), mapping)
    assert store.count(query) == 3
    # no chosen actor matches: the filter is not dropped, no imported event is shown, and it says so
    none = map_actors(store, ("pashinyan",), curated, datasets)
    assert none.names() == () and "no imported event is shown" in none.sentence(names)
    assert store.count(imported_query(datasets, FilterState(actors=("pashinyan",)), none)) == 0
    # ACLED alone does not name Armenia the state
    assert map_actors(store, ("armenia",), curated, ("acled",)).names() == ()


def test_matched_names_are_data_and_stay_text(data):
    mapping = ActorMapping(("iran",), {"iran": {"acled": ("<b>Iran</b>", "Military Forces of Iran")}})
    sentence = mapping.sentence(data.actors["name"].to_dict())
    assert sentence == "Actor filter on imported data: Iran → '<b>Iran</b>', 'Military Forces of Iran' (ACLED)"
    assert mapping.names() == ("<b>Iran</b>", "Military Forces of Iran")  # escaped where shown (md_escape)
