"""The sidebar filters, the selection and the map and timeline views, bound to the URL.

On a session's first run the query parameters seed the widgets (with a notice
for anything the link names that is not in the data); on every run the current
view is written back, so the address bar always holds a link to what is shown.
The reading and writing of the URL, and the meaning of a date range, are pure
functions in :mod:`geo.urlstate` (which says why this is not ``bind="query-params"``);
this module only moves values between them and ``st.session_state``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

import streamlit as st

from dashboard.share_link import share_link_box
from geo.corroboration import BADGES
from geo.filters import CORROBORATION, REGION_ROLES, FilterState, date_bounds, filter_phrases
from geo.labels import actor_groups, actor_label, actor_owners, event_label, md_escape, source_titles, type_label
from geo.load import Dataset
from geo.map.view import EXTENTS, MapView
from geo.regions import REGIONS
from geo.schema import EVENT_TYPES, STATUSES
from geo.timeline import LANES
from geo.urlstate import ViewState, Vocabulary, date_range_value, dates_from_range, from_params, to_params

# widget keys; AppTest and the browser tests find widgets by these
K_ACTORS, K_OFFICIALS, K_SOURCES, K_DATES = "actors", "officials", "sources", "dates"
K_TYPES, K_STATUSES, K_REGIONS, K_TEXT = "event_types", "statuses", "regions", "text"
K_REGION_ROLE, K_CORROBORATION = "region_role", "corroboration"
K_LANES = "lanes"
K_IMPORTED = "imported"  # the imported datasets shown (dashboard.other_data's multiselect)
K_SELECTED, K_MAP, K_TIME = "_selected", "_map_view", "_time_range"
K_EXTENT = "_extent"  # what a link asked the map to fit ("region" or "all"), until the map reports a view
K_VIEW_SEQ = "_map_view_seq"  # bumped whenever Python asks the map to move (a link, "fit" buttons)
K_FOCUS = "_map_focus"  # {"id", "any", "seq"}: the event the map brings into view (or one of "any")
K_STORY, K_STEP = "_story", "_story_step"  # the narrative being followed and its step
K_PLAY, K_PLAYING = "_play", "_playing"  # the playback window (first day, days) and whether it moves
K_NOTICES, K_SEEDED, K_PAGE = "_link_notices", "_seeded_from_url", "_page_path"
#: Widgets that live on one page only: Streamlit forgets their state on other pages unless kept.
PAGE_WIDGETS = (K_LANES,)


def _widget_values(filters: FilterState, data: Dataset) -> dict[str, object]:
    """The sidebar widgets' values for a filter state."""
    values: dict[str, object] = {
        K_ACTORS: list(filters.actors),
        K_OFFICIALS: filters.officials,
        K_SOURCES: list(filters.sources),
        K_TYPES: list(filters.event_types),
        K_STATUSES: list(filters.statuses),
        K_REGIONS: list(filters.regions),
        K_REGION_ROLE: filters.region_role,
        K_CORROBORATION: list(filters.corroboration),
        K_TEXT: filters.text,
    }
    if bounds := data_dates(data):
        values[K_DATES] = date_range_value(filters, bounds)
    return values


