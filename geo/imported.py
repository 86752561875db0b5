"""Imported events in the current view: the one query the map, the timeline and the export share,
and what the sidebar's actor filter means for them.

The curated filters that imported data can follow are the dates, the search text and the actors;
the others (type, status, region, source, corroboration) are the curated set's own vocabulary.
The actor filter is mapped, never guessed: a chosen curated actor keeps the imported events whose
actors equal its name or one of its aliases (:meth:`geo.events_store.EventStore.actor_matches`),
dataset by dataset; an actor filter that matches no imported name keeps no imported event.

    mapping = map_actors(store, ("iran", "pashinyan"), curated_actor_names(data.actors), ("acled",))
    query = imported_query(("acled",), filters, mapping)     # for map_view, timeline_view, events
    mapping.sentence(names)  # "Actor filter on imported data: Iran → 'Iran' (ACLED); Nikol Pashinyan: no match"
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from geo.events_store import EventQuery, EventStore
from geo.filters import FilterState
from geo.map.others import DATASET_NAMES

#: What the imported data follows of the sidebar's filters (said beside it).
FOLLOWS = (
    "Imported data follows the dates, the search text and the actor filter (the chosen actors' own names, "
    "not their officials and forces); the other filters are the curated set's."
)


def dataset_name(dataset: str) -> str:
    return DATASET_NAMES.get(dataset, dataset)


def names_of(datasets: Iterable[str]) -> str:
    """ "ACLED, UCDP GED": the datasets' display names."""
    return ", ".join(dataset_name(d) for d in datasets)


@dataclass(frozen=True)
class ActorMapping:
    """The curated actors the filter chose and, for each, the imported names it matched per dataset."""

    chosen: tuple[str, ...]
    matches: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)  # id -> dataset -> names

    def names(self) -> tuple[str, ...]:
        """Every matched imported name, once (the EventQuery's ``actors``)."""
        out: dict[str, None] = {}
        for by_dataset in self.matches.values():
            for names in by_dataset.values():
                out.update(dict.fromkeys(names))
        return tuple(out)

    def sentence(self, labels: Mapping[str, str]) -> str:
        """ "Actor filter on imported data: Iran → 'Iran' (ACLED); Nikol Pashinyan: no match", and,
        when nothing matched, that no imported event is shown. ``labels``: actor id -> name."""
        parts = []
        for actor in self.chosen:
            label = labels.get(actor, actor)
            by_dataset = self.matches.get(actor) or {}
            if not by_dataset:
                parts.append(f"{label}: no match")
                continue
            found = "; ".join(
                ", ".join(f"'{n}'" for n in names) + f" ({dataset_name(d)})" for d, names in by_dataset.items()
            )
            parts.append(f"{label} → {found}")
        text = "Actor filter on imported data: " + "; ".join(parts)
        if not self.names():
            text += ". No chosen actor matches an imported actor's name, so no imported event is shown"
        return text


def map_actors(
    store: EventStore, chosen: Iterable[str], curated: Mapping[str, Iterable[str]], datasets: Iterable[str]
) -> ActorMapping:
    """Match the chosen curated actors (ids; ``curated``: id -> name and aliases) to the imported
    actor names of each dataset, in the engine."""
    chosen = tuple(chosen)
    wanted = {a: list(curated.get(a, ())) for a in chosen}
    matches: dict[str, dict[str, tuple[str, ...]]] = {}
    for dataset in datasets:
        for actor, names in store.actor_matches(wanted, EventQuery(datasets=(dataset,))).items():
            matches.setdefault(actor, {})[dataset] = tuple(names)
    return ActorMapping(chosen, matches)


def imported_query(datasets: Iterable[str], filters: FilterState, mapping: ActorMapping | None = None) -> EventQuery:
    """The imported events the sidebar keeps: these datasets, the date range, the search text and,
    when the actor filter is on, only the names ``mapping`` matched (none matched: no event)."""
    actors = None
    if filters.actors:
        actors = mapping.names() if mapping is not None else ()
    return EventQuery(
        datasets=tuple(datasets),
        start=filters.date_from,
        end=filters.date_to,
        text=filters.text.strip(),
        actors=actors,
    )
