"""The whole view in the URL, so a shared link reproduces it.

A :class:`ViewState` (filters, timeline lanes and range, the map's view, the selected
events) is
written as query parameters with readable keys and stable curated ids, and read
back with a list of notices for anything a link names that no longer exists
(an actor, a source, an event...). Unknown keys are ignored; values equal to the
default are left out, so the default view has a clean URL.

    ?actor=iran&actor=russia&from=2021-01-01&to=2022-12-31&region=syunik&event=iran-exercise-2022
    &map=39.5,46.0,9&base=plain&hide=provinces&time=2022-01-01,2023-06-30&imported=acled&imported=ucdp

Why not Streamlit's ``bind="query-params"``: a bound multiselect writes its *formatted*
options into the URL (``actor=State: Iran``), not the curated ids, so links would break
whenever a display name is corrected; the filters here are id-valued, so this module
keeps the URL in curated ids and :mod:`dashboard.state` moves values to and from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from geo.filters import CORROBORATION, REGION_ROLES, FilterState, date_bounds
from geo.load import Dataset
from geo.map.reference import OVERLAYS
from geo.map.view import EXTENTS, MapView
from geo.regions import REGIONS
from geo.schema import EVENT_TYPES, STATUSES
from geo.timeline import LANES


@dataclass(frozen=True)
class ViewState:
    filters: FilterState = field(default_factory=FilterState)
    lanes: str = LANES[0]
    extent: str = EXTENTS[0]  # what a link asks the map to fit when it names no map view
    selected: tuple[str, ...] = ()  # every selected event; the first opens in the panel
    map: MapView = field(default_factory=MapView)
    time: tuple[dt.date, dt.date] | None = None  # the timeline's visible range
    story: str | None = None  # a narrative being followed, and its step (1..n)
    step: int | None = None
    play: tuple[dt.date, int] | None = None  # a playback window: its first day and length in days
    imported: tuple[str, ...] = ()  # imported datasets shown beside the curated set (geo.events_store)

    @property
    def event(self) -> str | None:
        """The event whose panel is open: the first selected."""
        return self.selected[0] if self.selected else None


@dataclass(frozen=True)
class Vocabulary:
    """The ids a link may name; anything else gets a notice and is dropped."""

    actors: frozenset[str]
    sources: frozenset[str]
    events: frozenset[str]
    event_types: frozenset[str] = frozenset(EVENT_TYPES)
    statuses: frozenset[str] = frozenset(STATUSES)
    regions: frozenset[str] = frozenset(REGIONS)
    corroboration: frozenset[str] = frozenset(CORROBORATION)
    dates: tuple[dt.date, dt.date] | None = None  # the range a link's dates are held to
    layers: frozenset[str] = frozenset(OVERLAYS)  # the map layers a link may hide
    stories: frozenset[str] = frozenset()  # the narratives a link may follow
    imported: frozenset[str] = frozenset()  # the datasets the store holds (not from Dataset: pass them)

    @classmethod
    def of(cls, data: Dataset) -> Vocabulary:
        """The actors, sources, events and date range of a loaded dataset."""
        return cls(
            actors=frozenset(data.actors.index),
            sources=frozenset(data.sources.index),
            events=frozenset(data.events.index),
            dates=date_bounds(data.events),
            stories=frozenset(data.narratives["narrative_id"]) if len(data.narratives) else frozenset(),
        )


# filter field → (query key, vocabulary attribute, what to call one value in a notice)
LIST_PARAMS: dict[str, tuple[str, str, str]] = {
    "actors": ("actor", "actors", "actor"),
    "sources": ("source", "sources", "source"),
    "event_types": ("type", "event_types", "event type"),
    "statuses": ("status", "statuses", "status"),
    "regions": ("region", "regions", "region"),
    "corroboration": ("corroboration", "corroboration", "corroboration badge"),
}
MAP_KEYS = ("map", "base", "hide")
KEYS = {
    "officials",
    "from",
    "to",
    "q",
    "lanes",
    "extent",
    "event",
    "time",
    "region_role",
    "story",
    "step",
    "play",
    "imported",
    *MAP_KEYS,
    *(k for k, _, _ in LIST_PARAMS.values()),
}
#: What a notice shows of a value a link gave, at most: a 100 KB value is not echoed whole.
NOTICE_CHARS = 60
MAX_NOTICES = 5


def to_params(view: ViewState) -> dict[str, list[str]]:
    """Query parameters for ``view``: each key maps to its list of values."""
    f = view.filters
    params: dict[str, list[str]] = {}
    for name, (key, _, _) in LIST_PARAMS.items():
        if values := getattr(f, name):
            params[key] = list(values)
    if f.actors and not f.officials:
        params["officials"] = ["0"]
    if f.date_from:
        params["from"] = [f.date_from.isoformat()]
    if f.date_to:
        params["to"] = [f.date_to.isoformat()]
    if f.regions and f.region_role != "happened":
        params["region_role"] = [f.region_role]
    if f.text.strip():
        params["q"] = [f.text.strip()]
    if view.lanes != LANES[0]:
        params["lanes"] = [view.lanes]
    if view.extent != EXTENTS[0] and not view.map.positioned:
        params["extent"] = [view.extent]
    if view.selected:
        params["event"] = list(view.selected)
    params.update(view.map.to_params())
    if view.time:
        params["time"] = [f"{view.time[0].isoformat()},{view.time[1].isoformat()}"]
    if view.story:
        params["story"] = [view.story]
        params["step"] = [str(view.step or 1)]
    if view.play:
        params["play"] = [f"{view.play[0].isoformat()},{view.play[1]}"]
    if view.imported:
        params["imported"] = list(view.imported)
    return params


def filters_query(view: ViewState) -> str:
    """What a link from one page to another keeps of ``view``, as a query string (no ``?``):
    the filters, the lanes, the map's base and hidden layers and the imported datasets. The
    event, the map's position, the timeline's range, a story and playback belong to the page
    the link opens."""
    kept = ViewState(
        filters=view.filters,
        lanes=view.lanes,
        map=MapView(base=view.map.base, hidden=view.map.hidden),
        imported=view.imported,
    )
    return urlencode(to_params(kept), doseq=True)


def _values(params: Mapping[str, str | Iterable[str]], key: str) -> list[str]:
    """All values of ``key``, whether the mapping holds a string or a list of strings."""
    value = params.get(key)
    if value is None:
        return []
    return [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]


def _one(params: Mapping[str, str | Iterable[str]], key: str) -> str | None:
    values = _values(params, key)
    return values[-1].strip() if values and values[-1].strip() else None


def _date(params: Mapping, key: str, notices: list[str]) -> dt.date | None:
    raw = _one(params, key)
    if raw is None:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        notices.append(f"The link's '{key}' date “{raw}” is not a date (YYYY-MM-DD); it was ignored.")
        return None


def _flag(params: Mapping, key: str, notices: list[str]) -> bool:
    """A strict boolean: 1/true/yes or 0/false/no; anything else is a notice and the default (on)."""
    raw = _one(params, key)
    if raw is None or raw.lower() in ("1", "true", "yes"):
        return True
    if raw.lower() in ("0", "false", "no"):
        return False
    notices.append(f"The link's '{key}' value “{raw}” is not true or false; it was ignored.")
    return True


def _choice(params: Mapping, key: str, allowed: tuple[str, ...], notices: list[str]) -> str:
    raw = _one(params, key)
    if raw is None or raw in allowed:
        return raw or allowed[0]
    notices.append(f"The link's '{key}' value “{raw}” is not one of {', '.join(allowed)}; showing {allowed[0]}.")
    return allowed[0]


def _within(
    date_from: dt.date | None, date_to: dt.date | None, bounds: tuple[dt.date, dt.date], notices: list[str]
) -> tuple[dt.date | None, dt.date | None]:
    """Hold a link's dates to the data's range; a bound at the range's edge is no bound at all."""
    lo, hi = bounds
    held = [None if d is None else min(max(d, lo), hi) for d in (date_from, date_to)]
    if held != [date_from, date_to]:
        notices.append(f"The link's dates fall outside the data ({lo} to {hi}); they were moved inside it.")
    return (None if held[0] in (None, lo) else held[0]), (None if held[1] in (None, hi) else held[1])


