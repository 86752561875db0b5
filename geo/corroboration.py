"""How well each event is reported: how many articles cite it, and from how many sides.

Sides group outlets by where they stand (Azerbaijani, Armenian, Russian, Iranian,
Western or independent, unknown); each source has one, in the ``side`` column of
``data/sources.csv``. An event's badge is:

* ``"single source"`` — one article cites it;
* ``"one side only"`` — several articles cite it, but they do not come from two
  *known* sides (an ``unknown`` side never counts as a second side, so corroboration
  is never overstated);
* ``"across sides"`` — articles from two or more known sides cite it.

Sources are counted by ``source_id`` (one article each). Two articles whose outlet is
not named count as two sources: their authors differ.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from geo.load import Dataset
from geo.schema import SIDES

UNKNOWN = "unknown"
SINGLE, ONE_SIDE, ACROSS = "single source", "one side only", "across sides"
#: The badges, weakest first, with what each means.
BADGES: dict[str, str] = {
    SINGLE: "one article reports it",
    ONE_SIDE: "several articles report it, but not from two known sides",
    ACROSS: "articles from two or more known sides report it",
}


def side_label(side: str) -> str:
    """ "western_independent" → "Western or independent"; an unlisted value is shown as it is."""
    return SIDES.get(side, side)


def source_sides(sources: pd.DataFrame) -> pd.Series:
    """source_id → side. The one place that decides a source's side.

    Without a ``side`` column, or with a blank or unlisted value, the side is ``unknown``.
    """
    if "side" not in sources.columns:
        return pd.Series(UNKNOWN, index=sources.index, dtype=object)
    sides = sources["side"].fillna("").astype(str).str.strip()
    return sides.where(sides.isin(list(SIDES)) & (sides != ""), UNKNOWN).astype(object)


def _side_order(sides: Iterable[str]) -> tuple[str, ...]:
    order = {s: i for i, s in enumerate(SIDES)}
    return tuple(sorted(set(sides), key=lambda s: (order.get(s, len(order)), s)))


def rate(source_ids: Iterable[str], side_of: pd.Series | dict[str, str]) -> dict[str, object]:
    """The corroboration of one event reported by ``source_ids``: n_sources, n_sides, sides, badge."""
    source_ids = list(dict.fromkeys(source_ids))
    sides = _side_order(side_of.get(s, UNKNOWN) for s in source_ids)
    known = [s for s in sides if s != UNKNOWN]
    n = len(source_ids)
    badge = SINGLE if n <= 1 else ACROSS if len(known) >= 2 else ONE_SIDE
    return {"n_sources": n, "n_sides": len(known), "sides": sides, "badge": badge}


def corroboration(data: Dataset) -> pd.DataFrame:
    """One row per event (indexed by event_id, in the events' order).

    Columns: ``n_sources`` (distinct articles citing it), ``n_sides`` (distinct *known*
    sides among them; ``unknown`` is not counted), ``sides`` (tuple of every distinct side,
    ``unknown`` included, in :data:`SIDES` order) and ``badge`` (a key of :data:`BADGES`).
    """
    side_of = source_sides(data.sources)
    cites = data.citations[["event_id", "source_id"]].drop_duplicates()
    by_event = cites.groupby("event_id")["source_id"].agg(list)
    rows = [rate(by_event.get(event_id, []), side_of) for event_id in data.events.index]
    columns = ["n_sources", "n_sides", "sides", "badge"]
    frame = pd.DataFrame(rows, index=pd.Index(data.events.index, name="event_id"), columns=columns)
    frame["n_sources"] = frame["n_sources"].astype(int)
    frame["n_sides"] = frame["n_sides"].astype(int)
    return frame


def corroboration_ids(data: Dataset, badges: tuple[str, ...]) -> set[str]:
    """The ids of the events whose badge is one of ``badges``; an empty tuple means every event."""
    table = corroboration(data)
    if not badges:
        return set(table.index)
    unknown = [b for b in badges if b not in BADGES]
    if unknown:
        raise ValueError(f"unknown badge(s) {unknown}; use one of {list(BADGES)}")
    return set(table.index[table["badge"].isin(badges)])


def multi_source_ids(data: Dataset) -> list[str]:
    """Events more than one article reports, in the events' (date) order."""
    table = corroboration(data)
    return list(table.index[table["n_sources"] > 1])


#: In an event's notes, "contradicts <event_id>" (any case) links it to an event it contradicts.
CONTRADICTS = re.compile(r"\bcontradict(?:s|ed by)\s+([a-z0-9]+(?:-[a-z0-9]+)*)", re.IGNORECASE)


def contradictions(data: Dataset) -> pd.DataFrame:
    """The events where the articles contradict each other, one row per event.

    What counts, exactly:

    1. every event whose ``status`` is ``disputed`` (another party contests it in the
       articles) — ``other_event_id`` is empty;
    2. every pair of events linked in ``data/relations.csv`` with kind ``contradicts``
       (the link cites the sentence that supports it), or by a note of one of them saying
       ``contradicts <event_id>`` or ``contradicted by <event_id>`` naming a loaded event —
       both events are listed, each with the other as ``other_event_id``.

    Nothing else is inferred: two articles telling an event differently without either
    of these marks is not listed. Columns: ``event_id``, ``other_event_id`` ("" if none),
    ``reason``; rows in the events' order, each (event, other) pair once.
    """
    events = data.events
    rows: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()

    def add(event_id: str, other: str, reason: str) -> None:
        if (event_id, other) not in seen:
            seen.add((event_id, other))
            rows.append({"event_id": event_id, "other_event_id": other, "reason": reason})

    links: dict[str, set[str]] = {}
    why: dict[tuple[str, str], str] = {}  # (event, other) -> the relation's note, where a relation says so
    for event_id, notes in events["notes"].items():
        for other in CONTRADICTS.findall(notes or ""):
            if other in events.index and other != event_id:
                links.setdefault(event_id, set()).add(other)
                links.setdefault(other, set()).add(event_id)
    relations = getattr(data, "relations", None)
    if relations is not None and len(relations):
        contra = relations.loc[relations["kind"] == "contradicts", ["from_event", "to_event", "note"]]
        for a, b, note in contra.itertuples(index=False):
            if a in events.index and b in events.index:
                links.setdefault(a, set()).add(b)
                links.setdefault(b, set()).add(a)
                why[(a, b)] = why[(b, a)] = note
    for event_id, status in events["status"].items():
        if status == "disputed":
            add(event_id, "", "disputed: another party contests it in the articles")
        for other in sorted(links.get(event_id, ())):
            add(event_id, other, why.get((event_id, other)) or f"the data marks it as contradicting {other}")
    return pd.DataFrame(rows, columns=["event_id", "other_event_id", "reason"])


def contradicted_ids(data: Dataset) -> list[str]:
    """Distinct event ids of :func:`contradictions`, in the events' order."""
    ids = set(contradictions(data)["event_id"])
    return [e for e in data.events.index if e in ids]