def all_params() -> dict[str, list[str]]:
    """Every value of every query parameter (``to_dict`` keeps only the last of repeated keys)."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def seed_from_url(data: Dataset, imported: Iterable[str] = ()) -> None:
    """Once per session: put the link's view into the widgets' session state. ``imported``: the
    datasets the store holds, which a link may show."""
    if st.session_state.get(K_SEEDED):
        return
    view, notices = from_params(all_params(), replace(Vocabulary.of(data), imported=frozenset(imported)))
    st.session_state.update(_widget_values(view.filters, data))
    st.session_state.update(
        {
            K_LANES: view.lanes,
            K_IMPORTED: list(view.imported),
            K_EXTENT: view.extent,
            K_SELECTED: list(view.selected),
            K_MAP: view.map,
            K_TIME: view.time,
            K_STORY: view.story,
            K_STEP: view.step,
            K_PLAY: view.play,
            K_PLAYING: False,
            K_VIEW_SEQ: 1,
            K_FOCUS: None,
            K_NOTICES: notices,
            K_SEEDED: True,
        }
    )


def keep_page_widgets() -> None:
    """Keep the lanes and extent choices while another page runs (re-assigning keeps them)."""
    for key in PAGE_WIDGETS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def current_view(data: Dataset) -> ViewState:
    """The view the widgets describe now."""
    s = st.session_state
    date_from, date_to = dates_from_range(s.get(K_DATES), data_dates(data))
    filters = FilterState(
        actors=tuple(s.get(K_ACTORS, ())),
        officials=bool(s.get(K_OFFICIALS, True)),
        sources=tuple(s.get(K_SOURCES, ())),
        date_from=date_from,
        date_to=date_to,
        event_types=tuple(s.get(K_TYPES, ())),
        statuses=tuple(s.get(K_STATUSES, ())),
        regions=tuple(s.get(K_REGIONS, ())),
        region_role=s.get(K_REGION_ROLE, "happened"),
        corroboration=tuple(s.get(K_CORROBORATION, ())),
        text=s.get(K_TEXT, "") or "",
    )
    return ViewState(
        filters=filters,
        lanes=s.get(K_LANES, LANES[0]),
        extent=s.get(K_EXTENT, EXTENTS[0]),
        selected=tuple(s.get(K_SELECTED, ())),
        map=s.get(K_MAP, MapView()),
        time=s.get(K_TIME),
        story=s.get(K_STORY),
        step=s.get(K_STEP),
        play=s.get(K_PLAY),
        imported=tuple(s.get(K_IMPORTED, ())),
    )


#: Parameters a page keeps for its own picker (the article page's ?source_text=), which write_url leaves alone.
PAGE_OWN_PARAMS = ("source_text",)
#: Parameters only the map page shows (the others hold no map, timeline or panel).
MAP_PAGE_ONLY = ("event", "map", "base", "hide", "time", "extent", "lanes", "story", "step", "play")


def write_url(view: ViewState) -> None:
    """Make the address bar hold exactly this view (the map, timeline and selection on the map page only)."""
    params = to_params(view)
    # a page's own parameter (the article picker's ?source_text=) stays
    params |= {k: v for k, v in all_params().items() if k in PAGE_OWN_PARAMS}
    if st.session_state.get(K_PAGE) not in ("", "map", "explore", None):
        params = {k: v for k, v in params.items() if k not in MAP_PAGE_ONLY}
    if all_params() != params:
        st.query_params.from_dict(params)


@st.cache_resource(show_spinner=False, hash_funcs={Dataset: id})
def picker_labels(data: Dataset) -> tuple[dict[str, str], dict[str, str]]:
    """The actor picker's grouped labels and the source picker's, once per dataset."""
    owners = actor_owners(data.actors)
    names = {
        a: actor_label(data.actors.loc[a], group, owners.get(a))
        for group, ids in actor_groups(data.actors)
        for a in ids
    }
    outlets = source_titles(data.sources)
    return names, outlets


@st.cache_resource(show_spinner=False, hash_funcs={Dataset: id})
def data_dates(data: Dataset) -> tuple[dt.date, dt.date] | None:
    """The first and last day any event covers, once per dataset."""
    return date_bounds(data.events)


@st.cache_resource(show_spinner=False, hash_funcs={Dataset: id})
def event_labels(data: Dataset) -> dict[str, str]:
    """'Nov 2023 · <title>' for every event, once per dataset (the event picker's labels)."""
    return {e: event_label(row) for e, row in data.events.iterrows()}


def sidebar_filters(data: Dataset) -> None:
    """The filter widgets; their values live in session state under the K_* keys."""
    names, outlets = picker_labels(data)
    sb = st.sidebar
    sb.text_input(
        "Search",
        key=K_TEXT,
        placeholder="Stepanakert, Lavrov, heroin…",
        help="Searches titles, summaries, quotes, every place name and alias, actor names and outlets.",
    )
    sb.multiselect(
        "Actors",
        list(names),
        format_func=names.get,
        key=K_ACTORS,
        placeholder="Type a name: Iran, Lavrov, EU…",
        help="Any of the chosen actors. Grouped: states, organizations, armed forces, people, media; "
        "a person or force shows whose it is, e.g. “Person: Abbas Araghchi (Iran)”.",
        # No "Select N matches": typing "Iran" and Enter must not pick 17 actors at once.
        select_all=False,
        filter_mode="contains",
    )
    sb.toggle(
        "Include their officials, forces and bodies",
        key=K_OFFICIALS,
        help="Choosing Russia also finds Lavrov, Zakharova, the 102nd base…; choosing the EU finds Michel.",
    )
    sb.multiselect("Sources", list(outlets), format_func=outlets.get, key=K_SOURCES)
    if bounds := data_dates(data):
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
    sb.radio(
        "Region means",
        list(REGION_ROLES),
        format_func=REGION_ROLES.get,
        key=K_REGION_ROLE,
        horizontal=True,
        help="Happened in: the event took place there (as the article says, or assumed by the curators, "
        "which the panel says). Concerns: a statement or decision about the region, made elsewhere.",
    )
    sb.multiselect(
        "Corroboration",
        list(CORROBORATION),
        format_func=lambda b: f"{CORROBORATION[b]}: {BADGES[CORROBORATION[b]]}",
        key=K_CORROBORATION,
        help="How many outlets report an event, and from how many sides (Azerbaijani, Armenian, Russian, "
        "Iranian, Western or independent).",
    )


def clamp_dates(dates: tuple[dt.date, dt.date], data: Dataset) -> tuple[dt.date, dt.date]:
    """``dates`` held to the range the date picker allows."""
    lo, hi = data_dates(data) or dates
    return max(dates[0], lo), min(dates[1], hi)


def clear_filter(name: str, data: Dataset) -> None:
    """Callback for the one-click ✕ beside an active filter."""
    st.session_state.update(_widget_values(current_view(data).filters.cleared(name), data))


def clear_all(data: Dataset) -> None:
    officials = current_view(data).filters.officials
    st.session_state.update(_widget_values(FilterState(officials=officials), data))


def select(ids: list[str] | tuple[str, ...], *, focus: str | None = None) -> None:
    """Select ``ids`` (the first opens in the panel). The map brings ``focus`` into view; with no
    ``focus`` and several ids (a box or lasso on the timeline) it moves only when none of them is
    in view, to the nearest (``any``): showing one of seven does not hide the other six."""
    ids = list(dict.fromkeys(ids))
    st.session_state[K_SELECTED] = ids
    target = focus or (ids[0] if ids else None)
    seq = (st.session_state.get(K_FOCUS) or {}).get("seq", 0) + 1
    # The sequence keeps counting through an empty selection: restarting it at 1 made the map
    # take the next selection's focus for one it had already applied, and not move.
    any_of = [] if target is None else [target] if focus or len(ids) == 1 else ids
    st.session_state[K_FOCUS] = {"id": target, "any": any_of, "seq": seq}


def select_event(event_id: str | None, *, keep_others: bool = False) -> None:
    """Select one event; with ``keep_others`` it opens in the panel and the rest stay selected."""
    if event_id is None:
        select([])
        return
    others = [e for e in st.session_state.get(K_SELECTED, []) if e != event_id] if keep_others else []
    select([event_id, *others], focus=event_id)


def toggle_event(event_id: str) -> None:
    """Add an event to the selection, or take it out (a shift- or ctrl-click on the map)."""
    current = list(st.session_state.get(K_SELECTED, []))
    select([e for e in current if e != event_id] if event_id in current else [event_id, *current], focus=event_id)


def move_map(view: MapView | None = None, *, extent: str | None = None) -> None:
    """Ask the map to show ``view`` (or to fit ``extent``): a new sequence number makes the browser apply it."""
    if extent is not None:
        st.session_state[K_EXTENT] = extent
        view = MapView(
            base=st.session_state.get(K_MAP, MapView()).base, hidden=st.session_state.get(K_MAP, MapView()).hidden
        )
    if view is not None:
        st.session_state[K_MAP] = view
    st.session_state[K_VIEW_SEQ] = st.session_state.get(K_VIEW_SEQ, 0) + 1


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
        st.caption(
            "Anyone opening this link sees this page as it is now: its address holds the filters and, on the "
            "map page, the selected events, the map's view and layers and the timeline's lanes and range."
        )
        share_link_box()


def show_link_notices() -> None:
    """Say once what a shared link named that is no longer in the data."""
    for notice in st.session_state.pop(K_NOTICES, []):
        st.warning(md_escape(notice), icon=":material/link_off:")


def apply_timeline_selection(ids: list[str]) -> None:
    """A box, lasso or point selection on the timeline selects those events; the first opens in the panel."""
    if ids:
        select(ids)