def date_range_value(filters: FilterState, bounds: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
    """What a range picker spanning ``bounds`` shows for these filters."""
    lo, hi = bounds
    return max(filters.date_from or lo, lo), min(filters.date_to or hi, hi)


def dates_from_range(
    value: Iterable[dt.date] | dt.date | None, bounds: tuple[dt.date, dt.date] | None
) -> tuple[dt.date | None, dt.date | None]:
    """The filter bounds a range picker's value stands for: 0, 1 or 2 dates; the data's edges mean
    none. A lone date counts as a range with one end chosen: Streamlit gives the picker its own
    default (today) when a rerun's message leaves the picker's state out."""
    if bounds is None:
        return None, None
    lo, hi = bounds
    dates = [value] if isinstance(value, dt.date) else list(value or ())
    date_from = dates[0] if dates and dates[0] != lo else None
    date_to = dates[1] if len(dates) == 2 and dates[1] != hi else None
    return date_from, date_to


def from_params(params: Mapping[str, str | Iterable[str]], vocab: Vocabulary) -> tuple[ViewState, list[str]]:
    """Read a view from query parameters; return it with notices for what was dropped."""
    notices: list[str] = []
    lists: dict[str, tuple[str, ...]] = {}
    for name, (key, vocab_attr, noun) in LIST_PARAMS.items():
        known: frozenset[str] = getattr(vocab, vocab_attr)
        kept: list[str] = []
        for value in _values(params, key):
            if value in known:
                if value not in kept:
                    kept.append(value)
            else:
                notices.append(f"The link names the {noun} “{value}”, which is not in the data; it was ignored.")
        lists[name] = tuple(kept)
    date_from, date_to = _date(params, "from", notices), _date(params, "to", notices)
    if date_from and date_to and date_from > date_to:
        notices.append("The link's 'from' date is after its 'to' date; the two were swapped.")
        date_from, date_to = date_to, date_from
    if vocab.dates:
        date_from, date_to = _within(date_from, date_to, vocab.dates, notices)
    filters = FilterState(
        **lists,
        officials=_flag(params, "officials", notices),
        region_role=_choice(params, "region_role", tuple(REGION_ROLES), notices),
        date_from=date_from,
        date_to=date_to,
        text=_one(params, "q") or "",
    )
    selected = _known(
        params,
        "event",
        vocab.events,
        notices,
        "The link points at the event “{}”, which is not in the data; it is not selected.",
    )
    map_view, map_notices = MapView.from_params(
        _one(params, "map"), _one(params, "base"), _one(params, "hide"), vocab.layers
    )
    notices += map_notices
    view = ViewState(
        filters=filters,
        lanes=_choice(params, "lanes", LANES, notices),
        extent=_choice(params, "extent", EXTENTS, notices),
        selected=selected,
        map=map_view,
        time=_time(params, notices),
        **_story(params, vocab, notices),
        play=_play(params, notices),
        imported=_imported(params, vocab, notices),
    )
    return view, _tidy(notices)


def _known(params: Mapping, name: str, known: frozenset[str], notices: list[str], unknown: str) -> tuple[str, ...]:
    """The values of ``name`` that are ``known``, each once, in order; a notice (``unknown`` with the
    value) for each other non-blank one."""
    kept: list[str] = []
    for value in _values(params, name):
        value = value.strip()
        if value in known:
            if value not in kept:
                kept.append(value)
        elif value:
            notices.append(unknown.format(value))
    return tuple(kept)


def _imported(params: Mapping, vocab: Vocabulary, notices: list[str]) -> tuple[str, ...]:
    """``imported=acled&imported=ucdp``: the imported datasets shown, those the store holds."""
    return _known(
        params,
        "imported",
        vocab.imported,
        notices,
        "The link shows the imported dataset “{}”, which is not in this app's store; it was ignored.",
    )


def _play(params: Mapping, notices: list[str]) -> tuple[dt.date, int] | None:
    """``play=YYYY-MM-DD,<days>``: a paused playback window, or None."""
    raw = _one(params, "play")
    if raw is None:
        return None
    try:
        start, days = raw.split(",")
        window = dt.date.fromisoformat(start), int(days)
        if not 1 <= window[1] <= 3660:
            raise ValueError
    except ValueError:
        notices.append(f"The link's playback window “{raw}” is not 'YYYY-MM-DD,<days>'; it was ignored.")
        return None
    return window


def _story(params: Mapping, vocab: Vocabulary, notices: list[str]) -> dict[str, object]:
    """``story=<narrative id>&step=<n>``: the story a link follows, at which step (1 if none)."""
    story = _one(params, "story")
    if story is None:
        return {}
    if story not in vocab.stories:
        notices.append(f"The link follows the story “{story}”, which is not in the data; it was ignored.")
        return {}
    raw = _one(params, "step") or "1"
    if not raw.isdigit() or int(raw) < 1:
        notices.append(f"The link's step “{raw}” is not a step number; the story opens at its first step.")
        raw = "1"
    return {"story": story, "step": int(raw)}


def _time(params: Mapping, notices: list[str]) -> tuple[dt.date, dt.date] | None:
    """The timeline range ``time=YYYY-MM-DD,YYYY-MM-DD``, or None."""
    raw = _one(params, "time")
    if raw is None:
        return None
    try:
        start, end = (dt.date.fromisoformat(part) for part in raw.split(","))
        if start >= end:
            raise ValueError
    except ValueError:
        notices.append(f"The link's timeline range “{raw}” is not 'YYYY-MM-DD,YYYY-MM-DD'; it was ignored.")
        return None
    return start, end


def clean_text(text: str) -> str:
    """Text a link gave, safe to echo: control and bidirectional-override characters removed, cut short."""
    kept = "".join(c for c in text if c.isprintable() and not ("\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069"))
    return kept if len(kept) <= NOTICE_CHARS else kept[: NOTICE_CHARS - 1] + "…"


def _tidy(notices: list[str]) -> list[str]:
    """Each notice once, with echoed values made safe, at most MAX_NOTICES and a count of the rest."""
    unique = [clean_text_notice(n) for n in dict.fromkeys(notices)]
    if len(unique) > MAX_NOTICES:
        unique = [*unique[:MAX_NOTICES], f"…and {len(unique) - MAX_NOTICES} more problems with the link."]
    return unique


def clean_text_notice(notice: str) -> str:
    """A notice with every quoted value (“…”) passed through :func:`clean_text`."""
    parts = notice.split("“")
    out = [parts[0]]
    for part in parts[1:]:
        value, sep, rest = part.partition("”")
        out.append("“" + clean_text(value) + sep + rest if sep else "“" + clean_text(part))
    return "".join(out)
