"""Filters as pure data: a frozen state, the events it keeps, and a sentence for it.

Semantics (as in timemap and datasette): any of the values within one filter,
all filters together, an empty filter means "all". Dates are inclusive and an
event is kept when the period its date stands for (a day, a month, a year, or
its span) overlaps the chosen range.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from typing import Any

import pandas as pd

from geo.corroboration import ACROSS, ONE_SIDE, SINGLE, corroboration
from geo.labels import source_labels, type_label
from geo.load import Dataset
from geo.regions import REGIONS, event_regions, place_regions
from geo.search import name_groups, search_events

#: How the region filter reads an event's places (their ``place_role``): where it happened
#: (as the article says, or assumed by the curators), what it concerns, or either.
REGION_ROLES: dict[str, str] = {"happened": "happened in", "concerns": "concerns", "either": "happened in or concerns"}
_ROLES_OF = {"happened": frozenset({"happened", "assumed"}), "concerns": frozenset({"concerns"})}

#: URL-friendly keys of the corroboration badges (geo.corroboration.BADGES), in order.
CORROBORATION: dict[str, str] = {"single": SINGLE, "one-side": ONE_SIDE, "across": ACROSS}


@dataclass(frozen=True)
class FilterState:
    """What the user chose. Empty tuples and ``None`` mean "no filter"."""

    actors: tuple[str, ...] = ()
    officials: bool = True  # choosing a state or organization also finds its people and forces
    sources: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    event_types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    region_role: str = "happened"  # one of REGION_ROLES: where the event happened, what it concerns, or either
    corroboration: tuple[str, ...] = ()  # badges of geo.corroboration: "single", "one-side", "across"
    text: str = ""

    def cleared(self, name: str) -> FilterState:
        """This state with one filter reset (``"dates"`` resets both bounds)."""
        if name == "dates":
            return replace(self, date_from=None, date_to=None)
        return replace(self, **{name: next(f.default for f in fields(self) if f.name == name)})

    @property
    def is_empty(self) -> bool:
        return self == FilterState(officials=self.officials)


def date_bounds(events: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    """The first and last day any event covers: the range a date filter can take (None if no events)."""
    if events.empty:
        return None
    return events["date_start"].min().date(), events["period_end"].max().date()


def fold(text: str) -> str:
    """Lower-case and strip accents, so "Xankəndi" ~ "xankendi" and "Şuşa" ~ "susa"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ə", "e").replace("ı", "i")


@dataclass(frozen=True)
class EventIndex:
    """What filtering needs besides the events, derived once from a Dataset."""

    members: dict[str, frozenset[str]]  # actor → itself and every actor that belongs to it
    regions: pd.Series  # event_id → frozenset of region keys
    search: pd.Series  # event_id → folded text of everything a search should find
    roles: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))  # event_id → place_role
    badges: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))  # event_id → corroboration badge
    names: tuple[tuple[str, ...], ...] = ()  # groups of names of one place or actor, for forgiving search

    @classmethod
    def build(cls, data: Dataset) -> EventIndex:
        roles = data.events["place_role"] if "place_role" in data.events else pd.Series("", index=data.events.index)
        return cls(
            members=actor_members(data.actors),
            regions=event_regions(data.events, place_regions(data.places)),
            search=search_text(data),
            roles=roles.fillna("").replace("", "happened").where(data.events["place_ids"].map(bool), ""),
            badges=corroboration(data)["badge"].reindex(data.events.index).fillna(SINGLE),
            names=tuple(name_groups(data)),
        )


