"""The map and the timeline, linked through one filtered set and one selected event."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from dashboard import state
from dashboard.common import filtered_view
from dashboard.data import get_data
from geo.labels import event_label, md_escape
from geo.map import EXTENTS, build_map, event_id_from_tooltip, selection_layer, unplaced_events
from geo.panel import PANEL_CSS, event_panel_html
from geo.timeline import LANES, build_timeline, selected_ids

LANE_LABELS = {"event_type": "event type", "actor": "actor", "source": "source"}
TIMELINE_MAX_HEIGHT = 720
EXTENT_LABELS = {"region": "South Caucasus", "all": "all events (incl. distant capitals)"}


def _on_map_click() -> None:
    """streamlit-folium reports the clicked marker's tooltip; its last [...] is the event id."""
    clicked = (st.session_state.get("map") or {}).get("last_object_clicked_tooltip")
    event_id = event_id_from_tooltip(clicked)
    if event_id:
        state.select_event(event_id)


def _on_timeline_select() -> None:
    state.apply_timeline_selection(selected_ids(st.session_state.get("timeline") or {}))


def _event_panel(selected: str | None, events) -> None:
    data, _ = get_data()
    st.subheader("Event")
    options = list(events.index)
    if selected and selected not in options:
        options = [selected, *options]
    st.session_state["event_picker"] = selected
    st.selectbox(
        "Select an event",
        options,
        format_func=lambda e: event_label(data.events.loc[e]),
        key="event_picker",
        on_change=lambda: state.select_event(st.session_state["event_picker"]),
        placeholder="Click a marker or a timeline mark, or choose here",
    )
    chosen = [e for e in st.session_state.get(state.K_SELECTION, []) if e in data.events.index]
    if len(chosen) > 1:
        st.caption(f"{len(chosen)} events selected on the timeline; showing one. Others:")
        for event_id in chosen:
            if event_id != selected:
                st.button(
                    md_escape(event_label(data.events.loc[event_id])),
                    key=f"pick_{event_id}",
                    on_click=state.select_event,
                    args=(event_id,),
                    kwargs={"keep_timeline_selection": True},
                    type="tertiary",
                )
    if selected:
        st.html(PANEL_CSS + event_panel_html(selected, data))
        st.button("Clear selection", on_click=state.select_event, args=(None,), key="clear_event")
    else:
        st.caption("No event selected.")


# --- the page ---------------------------------------------------------------------

data, _ = get_data()
view, events = filtered_view()
selected = view.event if view.event in data.events.index else None
if selected and selected not in events.index:
    st.info("The selected event is hidden by the filters; its details stay in the panel.", icon=":material/info:")

left, right = st.columns([5, 3], gap="medium")
with left:
    st.radio("Map extent", EXTENTS, format_func=EXTENT_LABELS.get, key=state.K_EXTENT, horizontal=True)
    # The selection travels as a separate layer: the map itself stays the same across
    # clicks, so streamlit-folium keeps it (and the user's pan and zoom) instead of redrawing.
    st_folium(
        build_map(events, data, extent=view.extent),
        key="map",
        height=640,
        use_container_width=True,
        returned_objects=["last_object_clicked_tooltip"],
        feature_group_to_add=selection_layer(events, data, selected),
        on_change=_on_map_click,
    )
    if missing := unplaced_events(events):
        st.caption(
            f"{len(missing)} shown events have no place on the map (timeline only): "
            + md_escape(", ".join(data.events.loc[missing, "title"]))
        )
with right:
    _event_panel(selected, events)

st.radio("Timeline lanes", LANES, format_func=LANE_LABELS.get, key=state.K_LANES, horizontal=True)
fig = build_timeline(events, data, lanes=view.lanes, selected=selected)
# Many lanes (one per actor) make a tall chart: scroll it inside a box rather than the page.
tall = fig.layout.height > TIMELINE_MAX_HEIGHT
with st.container(height=TIMELINE_MAX_HEIGHT if tall else "content", border=tall):
    st.plotly_chart(
        fig,
        key="timeline",
        on_select=_on_timeline_select,
        selection_mode=("points", "box", "lasso"),
        config={"displaylogo": False},
    )
st.caption(
    "Points are events dated to a day; bars cover the month, year or span an event is dated to. "
    "Hollow marks are claims. Click a mark to select it; drag to zoom into a period (double-click to zoom out); "
    "the box and lasso tools above the chart select several events."
)
