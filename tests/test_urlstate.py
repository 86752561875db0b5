"""The URL holds the whole view: state → params → state, and stale links get notices."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.filters import FilterState
from geo.map import EXTENTS
from geo.regions import REGIONS
from geo.schema import EVENT_TYPES, STATUSES
from geo.timeline import LANES
from geo.urlstate import ViewState, Vocabulary, from_params, to_params

VOCAB = Vocabulary(
    actors=frozenset({"iran", "russia", "aliyev", "eu"}),
    sources=frozenset({"caliber-2025-iran-troops-armenia", "moscowtimes-2024-09-26-russia-iran-rift"}),
    events=frozenset({"second-karabakh-war-2020", "iran-exercise-2022"}),
)


def _subset(values):
    return st.lists(st.sampled_from(sorted(values)), unique=True, max_size=3).map(tuple)


dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))
filters = st.builds(
    FilterState,
    actors=_subset(VOCAB.actors),
    officials=st.booleans(),
    sources=_subset(VOCAB.sources),
    date_from=st.none() | dates,
    date_to=st.none() | dates,
    event_types=_subset(EVENT_TYPES),
    statuses=_subset(STATUSES),
    regions=_subset(REGIONS),
    text=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20).map(str.strip),
).filter(lambda f: not (f.date_from and f.date_to and f.date_from > f.date_to))
views = st.builds(
    ViewState,
    filters=filters,
    lanes=st.sampled_from(LANES),
    extent=st.sampled_from(EXTENTS),
    event=st.none() | st.sampled_from(sorted(VOCAB.events)),
)


@settings(max_examples=200)
@given(view=views)
def test_round_trip_state_params_state(view):
    back, notices = from_params(to_params(view), VOCAB)
    assert (back, notices) == (view, [])


@settings(max_examples=100)
@given(view=views)
def test_round_trip_through_a_real_query_string(view):
    query = urlencode(to_params(view), doseq=True)
    back, notices = from_params(parse_qs(query), VOCAB)
    assert (back, notices) == (view, [])


def test_default_view_has_a_clean_url():
    assert to_params(ViewState()) == {}


def test_lists_are_repeated_params():
    view = ViewState(
        filters=FilterState(actors=("iran", "russia"), date_from=dt.date(2022, 1, 1)),
        event="iran-exercise-2022",
    )
    assert to_params(view) == {
        "actor": ["iran", "russia"],
        "from": ["2022-01-01"],
        "event": ["iran-exercise-2022"],
    }


STALE = [
    ({"actor": ["iran", "gone-actor"]}, ViewState(filters=FilterState(actors=("iran",))), "gone-actor"),
    ({"event": "deleted-event"}, ViewState(), "deleted-event"),
    ({"source": ["nope"]}, ViewState(), "nope"),
    ({"type": ["skirmish"]}, ViewState(), "skirmish"),
    ({"region": ["atlantis"]}, ViewState(), "atlantis"),
    ({"from": "2022-02-30"}, ViewState(), "2022-02-30"),
    ({"lanes": "colour"}, ViewState(), "colour"),
    (
        {"from": "2023-01-01", "to": "2022-01-01"},
        ViewState(filters=FilterState(date_from=dt.date(2022, 1, 1), date_to=dt.date(2023, 1, 1))),
        "swapped",
    ),
]


@pytest.mark.parametrize("params, expected, named", STALE)
def test_stale_link_gives_notice_and_keeps_the_rest(params, expected, named):
    view, notices = from_params(params, VOCAB)
    assert view == expected
    assert len(notices) == 1 and named in notices[0]


def test_unknown_keys_are_ignored():
    assert from_params({"utm_source": "x", "embed": "true"}, VOCAB) == (ViewState(), [])