def actor_members(actors: pd.DataFrame) -> dict[str, frozenset[str]]:
    """actor_id → itself plus, transitively, every actor whose ``country`` points at it.

    A state is matched through its ISO3 code (Lavrov's country is RUS, Russia's
    code is RUS); an organization through its actor_id (Michel's is ``eu``).
    """
    code_of = {
        a: (c if k == "state" else a) for a, k, c in zip(actors.index, actors["kind"], actors["country"], strict=False)
    }
    children: dict[str, set[str]] = {}
    for actor_id, kind, country in zip(actors.index, actors["kind"], actors["country"], strict=False):
        if country and kind != "state":
            children.setdefault(country, set()).add(actor_id)
    members: dict[str, frozenset[str]] = {}
    for actor_id in actors.index:
        found, todo = {actor_id}, [code_of[actor_id]]
        while todo:
            for child in children.get(todo.pop(), ()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        members[actor_id] = frozenset(found)
    return members


def search_text(data: Dataset) -> pd.Series:
    """event_id → titles, summaries, quotes, outlets, every place name and alias, actor names and aliases."""
    events, places, actors = data.events, data.places, data.actors
    quotes = data.citations.groupby("event_id")["quote"].agg(" ".join)
    place_names = {
        p: " ".join([n, *alts]) for p, n, alts in zip(places.index, places["name"], places["alt_names"], strict=False)
    }
    actor_names = {
        a: " ".join([n, *al]) for a, n, al in zip(actors.index, actors["name"], actors["aliases"], strict=False)
    }
    outlets = {s: f"{row['outlet']} {row['author']}" for s, row in data.sources.iterrows()}
    texts = []
    for event_id, row in events.iterrows():
        parts = [row["title"], row["summary"], row["notes"], quotes.get(event_id, "")]
        parts += [place_names.get(p, p) for p in row["place_ids"]]
        parts += [actor_names.get(a, a) for a in row["actor_ids"]]
        parts += [outlets.get(s, s) for s in row["source_ids"]]
        texts.append(fold(" ".join(parts)))
    return pd.Series(texts, index=events.index, dtype=object)


def _any_of(values: Iterable[str], wanted: frozenset[str]) -> bool:
    return not wanted.isdisjoint(values)


def overlapping(events: pd.DataFrame, first: Any = None, last: Any = None) -> pd.Series:
    """Which events' periods (``date_start`` to ``period_end``: a year-dated event covers its year)
    meet the days ``first`` to ``last``; a bound that is None is open. The date filter's rule, and
    what a playback window or the count strip's visible dates hold."""
    keep = pd.Series(True, index=events.index)
    if first is not None:
        keep &= events["period_end"] >= pd.Timestamp(first)
    if last is not None:
        keep &= events["date_start"] <= pd.Timestamp(last)
    return keep


def apply_filters(events: pd.DataFrame, state: FilterState, index: EventIndex) -> pd.DataFrame:
    """The events ``state`` keeps, in their original order."""
    keep = pd.Series(True, index=events.index)
    if state.actors:
        wanted = frozenset().union(
            *((index.members.get(a, frozenset({a})) if state.officials else {a}) for a in state.actors)
        )
        keep &= events["actor_ids"].map(lambda ids: _any_of(ids, wanted))
    if state.sources:
        keep &= events["source_ids"].map(lambda ids: _any_of(ids, frozenset(state.sources)))
    if state.date_from is not None or state.date_to is not None:
        keep &= overlapping(events, state.date_from, state.date_to)
    if state.event_types:
        keep &= events["event_type"].isin(state.event_types)
    if state.statuses:
        keep &= events["status"].isin(state.statuses)
    if state.regions:
        keep &= index.regions.reindex(events.index).map(lambda r: _any_of(r, frozenset(state.regions)))
        if state.region_role in _ROLES_OF:
            keep &= index.roles.reindex(events.index).isin(_ROLES_OF[state.region_role])
    if state.corroboration:
        wanted = {CORROBORATION[b] for b in state.corroboration if b in CORROBORATION}
        keep &= index.badges.reindex(events.index).isin(wanted)
    if state.text.strip():
        scores = search_events(state.text, index.search.reindex(events.index), index.names)
        keep &= scores.reindex(events.index) > 0
    return events.iloc[keep.to_numpy().nonzero()[0]]  # positions: no index alignment, half the time


# --- the sentence ---------------------------------------------------------------------


def _or(items: list[str]) -> str:
    if len(items) <= 2:
        return " or ".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def _day(d: dt.date) -> str:
    return f"{d.day} {d:%b %Y}"


def filter_phrases(state: FilterState, data: Dataset) -> list[tuple[str, str]]:
    """(filter name, phrase) for each active filter, in reading order.

    The name is what :meth:`FilterState.cleared` takes, so a UI can offer a
    one-click "clear" beside each phrase.
    """
    phrases: list[tuple[str, str]] = []
    if state.actors:
        actor_name = data.actors["name"].to_dict()
        names = _or([actor_name.get(a, a) for a in state.actors])
        suffix = " (or their officials, forces and bodies)" if state.officials else ""
        phrases.append(("actors", f"involving {names}{suffix}"))
    if state.sources:
        outlet = source_labels(data.sources)
        phrases.append(("sources", f"reported by {_or([outlet.get(s, s) for s in state.sources])}"))
    if state.date_from and state.date_to:
        phrases.append(("dates", f"dated between {_day(state.date_from)} and {_day(state.date_to)}"))
    elif state.date_from:
        phrases.append(("dates", f"dated on or after {_day(state.date_from)}"))
    elif state.date_to:
        phrases.append(("dates", f"dated on or before {_day(state.date_to)}"))
    if state.event_types:
        phrases.append(("event_types", f"of type {_or([type_label(t) for t in state.event_types])}"))
    if state.statuses:
        phrases.append(("statuses", f"with status {_or(list(state.statuses))}"))
    if state.regions:
        names = [
            REGIONS.get(r, r).removeprefix("inside ").removeprefix("along ").removeprefix("in ") for r in state.regions
        ]
        where = _or(names)
        phrases.append(("regions", f"{REGION_ROLES.get(state.region_role, 'in')} {where}"))
    if state.corroboration:
        phrases.append(
            ("corroboration", f"corroborated: {_or([CORROBORATION.get(b, b) for b in state.corroboration])}")
        )
    if state.text.strip():
        phrases.append(("text", f"mentioning “{state.text.strip()}”"))
    return phrases


def describe(state: FilterState, data: Dataset, shown: int, total: int) -> str:
    """ "12 of 96 events: involving Iran, inside Syunik." — the whole view in a sentence."""
    head = f"{shown} of {total} events"
    phrases = [p for _, p in filter_phrases(state, data)]
    if not phrases:
        return f"{head}: all events, no filters."
    return f"{head}: " + ", ".join(phrases) + "."
