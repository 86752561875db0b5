"""The timeline section of the explore page: lanes, the count strip, and the visible range.

In a fragment: changing the lanes or zooming reruns only this section. The range the
user zooms to is kept across reruns and put in the URL (``time=``); a double-click
goes back to the span of the filtered events. Selecting marks (click, box, lasso)
selects those events everywhere; picking bars on the strip sets the date filter.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import state
from dashboard.common import filtered_events
from dashboard.data import get_data
from dashboard.imported_timeline import imported_timeline
from dashboard.plotly_chart import plotly_chart
from geo.filters import FilterState
from geo.labels import type_label
from geo.load import Dataset
from geo.style import EVENT_COLORS
from geo.timeline import FIT_HEIGHT, LANES, build_timeline, selected_ids
from geo.timeline_strip import build_strip, picked_dates

LANE_LABELS = {"event_type": "event type", "actor": "actor", "source": "source"}
_RERUN_APP = "_timeline_rerun_app"


def _on_lanes_select() -> None:
    ids = selected_ids(st.session_state.get("timeline") or {})
    if ids:
        state.apply_timeline_selection(ids)
        st.session_state[_RERUN_APP] = True


def _on_strip_select() -> None:
    picked = picked_dates(st.session_state.get("strip") or {})
    if picked:
        data, _ = get_data()
        st.session_state[state.K_DATES] = state.clamp_dates(
            (dt.date.fromisoformat(picked[0]), dt.date.fromisoformat(picked[1])), data
        )
        st.session_state[state.K_TIME] = None  # the timeline opens on the new span
        st.session_state[_RERUN_APP] = True


def _on_range() -> None:
    value = (st.session_state.get("timeline") or {}).get("range")
    try:
        start, end = (pd.Timestamp(v).date() for v in value) if value else (None, None)
    except (TypeError, ValueError):
        return
    st.session_state[state.K_TIME] = (start, end) if start and end and start < end else None


def _type_key(types: list[str]) -> str:
    dots = "".join(
        f'<span style="white-space:nowrap;margin-right:10px;display:inline-block">'
        f'<span style="color:{EVENT_COLORS[t]}">●</span> '
        f"{type_label(t)}</span>"
        for t in EVENT_COLORS
        if t in types
    )
    return (
        f'<div style="font-size:0.8rem;line-height:1.6">{dots}<br><span style="color:#555">Points: dated to a day; '
        "bars: a month, a year or a span. Hollow or hatched: claimed; diamond, dotted: disputed.</span></div>"
    )


@st.cache_resource(max_entries=256, show_spinner=False, hash_funcs={Dataset: id, FilterState: repr})
def _figures(
    data: Dataset,
    filters: FilterState,
    lanes: str,
    selected: tuple[str, ...],
    time_range: tuple | None,
    links: tuple[tuple[str, str], ...] = (),
    steps: tuple[str, ...] = (),
    play: tuple | None = None,
) -> tuple[go.Figure, go.Figure, str, Dataset]:
    """The lanes, the strip and the key of colours for one view of ``data``, built once per process
    and shared read-only by every session (Streamlit only reads a figure to send it). The dataset
    rides along in the cached value so that its id, the key, cannot be reused while it lives."""
    events = filtered_events(filters)
    revision = f"{hash(tuple(events.index))}:{time_range}"
    fig = build_timeline(
        events,
        data,
        lanes=lanes,
        selected=selected,
        time_range=time_range,
        revision=revision,
        links=links,
        steps=steps,
        window=play,
    )
    strip = build_strip(events, time_range=tuple(fig.layout.xaxis.range), revision=revision)
    return fig, strip, _type_key(sorted(set(events["event_type"]))), data


@st.fragment
def timeline_section(
    filters: FilterState,
    selected: tuple[str, ...],
    links: tuple[tuple[str, str], ...] = (),
    steps: tuple[str, ...] = (),
    play: tuple | None = None,
) -> None:
    """The timeline of the events ``filters`` keep; ``links`` drawn as lines, a story's ``steps``
    numbered, a playback window (first day, days) shaded."""
    if st.session_state.pop(_RERUN_APP, False):
        st.rerun()
    st.radio("Timeline lanes", LANES, format_func=LANE_LABELS.get, key=state.K_LANES, horizontal=True)
    if filtered_events(filters).empty:
        st.info("No events match the filters.")
        imported_timeline(filters, None)
        state.write_url(state.current_view(get_data()[0]))
        return
    lanes = st.session_state.get(state.K_LANES, LANES[0])
    data, _ = get_data()
    time_range = st.session_state.get(state.K_TIME)
    fig, strip, type_key, _ = _figures(data, filters, lanes, selected, time_range, links, steps, play)
    plotly_chart(
        strip,
        key="strip",
        on_selection_change=_on_strip_select,
        # its dates are the lanes' (kept so by align_to): nothing here zooms or pans them
        config={
            "modeBarButtonsToRemove": [
                "lasso2d",
                "zoom2d",
                "pan2d",
                "zoomIn2d",
                "zoomOut2d",
                "autoScale2d",
                "resetScale2d",
            ]
        },
        align_to="timeline",  # dragging across a period picks the dates the lanes show under it
    )
    st.html(type_key)
    tall = fig.layout.height > FIT_HEIGHT
    with st.container(height=FIT_HEIGHT if tall else "content", border=tall):
        plotly_chart(
            fig,
            key="timeline",
            on_selection_change=_on_lanes_select,
            on_range_change=_on_range,
            # a double-click zooms out to the app's default view (the chart component); Plotly's
            # autoscale and reset buttons would show other dates without a zoom to report
            config={"modeBarButtonsToRemove": ["autoScale2d", "resetScale2d"]},
            # the default range (no zoom): room for the lane labels left of the first mark, whatever the width
            label_room=None if time_range else filtered_events(filters)["date_start"].min().date().isoformat(),
        )
    imported_timeline(filters, tuple(fig.layout.xaxis.range))
    st.caption(
        "Drag on the timeline to zoom into a period (double-click to zoom out); click a mark to select it; "
        "the box and lasso tools above the chart select several. Drag across the bars above to set the date filter."
    )
    state.write_url(state.current_view(get_data()[0]))
