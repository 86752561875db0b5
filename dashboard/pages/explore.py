"""The map and the timeline, linked through one filtered set and one selection.

The map (a fragment, :mod:`dashboard.map_view`) stays mounted across reruns, so a filter
change replaces only its events; the timeline (a fragment, :mod:`dashboard.timeline_view`)
keeps its range. Selecting anywhere (map, timeline, the picker, the list) highlights every
selected event on both.
"""

from __future__ import annotations

import streamlit as st

from dashboard import state
from dashboard.common import filtered_view
from dashboard.data import get_data
from dashboard.map_view import map_section, unplaced_among
from dashboard.playback_view import playback_controls, window_fades
from dashboard.story_view import linked_chain, story_section, story_steps
from dashboard.timeline_view import timeline_section
from geo.eventview import event_html
from geo.labels import md_escape
from geo.panel import PANEL_CSS
from geo.urlstate import filters_query


def _picked() -> None:
    """The picker's choice opens that event; the picker never clears a selection ("Clear
    selection" does)."""
    if (event_id := st.session_state.get("event_picker")) is not None:
        state.select_event(event_id)


def _event_panel(selected: list[str], events, query: str) -> None:
    """The selected event's panel; ``query``: the filters its links to other pages keep."""
    data, _ = get_data()
    st.subheader("Event")
    primary = selected[0] if selected else None
    options = list(events.index)
    if primary and primary not in options:
        options = [primary, *options]
    st.session_state["event_picker"] = primary
    labels = state.event_labels(data)
    st.selectbox(
        "Select an event",
        options,
        # No default option: a rerun message that carries no value for the picker (the map's
        # report sent while the page was redrawing it) would otherwise read as a pick of the
        # first event, and select it; with none it reads as None, which changes nothing.
        index=None,
        format_func=labels.get,
        key="event_picker",
        on_change=_picked,
        placeholder="Click a marker or a timeline mark, or choose here",
    )
    if len(selected) > 1:
        st.caption(f"{len(selected)} events selected (highlighted on the map and the timeline). Open another:")
        for event_id in selected[1:]:
            st.button(
                md_escape(labels[event_id]),
                key=f"pick_{event_id}",
                on_click=state.select_event,
                args=(event_id,),
                kwargs={"keep_others": True},
                type="tertiary",
            )
    if primary:
        st.html(PANEL_CSS + event_html(primary, data, query=query))
        _linked_events(primary)
        st.button("Clear selection", on_click=state.select_event, args=(None,), key="clear_event")
    else:
        st.caption("No event selected. Shift- or Ctrl-click markers to select several.")


def _linked_events(event_id: str) -> None:
    """The claim-and-answer chain: the events this one answers, follows, contradicts, and back."""
    data, _ = get_data()
    links, csv = linked_chain(data, event_id)
    if not links:
        return
    st.markdown(f"**Linked events ({len(links)})**")
    for link in links:
        st.button(
            md_escape(f"{link['label']}: {link['date']} · {link['title']}"),
            key=f"link_{event_id}_{link['event_id']}",
            on_click=state.select_event,
            args=(link["event_id"],),
            type="tertiary",
            help=f"{link['note']} ({link['outlet']}: “{link['quote']}”)",
        )
    st.download_button(
        "This chain with its quotes (CSV)",
        csv,
        file_name=f"chain-{event_id}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key=f"chain_csv_{event_id}",
    )


data, _ = get_data()
view, events = filtered_view()
selected = [e for e in view.selected if e in data.events.index]
if hidden := [e for e in selected if e not in events.index]:
    st.info(
        f"{len(hidden)} selected event(s) hidden by the filters; the panel still shows them.", icon=":material/info:"
    )

story_section()
left, right = st.columns([5, 3], gap="medium")
with left:
    with st.container(horizontal=True, gap="small"):
        st.button(
            "Fit the region",
            on_click=state.move_map,
            kwargs={"extent": "region"},
            icon=":material/crop_free:",
            help="Fit the map to the South Caucasus",
        )
        st.button(
            "Fit all events",
            on_click=state.move_map,
            kwargs={"extent": "all"},
            icon=":material/public:",
            help="Fit the map to every event, the distant capitals included: Brussels, Prague, Moscow, Washington…",
        )
    fade = window_fades(events)
    map_section(view.filters, tuple(selected), None if fade is None else tuple(fade.items()))
    # the events the map could show now: a playback window's, else every filtered one
    if missing := unplaced_among(events.index if fade is None else fade.index, data):
        what = (
            ("event in the window has", "events in the window have")
            if fade is not None
            else ("shown event has", "shown events have")
        )
        st.caption(
            f"{len(missing)} {what[len(missing) > 1]} no place on the map (timeline only): "
            # each title in quotation marks: a title may hold a comma
            + md_escape(", ".join(f"“{title}”" for title in data.events.loc[missing, "title"]))
        )
with right:
    _event_panel(selected, events, filters_query(view))

playback_controls(events)
links = tuple(sorted({(c["from_event"], c["to_event"]) for e in selected for c in linked_chain(data, e)[0]}))
play = st.session_state.get(state.K_PLAY)
timeline_section(view.filters, tuple(selected), links, tuple(story_steps(data)), play)
