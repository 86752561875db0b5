"""The sidebar filters, bound to the URL in both directions.

On a session's first run the query parameters seed the widgets (with a notice
for anything the link names that is not in the data); on every run the current
view is written back, so the address bar always holds a link to what is shown.
The reading and writing of the URL, and the meaning of a date range, are pure
functions in :mod:`geo.urlstate`; this module only moves values between them
and ``st.session_state``.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from geo.filters import FilterState, date_bounds, filter_phrases
from geo.labels import actor_label, md_escape, source_label, type_label
from geo.load import Dataset
from geo.map import EXTENTS
from geo.regions import REGIONS
from geo.schema import EVENT_TYPES, STATUSES
from geo.timeline import LANES
from geo.urlstate import ViewState, Vocabulary, date_range_value, dates_from_range, from_params, to_params

# widget keys; AppTest and the browser tests find widgets by these
K_ACTORS, K_OFFICIALS, K_SOURCES, K_DATES = "actors", "officials", "sources", "dates"
K_TYPES, K_STATUSES, K_REGIONS, K_TEXT = "event_types", "statuses", "regions", "text"
K_LANES, K_EXTENT, K_EVENT = "lanes", "extent", "event"
K_NOTICES, K_SEEDED, K_PAGE = "_link_notices", "_seeded_from_url", "_page_path"
K_SELECTION = "_timeline_selection"  # every event chosen on the timeline (the URL keeps the first)
#: Widgets that live on one page only: Streamlit forgets their state on other pages unless kept.
PAGE_WIDGETS = (K_LANES, K_EXTENT)


def _widget_values(filters: FilterState, data: Dataset) -> dict[str, object]:
    """The sidebar widgets' values for a filter state."""
    values: dict[str, object] = {
        K_ACTORS: list(filters.actors),
        K_OFFICIALS: filters.officials,
        K_SOURCES: list(filters.sources),
        K_TYPES: list(filters.event_types),
        K_STATUSES: list(filters.statuses),
        K_REGIONS: list(filters.regions),
        K_TEXT: filters.text,
    }
    if bounds := date_bounds(data.events):
        values[K_DATES] = date_range_value(filters, bounds)
    return values


def _all_params() -> dict[str, list[str]]:
    """Every value of every query parameter (``to_dict`` keeps only the last of repeated keys)."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def seed_from_url(data: Dataset) -> None:
    """Once per session: put the link's view into the widgets' session state."""
    if st.session_state.get(K_SEEDED):
        return
    view, notices = from_params(_all_params(), Vocabulary.of(data))
    st.session_state.update(_widget_values(view.filters, data))
    st.session_state.update(
        {K_LANES: view.lanes, K_EXTENT: view.extent, K_EVENT: view.event, K_NOTICES: notices, K_SEEDED: True}
    )


def keep_page_widgets() -> None:
    """Keep the lanes and extent choices while another page runs (re-assigning keeps them)."""
    for key in PAGE_WIDGETS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def current_view(data: Dataset) -> ViewState:
    """The view the widgets describe now."""
    s = st.session_state
    date_from, date_to = dates_from_range(s.get(K_DATES), date_bounds(data.events))
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
    if _all_params() != params:
        st.query_params.from_dict(params)


def share_link(view: ViewState) -> str:
    """The address of this page with this view, to send to a colleague."""
    base = (st.context.url or "").rstrip("/")
    page = st.session_state.get(K_PAGE) or ""
    if page and not base.endswith(f"/{page}"):
        base = f"{base}/{page}"
    query = urlencode(to_params(view), doseq=True)
    return f"{base}?{query}" if query else base


def sidebar_filters(data: Dataset) -> None:
    """The filter widgets; their values live in session state under the K_* keys."""
    actors = data.actors.sort_values(["kind", "name"])
    names = {a: actor_label(row) for a, row in actors.iterrows()}
    outlets = {s: f"{source_label(row)} — {row['title']}" for s, row in data.sources.iterrows()}
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
    if bounds := date_bounds(data.events):
        sb.date_input(
            "Dates (inclusive)",
            min_value=bounds[0],
            max_value=bounds[1],
            key=K_DATES,
            format="YYYY-MM-DD",
            help="An event is kept when the day, month or year it is dated to overlaps the range.",
        )
    sb.multiselect("Event type", list(EVENT_TYPES), format_func=type_label, key=K_TYPES)
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
    """Callback for the one-click ✕ beside an active filter."""
    st.session_state.update(_widget_values(current_view(data).filters.cleared(name), data))


def clear_all(data: Dataset) -> None:
    officials = current_view(data).filters.officials
    st.session_state.update(_widget_values(FilterState(officials=officials), data))


def select_event(event_id: str | None, *, keep_timeline_selection: bool = False) -> None:
    st.session_state[K_EVENT] = event_id
    if not keep_timeline_selection:
        st.session_state[K_SELECTION] = []


def active_filter_chips(view: ViewState, data: Dataset, sentence: str) -> None:
    """ "N of M events: …" with a ✕ button per active filter and a copy-link control."""
    st.markdown(f"**{md_escape(sentence)}**")
    phrases = filter_phrases(view.filters, data)
    cols = st.columns(len(phrases) + 2 if phrases else 1, gap="small")
    for col, (name, phrase) in zip(cols, phrases, strict=False):
        col.button(
            f"✕ {md_escape(phrase)}",
            key=f"clear_{name}",
            on_click=clear_filter,
            args=(name, data),
            help="Remove this filter",
            type="tertiary",
        )
    if phrases:
        cols[len(phrases)].button("Clear all filters", key="clear_all", on_click=clear_all, args=(data,))
    with cols[-1].popover("Copy link to this view", icon=":material/link:"):
        st.caption("Anyone opening this link sees the same page, filters, lanes and selected event.")
        st.code(share_link(view), language=None, wrap_lines=True)


def show_link_notices() -> None:
    """Say once what a shared link named that is no longer in the data."""
    for notice in st.session_state.pop(K_NOTICES, []):
        st.warning(md_escape(notice), icon=":material/link_off:")


def apply_timeline_selection(ids: list[str]) -> None:
    """A box or point selection on the timeline selects those events; the first opens in the panel."""
    st.session_state[K_SELECTION] = ids
    if ids:
        st.session_state[K_EVENT] = ids[0]
