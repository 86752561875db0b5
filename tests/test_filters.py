"""Filters as pure functions: a table of filter states and the event ids they keep."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.filters import FilterState, apply_filters, describe, filter_phrases, fold

D = dt.date
CALIBER = "caliber-2025-iran-troops-armenia"
MT = "moscowtimes-2024-09-26-russia-iran-rift"

PASHINYAN = {
    "brussels-aliyev-pashinyan-2021-12-14",
    "brussels-aliyev-pashinyan-2022-04-06",
    "brussels-aliyev-pashinyan-2022-05-22",
    "brussels-aliyev-pashinyan-2022-08-31",
    "csto-summit-yerevan-veto-2022-11",
    "pashinyan-russia-cannot-mediate-2024",
    "prague-quadrilateral-meeting-2022-10",
    "trilateral-statement-2020-11-10",
}
CALIBER_EVENTS = {
    "ahmadian-demands-claim-2025-01",
    "ahmadian-visits-yerevan-2025-01",
    "aliyev-receives-ahmadian-2025-01-08",
    "assad-regime-falls-2024",
    "iran-defence-pact-offer-claim-2025-01",
    "october-7-war-2023-10-07",
    "us-contingent-zangezur-claim-2024-08",
    "euma-established-2023-01-23",  # Caliber.Az mentions the mission's presence
}
CLASHES = {"border-clash-2022-09-13", "border-fighting-2021-05", "border-fighting-2021-11"}

CASES = [
    # (case, filter state, expected ids)
    ("one person", FilterState(actors=("pashinyan",)), PASHINYAN),
    ("a source", FilterState(sources=(CALIBER,)), CALIBER_EVENTS),
    ("an event type", FilterState(event_types=("clash",)), CLASHES),
    (
        "two event types: any of",
        FilterState(event_types=("clash", "war")),
        CLASHES | {"second-karabakh-war-2020", "october-7-war-2023-10-07"},
    ),
    (
        "date bounds are inclusive, and a year overlaps",
        FilterState(date_from=D(2022, 12, 19), date_to=D(2022, 12, 23)),
        {
            "eu-short-term-mission-ends-2022-12-19",
            "eu-new-mission-2022-12-20",
            "armenia-skips-moscow-fm-meeting-2022-12-23",  # the refusal: year 2022
            "aliyev-declines-december-meeting-2022-12-07",  # the refusal: year 2022
            "eu-short-term-observation-mission-2022",  # October-December 2022
            "eu-mission-extended-2022-12",  # December 2022
            "iran-exercise-2022",
        },
    ),
    (
        "a single day",
        FilterState(date_from=D(2023, 1, 23), date_to=D(2023, 1, 23)),
        {
            "euma-established-2023-01-23",
            "aliyev-says-deceived-2023-01",
            "zakharova-csto-cornerstone-2023",
            "sidorov-csto-statement-2023",
            "grigoryan-guarantees-do-not-work-2023",
            "russia-gas-suspension-2023",
            "azerbaijan-takes-karabakh-2023",
            "karabakh-displacement-2023",
            "colonna-visits-yerevan-2023",
            "aliyev-accuses-france-2023",
            "lecornu-sovereign-skies-2023",
            "india-pinaka-zen-2023",
            "bharat-forge-marg155-2023",
            "armenia-2024-defence-budget-2023",
            "armenia-sixth-peace-proposal-2023",
            "france-defence-adviser-2023",
            "gallup-poll-france-ally-2023",
            "russia-csto-mission-ready-2023",
            "us-senate-suspends-aid-azerbaijan-2023",
            # undated in the 21 November 2023 article ("recently", or no time word): year 2023
            "armenia-skips-csto-minsk-2023-11",
            "russia-blames-west-csto-2023-11",
            "france-delivers-bastion-poti-2023-11",
            "azerbaijan-boycotts-washington-talks-2023-11",
        },
    ),
    (
        "a span: the 44-day war overlaps October 2020",
        FilterState(date_from=D(2020, 10, 15), date_to=D(2020, 10, 15), event_types=("war",)),
        {"second-karabakh-war-2020"},
    ),
    (
        "only the start bound",
        FilterState(date_from=D(2025, 1, 1)),
        {
            "aliyev-receives-ahmadian-2025-01-08",
            "ahmadian-visits-yerevan-2025-01",
            "ahmadian-demands-claim-2025-01",
            "iran-defence-pact-offer-claim-2025-01",
        },
    ),
    (
        "claims",
        FilterState(statuses=("claimed",), sources=(CALIBER,)),
        {
            "ahmadian-demands-claim-2025-01",
            "iran-defence-pact-offer-claim-2025-01",
            "us-contingent-zangezur-claim-2024-08",
        },
    ),
    (
        "region from geometry: along the Lachin corridor",
        FilterState(regions=("lachin-corridor",)),
        {
            "iranian-trucks-lachin-2021",
            "khankendi-parade-2023-11-08",
            "russian-peacekeepers-lachin-blind-eye-2021",
            "shusha-declaration-2021-06",
        },
    ),
    # None of the events drawn in Nakhchivan happened there: they are statements about the
    # corridor route through it, so "happened in" finds nothing and "concerns" finds them.
    ("region: happened in Nakhchivan", FilterState(regions=("nakhchivan",)), set()),
    (
        "region: concerns Nakhchivan",
        FilterState(regions=("nakhchivan",), region_role="concerns"),
        {
            "araghchi-unacceptable-2024-09-05",
            "armenia-mfa-private-operator-2024",
            "falahatpisheh-preemptive-move-2024",
            "iran-opposes-zangezur-corridor-2021",
            "lavrov-armenia-sabotaging-2024",
            "trilateral-statement-2020-11-10",
            "zakharova-transport-routes-2024",
        },
    ),
    (
        "all filters together",
        FilterState(actors=("iran",), regions=("syunik",), statuses=("claimed",), region_role="either"),
        {"iran-offers-syunik-base-2021", "iranian-trucks-lachin-2021"},
    ),
    (
        "an offer about Syunik did not happen in Syunik",
        FilterState(actors=("iran",), regions=("syunik",), statuses=("claimed",)),
        {"iranian-trucks-lachin-2021"},
    ),
    (
        "single-source events only",
        FilterState(corroboration=("single",), text="Stepanakert"),
        {"khankendi-parade-2023-11-08"},
    ),
    (
        "reported from two known sides",
        FilterState(corroboration=("across",)),
        {
            "euma-established-2023-01-23",
            "iran-azerbaijan-crisis-2021",
            "iran-exercise-fatehan-e-khaybar-2021",
            "second-karabakh-war-2020",
        },
    ),
    ("search forgives a misspelling", FilterState(text="Nakichevan"), {"iran-opposes-zangezur-corridor-2021"}),
    ("search knows the articles' spelling", FilterState(text="Nakhichevan"), {"iran-opposes-zangezur-corridor-2021"}),
    (
        "search finds a place by its other name",
        FilterState(text="Stepanakert"),
        {"khankendi-parade-2023-11-08"},
    ),
    ("search ignores case and accents", FilterState(text="XANKƏNDI"), {"khankendi-parade-2023-11-08"}),
    ("search: every word must match", FilterState(text="heroin Astara"), {"astara-heroin-seizures-2021"}),
    ("search reaches quotes", FilterState(text="fake food cans"), {"heroin-530kg-latvia-2021"}),
    (
        "search reaches actor aliases",
        FilterState(text="Pezeshkiyan"),
        # an alias finds the actor's events and every event whose text names him
        {"pezeshkian-criticises-look-east-2024", "falahatpisheh-preemptive-move-2024"},
    ),
    ("nothing matches", FilterState(text="zzzz"), set()),
]


@pytest.mark.parametrize("case, state, expected", CASES, ids=[c[0] for c in CASES])
def test_filter_table(data, index, case, state, expected):
    assert set(apply_filters(data.events, state, index).index) == expected


def test_empty_filter_means_all(data, index):
    assert len(apply_filters(data.events, FilterState(), index)) == len(data.events)


def test_choosing_a_state_can_include_its_officials(data, index):
    direct = set(apply_filters(data.events, FilterState(actors=("russia",), officials=False), index).index)
    with_officials = set(apply_filters(data.events, FilterState(actors=("russia",)), index).index)
    assert "falahatpisheh-preemptive-move-2024" in with_officials - direct  # Putin, not "russia"
    assert direct < with_officials
    assert {"lavrov", "zakharova", "putin", "russian-peacekeepers"} <= index.members["russia"]
    assert "michel" in index.members["eu"] and "sidorov" in index.members["csto"]


def test_filters_keep_order_and_columns(data, index):
    out = apply_filters(data.events, FilterState(event_types=("meeting",)), index)
    assert list(out.columns) == list(data.events.columns)
    assert list(out.index) == [e for e in data.events.index if e in set(out.index)]


def test_cleared_resets_one_filter():
    state = FilterState(actors=("iran",), date_from=D(2021, 1, 1), date_to=D(2022, 1, 1), text="x")
    assert state.cleared("actors") == FilterState(date_from=D(2021, 1, 1), date_to=D(2022, 1, 1), text="x")
    assert state.cleared("dates") == FilterState(actors=("iran",), text="x")
    assert FilterState(officials=False).is_empty and not state.is_empty


SENTENCES = [
    (FilterState(), "96 of 96 events: all events, no filters."),
    (
        FilterState(actors=("iran", "russia"), regions=("syunik",), date_from=D(2021, 1, 1), text="corridor"),
        "96 of 96 events: involving Iran or Russia (or their officials, forces and bodies), dated on or after "
        "1 Jan 2021, happened in Syunik (Zangezur), mentioning “corridor”.",
    ),
    (
        FilterState(
            actors=("aliyev",),
            officials=False,
            statuses=("claimed", "disputed"),
            date_from=D(2022, 1, 1),
            date_to=D(2022, 12, 31),
        ),
        "96 of 96 events: involving Ilham Aliyev, dated between 1 Jan 2022 and 31 Dec 2022, "
        "with status claimed or disputed.",
    ),
    (
        FilterState(
            event_types=("clash", "war", "military_exercise"),
            sources=(MT, "kuzio-2021-10-iran-azerbaijan-near-war"),
        ),
        "96 of 96 events: reported by The Moscow Times or Taras Kuzio (outlet not named), "
        "of type clash, war or military exercise.",
    ),
]


@pytest.mark.parametrize("state, sentence", SENTENCES)
def test_describe(data, state, sentence):
    assert describe(state, data, 96, 96) == sentence


def test_every_phrase_names_a_clearable_filter(data):
    state = FilterState(
        actors=("iran",),
        sources=(MT,),
        date_to=D(2023, 1, 1),
        event_types=("war",),
        statuses=("claimed",),
        regions=("euma-area",),
        text="x",
    )
    for name, _ in filter_phrases(state, data):
        assert state.cleared(name) != state


@pytest.mark.parametrize(
    "raw, folded",
    [
        ("Xankəndi", "xankendi"),
        ("Şuşa", "susa"),
        ("Laçın", "lacin"),
        ("Füzuli", "fuzuli"),
        ("NAXÇIVAN", "naxcivan"),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded
