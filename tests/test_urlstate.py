"""The URL holds the whole view: state → params → state, and stale links get notices."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.filters import FilterState
from geo.map import EXTENTS, MapView
from geo.map.reference import OVERLAYS
from geo.regions import REGIONS
from geo.schema import EVENT_TYPES, STATUSES
from geo.timeline import LANES
from geo.urlstate import ViewState, Vocabulary, date_range_value, dates_from_range, from_params, to_params

VOCAB = Vocabulary(
    actors=frozenset({"iran", "russia", "aliyev", "eu"}),
    sources=frozenset({"caliber-2025-iran-troops-armenia", "moscowtimes-2024-09-26-russia-iran-rift"}),
    events=frozenset({"second-karabakh-war-2020", "iran-exercise-2022"}),
    imported=frozenset({"acled", "ucdp", "gdelt"}),
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
# "include officials" only means something once an actor is chosen; the URL leaves it out otherwise
filters = filters.filter(lambda f: f.actors or f.officials)
views = st.builds(
    ViewState,
    filters=filters,
    lanes=st.sampled_from(LANES),
    extent=st.sampled_from(EXTENTS),
    selected=_subset(VOCAB.events),
    map=st.builds(
        MapView,
        lat=st.none(),
        lon=st.none(),
        zoom=st.none(),
        base=st.sampled_from(("osm", "plain")),
        hidden=st.lists(st.sampled_from(sorted(OVERLAYS)), unique=True, max_size=3).map(lambda h: tuple(sorted(h))),
    )
    | st.builds(
        MapView,
        lat=st.floats(-60, 60).map(lambda x: round(x, 4)),
        lon=st.floats(-170, 170).map(lambda x: round(x, 4)),
        zoom=st.sampled_from([2.0, 5.5, 9.0, 14.0]),
    ),
    time=st.none() | st.tuples(dates, dates).filter(lambda t: t[0] < t[1]),
    imported=_subset(VOCAB.imported),
).filter(lambda v: not (v.map.positioned and v.extent != "region"))  # a map view supersedes the extent


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
        selected=("iran-exercise-2022",),
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
    ({"imported": ["acled", "gone-dataset"]}, ViewState(imported=("acled",)), "gone-dataset"),
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


def test_imported_datasets_are_repeated_params_and_old_links_show_none():
    view = ViewState(imported=("acled", "ucdp"))
    assert to_params(view) == {"imported": ["acled", "ucdp"]}
    assert urlencode(to_params(view), doseq=True) == "imported=acled&imported=ucdp"
    assert from_params({"imported": ["ucdp", "acled", "ucdp"]}, VOCAB) == (ViewState(imported=("ucdp", "acled")), [])
    # a link from before imports, or an app without a store: nothing imported, no notice
    assert from_params({"type": ["clash"]}, VOCAB)[0].imported == ()
    no_store = Vocabulary(actors=frozenset(), sources=frozenset(), events=frozenset())
    view, notices = from_params({"imported": "acled"}, no_store)
    assert view.imported == () and "acled" in notices[0] and "store" in notices[0]


def test_unknown_keys_are_ignored():
    assert from_params({"utm_source": "x", "embed": "true"}, VOCAB) == (ViewState(), [])


def test_officials_flag_is_written_only_with_actors():
    assert to_params(ViewState(filters=FilterState(officials=False))) == {}
    assert to_params(ViewState(filters=FilterState(actors=("iran",), officials=False)))["officials"] == ["0"]


BOUNDED = Vocabulary(
    actors=frozenset(), sources=frozenset(), events=frozenset(), dates=(dt.date(1991, 1, 1), dt.date(2025, 1, 31))
)


@pytest.mark.parametrize(
    "params, date_from, date_to, noticed",
    [
        ({"from": "2021-05-01"}, dt.date(2021, 5, 1), None, False),
        ({"from": "2030-01-01"}, dt.date(2025, 1, 31), None, True),  # after the data: held to its last day
        ({"from": "1980-01-01", "to": "2022-01-01"}, None, dt.date(2022, 1, 1), True),
        ({"from": "2020-01-01", "to": "2031-01-01"}, dt.date(2020, 1, 1), None, True),
    ],
)
def test_link_dates_are_held_to_the_data(params, date_from, date_to, noticed):
    view, notices = from_params(params, BOUNDED)
    assert (view.filters.date_from, view.filters.date_to) == (date_from, date_to)
    assert bool(notices) == noticed


@pytest.mark.parametrize(
    "value, expected",
    [
        ((), (None, None)),
        ((dt.date(2021, 1, 1),), (dt.date(2021, 1, 1), None)),  # a range picker half chosen
        (dt.date(2021, 1, 1), (dt.date(2021, 1, 1), None)),  # a lone date: the picker's own default
        ((dt.date(1991, 1, 1), dt.date(2025, 1, 31)), (None, None)),  # the whole range is no filter
        ((dt.date(2021, 1, 1), dt.date(2022, 1, 1)), (dt.date(2021, 1, 1), dt.date(2022, 1, 1))),
    ],
)
def test_dates_from_range(value, expected):
    assert dates_from_range(value, BOUNDED.dates) == expected
    assert dates_from_range(value, None) == (None, None)


def test_date_range_value_round_trips_with_dates_from_range():
    f = FilterState(date_from=dt.date(2021, 1, 1))
    assert dates_from_range(date_range_value(f, BOUNDED.dates), BOUNDED.dates) == (dt.date(2021, 1, 1), None)


def test_a_link_to_another_page_keeps_the_filters_and_layers_only():
    from geo.urlstate import filters_query

    view = ViewState(
        filters=FilterState(actors=("iran",), event_types=("clash",), text="Aras"),
        lanes="actor",
        selected=("iran-exercise-2022",),
        map=MapView(lat=39.5, lon=46.3, zoom=9, base="plain", hidden=("provinces",)),
        time=(dt.date(2021, 1, 1), dt.date(2022, 1, 1)),
        story="zangezur-corridor-dispute",
        step=2,
        imported=("acled",),
    )
    kept = parse_qs(filters_query(view))
    assert kept == {
        "actor": ["iran"],
        "type": ["clash"],
        "q": ["Aras"],
        "lanes": ["actor"],
        "base": ["plain"],
        "hide": ["provinces"],
        "imported": ["acled"],
    }
    assert filters_query(ViewState()) == ""
