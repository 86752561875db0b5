"""Search that forgives spelling, on the curated data: every spelling the articles use, and near-misses."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.filters import EventIndex
from geo.load import Dataset
from geo.search import EXACT, max_typos, name_groups, search_events, translit_key

KHANKENDI = "khankendi-parade-2023-11-08"
ZANGEZUR = "iran-opposes-zangezur-corridor-2021"
SHUSHA = "shusha-declaration-2021-06"
LACHIN = "iranian-trucks-lachin-2021"
KARABAKH = "second-karabakh-war-2020"
LAVROV = "lavrov-opposes-iran-drills-2021"

#: (query, an event it must find). The spellings of the articles, the places' and actors'
#: other names, and misspellings one or two letters off.
CASES = [
    # the articles' own spellings of Nakhchivan, and its other names
    ("Nakhchivan", ZANGEZUR),
    ("Nakhichevan", ZANGEZUR),
    ("Nakichevan", ZANGEZUR),
    ("Naxçıvan", ZANGEZUR),
    ("Nakhijevan", ZANGEZUR),
    ("nakhchivan", ZANGEZUR),
    # Khankendi / Stepanakert
    ("Stepanakert", KHANKENDI),
    ("Khankendi", KHANKENDI),
    ("Xankəndi", KHANKENDI),
    ("Stepanakret", KHANKENDI),  # two letters swapped
    ("Stepnakert", KHANKENDI),  # one letter missing
    ("Khankandi", KHANKENDI),  # one letter wrong
    # Zangezur / Syunik
    ("Zangezur", ZANGEZUR),
    ("Zəngəzur", ZANGEZUR),
    ("Zangazur", ZANGEZUR),
    ("Zangezour", ZANGEZUR),
    ("Syunik", ZANGEZUR),
    ("Siunik", ZANGEZUR),
    # Shusha, Lachin, Karabakh
    ("Shusha", SHUSHA),
    ("Shushi", SHUSHA),
    ("Şuşa", SHUSHA),
    ("Susha", SHUSHA),
    ("Lachin", LACHIN),
    ("Laçın", LACHIN),
    ("Berdzor", LACHIN),
    ("Latchin", LACHIN),
    ("Karabakh", KARABAKH),
    ("Qarabağ", KARABAKH),
    ("Artsakh", KARABAKH),
    ("Karabagh", KARABAKH),
    ("Nagorno Karabakh", KARABAKH),
    # actors and their aliases
    ("Lavrov", LAVROV),
    ("Lavrof", LAVROV),
    ("Sergei Lavrov", LAVROV),
    ("Tehran", "iran-intervention-claim-2020"),
    ("Teheran", "iran-intervention-claim-2020"),
    ("Kremlin", "base-102-agreement-1995"),
    ("Kremln", "base-102-agreement-1995"),
]


@pytest.fixture(scope="module")
def groups(data: Dataset) -> list[tuple[str, ...]]:
    return name_groups(data)


@pytest.mark.parametrize(("query", "event_id"), CASES)
def test_every_spelling_finds_its_event(query, event_id, index: EventIndex, groups):
    scores = search_events(query, index.search, groups)
    assert scores[event_id] > 0, f"{query!r} does not find {event_id}"


def test_the_result_scores_every_event_ranked(index, groups):
    scores = search_events("Stepanakret", index.search, groups)
    assert set(scores.index) == set(index.search.index)
    assert scores.is_monotonic_decreasing
    assert scores.index[0] == KHANKENDI
    assert (scores == 0).sum() > 90


def test_an_exact_match_outranks_any_forgiving_one(index, groups):
    """Exact substrings are the top tier: exactly the events the old filter kept score 100."""
    for query in ("Tehran", "Lavrov", "Zangezur", "heroin"):
        scores = search_events(query, index.search, groups)
        exact = set(index.search.index[index.search.str.contains(query.lower(), regex=False)])
        assert set(scores.index[scores == EXACT]) == exact
        assert scores[list(exact)].min() > scores.drop(list(exact)).max()


def test_a_misspelling_ranks_below_the_right_spelling(index, groups):
    right = search_events("Zangezur", index.search, groups)[ZANGEZUR]
    wrong = search_events("Zangazur", index.search, groups)[ZANGEZUR]
    worse = search_events("Zangazour", index.search, groups)[ZANGEZUR]
    assert right > wrong > worse > 0


def test_every_term_must_match(index, groups):
    both = search_events("Lavrov drills", index.search, groups)
    assert both[LAVROV] > 0
    assert search_events("Lavrov xyzzyq", index.search, groups).eq(0).all()


def test_nothing_found_and_blank_query(index, groups):
    assert search_events("qwxzzy", index.search, groups).eq(0).all()
    blank = search_events("   ", index.search, groups)
    assert blank.eq(EXACT).all() and len(blank) == len(index.search)


def test_short_terms_only_match_exactly():
    text = pd.Series({"a": "the eu mission", "b": "an eo mission"})
    assert search_events("eu", text).to_dict() == {"a": EXACT, "b": 0.0}
    assert max_typos("eu") == 0 and max_typos("baku") == 1 and max_typos("zangezur") == 2


def test_vocabulary_finds_other_names_of_a_place():
    text = pd.Series({"x": "a parade in khankendi", "y": "nothing here"})
    assert search_events("Stepanakert", text).eq(0).all()
    found = search_events("Stepanakert", text, [("Khankendi", "Stepanakert", "Xankəndi")])
    assert found["x"] > 0 and found["y"] == 0


def test_transliterations_share_a_key():
    assert translit_key("nakhchivan") == translit_key("naxcivan")
    assert translit_key("lachin") == translit_key("lacin")
