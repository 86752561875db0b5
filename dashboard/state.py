"""The sidebar filters, bound to the URL in both directions.

On a session's first run the query parameters seed the widgets (with a notice
for anything the link names that is not in the data); on every run the current
view is written back, so the address bar always holds a link to what is shown.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from geo.filters import FilterState, date_bounds, filter_phrases
from geo.load import Dataset
from geo.map import EXTENTS
from geo.regions import REGIONS
from geo.schema import EVENT_TYPES, STATUSES
from geo.timeline import LANES
from geo.urlstate import ViewState, Vocabulary, from_params, to_params

# widget keys; AppTest and the browser tests find widgets by these
K_ACTORS, K_OFFICIALS, K_SOURCES, K_DATES = "actors", "officials", "sources", "dates"
K_TYPES, K_STATUSES, K_REGIONS, K_TEXT = "event_types", "statuses", "regions", "text"
K_LANES, K_EXTENT, K_EVENT = "lanes", "extent", "event"
K_NOTICES, K_SEEDED = "_link_notices", "_seeded_from_url"
K_SELECTION = "_timeline_selection"  # every event chosen on the timeline (the URL keeps the first)


def seed_from_url(data: Dataset) -> None:
    """Once per session: put the link's view into the widgets' session state."""
    if st.session_state.get(K_SEEDED):
        return
    view, notices = from_params(st.query_params.to_dict() | _repeated_params(), Vocabulary.of(data))
    lo, hi = date_bounds(data.events)
    f = view.filters
    st.session_state.update(
        {
            K_ACTORS: list(f.actors),
            K_OFFICIALS: f.officials,
            K_SOURCES: list(f.sources),
            K_DATES: (max(f.date_from or lo, lo), min(f.date_to or hi, hi)),
            K_TYPES: list(f.event_types),
            K_STATUSES: list(f.statuses),
            K_REGIONS: list(f.regions),
            K_TEXT: f.text,
            K_LANES: view.lanes,
            K_EXTENT: view.extent,
            K_EVENT: view.event,
            K_NOTICES: notices,
            K_SEEDED: True,
        }
    )


def _repeated_params() -> dict[str, list[str]]:
    """st.query_params.to_dict() keeps only the last of repeated keys; get them all."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def current_view(data: Dataset) -> ViewState:
    """The view the widgets describe now."""
    s = st.session_state
    lo, hi = date_bounds(data.events)
    dates = tuple(s.get(K_DATES) or ())
    date_from = dates[0] if len(dates) >= 1 and dates[0] != lo else None
    date_to = dates[1] if len(dates) == 2 and dates[1] != hi else None
    filters = FilterState(
        actors=tuple(s.get(K_ACTORS, ())),
        officials=bool(s.get(K_OFFICIALS, True)),
        sources=tuple(s.get(K_SOURCES, ())),
        date_from=date_from,
        date_to=date_to,
        event_types=tuple(s.get(K_TYPES, ())),
        statuses=tuple(s.get(K_STATUSES, ())),
        regions=tuple(s.get(K_REGIONS, ())),
        text=s.get(K_TEXT, "") or "",
    )
    return ViewState(
        filters=filters,
        lanes=s.get(K_LANES, LANES[0]),
        extent=s.get(K_EXTENT, EXTENTS[0]),
        event=s.get(K_EVENT),
    )


def write_url(view: ViewState) -> None:
    """Make the address bar hold exactly this view."""
    params = to_params(view)
    if _repeated_params() != params:
        st.query_params.from_dict(params)


def share_link(view: ViewState) -> str:
    query = urlencode(to_params(view), doseq=True)
    base = st.context.url or ""
    return f"{base}?{query}" if query else base


