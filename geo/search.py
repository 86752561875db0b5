"""Search that forgives spelling: exact words first, then other names of the same place or
actor, then near-misses of one or two letters, ranked.

Tiers (a term's score; an event's score is the mean over the query's terms, and 0 unless
*every* term scores):

=====  ===================================================================================
 100   the folded term is a substring of the event's text — the filter's original rule
  90   the term is a name of a place or actor, and the event's text holds another of its
       names as whole words ("Stepanakert" finds "Khankendi")
  80   the same transliteration of a word in the event's text ("Naxçıvan" ~ "Nakhchivan")
  70   one letter off a word in the event's text
  60   two letters off a word in the event's text (terms of seven letters or more)
75/65/55  the term is the same transliteration of, or one or two letters off, a name of a
       place or actor, and the event's text holds another of its names
=====  ===================================================================================

Terms shorter than four letters only match exactly. Everything is compared
:func:`geo.filters.fold`-ed (lower case, no accents).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from geo.load import Dataset

EXACT, SYNONYM, TRANSLIT, ONE_OFF, TWO_OFF = 100.0, 90.0, 80.0, 70.0, 60.0
#: A name found by a forgiving match is worth a little less than the word itself.
_VIA_NAME = 5.0
_WORD = re.compile(r"\w+")
#: Spellings of the same sound in English, Azerbaijani and Russian transliterations.
_TRANSLIT = (("kh", "x"), ("gh", "g"), ("ch", "c"), ("sh", "s"), ("zh", "z"), ("j", "c"), ("q", "g"), ("y", "i"))


def fold(text: str) -> str:
    """Lower case without accents; the same folding as the filters' search text."""
    from geo.filters import fold as _fold  # geo.filters may import this module

    return _fold(text)


def translit_key(word: str) -> str:
    """A folded word with transliteration variants made equal: "nakhchivan" and "naxcivan" → "naxcivan"."""
    for a, b in _TRANSLIT:
        word = word.replace(a, b)
    return word


def max_typos(term: str) -> int:
    """How many letters a term may be off: none under four letters, one up to six, two from seven."""
    return 0 if len(term) < 4 else 1 if len(term) < 7 else 2


def name_groups(data: Dataset) -> list[tuple[str, ...]]:
    """Every place's and actor's names and aliases, one tuple per place or actor: the ``vocabulary``."""
    groups = [(name, *alts) for name, alts in zip(data.places["name"], data.places["alt_names"], strict=True)]
    groups += [(name, *aliases) for name, aliases in zip(data.actors["name"], data.actors["aliases"], strict=True)]
    return [tuple(n for n in g if n) for g in groups]


@dataclass(frozen=True)
class _Words:
    words: list[str]
    keys: list[str]

    @classmethod
    def of(cls, words: Iterable[str]) -> _Words:
        unique = sorted(set(words))
        return cls(unique, [translit_key(w) for w in unique])

    def near(self, term: str) -> dict[str, float]:
        """word → tier for each word the term matches by transliteration or a letter or two."""
        found: dict[str, float] = {}
        limit = max_typos(term)
        if limit == 0:
            return found
        key = translit_key(term)
        for _, d, i in process.extract(term, self.words, scorer=Levenshtein.distance, score_cutoff=limit, limit=None):
            found[self.words[i]] = max(found.get(self.words[i], 0.0), ONE_OFF if d <= 1 else TWO_OFF)
        for _, d, i in process.extract(key, self.keys, scorer=Levenshtein.distance, score_cutoff=limit, limit=None):
            tier = TRANSLIT if d == 0 else ONE_OFF if d <= 1 else TWO_OFF
            found[self.words[i]] = max(found.get(self.words[i], 0.0), tier)
        return found


def _name_tier(term: str, name: str) -> float:
    """How well a folded term matches one folded name (or one word of it): a tier, or 0."""
    limit, key = max_typos(term), translit_key(term)
    best = 0.0
    for candidate in {name, *_WORD.findall(name)}:
        if candidate == term:
            return SYNONYM
        if not limit or len(candidate) < 4:
            continue
        if translit_key(candidate) == key:
            best = max(best, TRANSLIT - _VIA_NAME)
            continue
        d = min(Levenshtein.distance(candidate, term), Levenshtein.distance(translit_key(candidate), key))
        if d <= limit:
            best = max(best, (ONE_OFF if d <= 1 else TWO_OFF) - _VIA_NAME)
    return best


def _synonyms(term: str, groups: list[tuple[str, ...]]) -> dict[str, float]:
    """folded name → tier, for every name of every group one of whose names the term matches."""
    out: dict[str, float] = {}
    for group in groups:
        names = [fold(n) for n in group]
        tier = max((_name_tier(term, n) for n in names), default=0.0)
        if tier:
            for name in names:
                out[name] = max(out.get(name, 0.0), tier)
    return out


def _whole_words(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")


def search_events(query: str, index_text: pd.Series, vocabulary: Iterable[Iterable[str]] = ()) -> pd.Series:
    """Score every event for ``query``; the result is ranked, best first.

    ``index_text``: event_id → the event's searchable text, already folded (what
    :func:`geo.filters.search_text` returns; ``EventIndex.search``).
    ``vocabulary``: groups of names that mean the same place or actor (:func:`name_groups`);
    a term that is, or is close to, one name of a group also finds the group's other names.

    Returns a float Series indexed by event_id holding *every* event of ``index_text``:
    0 means no match; otherwise the mean of the terms' tiers (see the module docstring),
    so an event matching every term exactly (100) outranks any forgiving match. Sorted by
    score, descending; ties keep ``index_text``'s order. Terms are the query's
    whitespace-separated words, folded; a blank query scores every event 100 (no filter).
    To filter, keep the ids whose score is above 0.
    """
    terms = fold(query).split()
    texts = index_text.fillna("").astype(str)
    if not terms:
        return pd.Series(EXACT, index=index_text.index, dtype=float)
    groups = [tuple(g) for g in vocabulary]
    tokens = [set(_WORD.findall(t)) for t in texts]
    words = _Words.of(w for ws in tokens for w in ws)
    total = pd.Series(0.0, index=index_text.index)
    matched_all = pd.Series(True, index=index_text.index)
    for term in terms:
        score = pd.Series([EXACT if term in t else 0.0 for t in texts], index=index_text.index)
        for name, tier in _synonyms(term, groups).items():
            pattern = _whole_words(name)
            hit = pd.Series([tier if pattern.search(t) else 0.0 for t in texts], index=score.index)
            score = score.combine(hit, max)
        for stem in _WORD.findall(term):
            near = words.near(stem)
            if not near:
                continue
            best = [max((near.get(w, 0.0) for w in ws), default=0.0) for ws in tokens]
            score = score.combine(pd.Series(best, index=score.index), max)
        total += score
        matched_all &= score > 0
    result = (total / len(terms)).where(matched_all, 0.0)
    return result.sort_values(ascending=False, kind="stable")