def sidebar_filters(data: Dataset) -> None:
    """The filter widgets; their values live in session state under the K_* keys."""
    actors = data.actors.sort_values(["kind", "name"])
    kinds = {
        "state": "state",
        "organization": "organization",
        "person": "person",
        "armed_forces": "armed forces",
        "media": "media",
    }
    names = {
        a: f"{n} · {kinds.get(k, k)}" for a, n, k in zip(actors.index, actors["name"], actors["kind"], strict=False)
    }
    sources = data.sources
    outlets = {s: f"{o} — {t}" for s, o, t in zip(sources.index, sources["outlet"], sources["title"], strict=False)}
    lo, hi = date_bounds(data.events)
    sb = st.sidebar
    sb.text_input(
        "Search",
        key=K_TEXT,
        placeholder="Stepanakert, Lavrov, heroin…",
        help="Searches titles, summaries, quotes, every place name and alias, actor names and outlets.",
    )
    sb.multiselect("Actors", list(names), format_func=names.get, key=K_ACTORS, help="Any of the chosen actors.")
    sb.toggle(
        "Include their officials, forces and bodies",
        key=K_OFFICIALS,
        help="Choosing Russia also finds Lavrov, Zakharova, the 102nd base…; choosing the EU finds Michel.",
    )
    sb.multiselect("Sources", list(outlets), format_func=outlets.get, key=K_SOURCES)
    sb.date_input(
        "Dates (inclusive)",
        min_value=lo,
        max_value=hi,
        key=K_DATES,
        format="YYYY-MM-DD",
        help="An event is kept when the day, month or year it is dated to overlaps the range.",
    )
    sb.multiselect("Event type", list(EVENT_TYPES), format_func=lambda t: t.replace("_", " "), key=K_TYPES)
    sb.multiselect(
        "Status",
        list(STATUSES),
        key=K_STATUSES,
        help="claimed: a single partisan outlet's or an unnamed source's assertion.",
    )
    sb.multiselect(
        "Region",
        list(REGIONS),
        format_func=REGIONS.get,
        key=K_REGIONS,
        help="Decided from geometry: an event is in a region when one of its places lies inside it.",
    )


def clear_filter(name: str, data: Dataset) -> None:
    """Callback for the one-click ✕ beside each active filter."""
    lo, hi = date_bounds(data.events)
    defaults = {
        "actors": (K_ACTORS, []),
        "sources": (K_SOURCES, []),
        "dates": (K_DATES, (lo, hi)),
        "event_types": (K_TYPES, []),
        "statuses": (K_STATUSES, []),
        "regions": (K_REGIONS, []),
        "text": (K_TEXT, ""),
    }
    key, value = defaults[name]
    st.session_state[key] = value


def clear_all(data: Dataset) -> None:
    for name in ("actors", "sources", "dates", "event_types", "statuses", "regions", "text"):
        clear_filter(name, data)


def select_event(event_id: str | None, *, keep_timeline_selection: bool = False) -> None:
    st.session_state[K_EVENT] = event_id
    if not keep_timeline_selection:
        st.session_state[K_SELECTION] = []


def active_filter_chips(view: ViewState, data: Dataset, shown: int, total: int, sentence: str) -> None:
    """ "N of M events: …" with a ✕ button per active filter and a copy-link control."""
    st.markdown(f"**{sentence}**")
    phrases = filter_phrases(view.filters, data)
    cols = st.columns(len(phrases) + 2 if phrases else 1, gap="small")
    for col, (name, phrase) in zip(cols, phrases, strict=False):
        col.button(
            f"✕ {phrase}",
            key=f"clear_{name}",
            on_click=clear_filter,
            args=(name, data),
            help="Remove this filter",
            type="tertiary",
        )
    if phrases:
        cols[len(phrases)].button("Clear all filters", key="clear_all", on_click=clear_all, args=(data,))
    with cols[-1].popover("Copy link to this view", icon=":material/link:"):
        st.caption("Anyone opening this link sees the same filters, lanes and selected event.")
        st.code(share_link(view), language=None, wrap_lines=True)


def show_link_notices() -> None:
    for notice in st.session_state.get(K_NOTICES, []):
        st.warning(notice, icon=":material/link_off:")


def apply_timeline_selection(ids: list[str]) -> None:
    """A box or point selection on the timeline selects those events; the first opens in the panel."""
    st.session_state[K_SELECTION] = ids
    if ids:
        st.session_state[K_EVENT] = ids[0]
