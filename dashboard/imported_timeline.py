"""Imported datasets and the user's upload on the timeline: small charts under the curated lanes,
titled as not curated, drawn only when something is chosen (else nothing is added to the page).

The events come from the same query the map uses (:func:`dashboard.other_data.imported_view`),
answered in the engine: marks when few, counts per day/week/month when many.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from dashboard.other_data import K_SHOW_UPLOAD, imported_view, uploaded
from dashboard.plotly_chart import plotly_chart
from geo.events_store import EventQuery, get_store
from geo.filters import FilterState
from geo.imported import FOLLOWS, names_of
from geo.ingest.store import configured_store_dir
from geo.labels import md_escape
from geo.timeline_imported import build_imported_timeline, rows_timeline_view

_CONFIG = {"modeBarButtonsToRemove": ["lasso2d", "select2d"]}


@st.cache_resource(show_spinner=False, ttl=60, max_entries=64, hash_funcs={EventQuery: repr})
def _imported_figure(store_dir: str, query: EventQuery, time_range: tuple[Any, Any] | None) -> go.Figure:
    """The imported events' chart for one query and range, shared read-only by every session
    (answered again at most once a minute, so a new import shows)."""
    view = get_store(store_dir).timeline_view(query)
    return build_imported_timeline(view, "Imported: " + names_of(query.datasets), time_range=time_range)


def imported_timeline(filters: FilterState, time_range: tuple[Any, Any] | None) -> None:
    """The charts of imported datasets and of the upload, if any is shown, lined up with ``time_range``."""
    chosen, query, actor_note = imported_view(filters)
    events, _ = uploaded()
    show_upload = bool(events) and st.session_state.get(K_SHOW_UPLOAD, True)
    if query is None and not show_upload:
        return
    if query is not None:
        plotly_chart(
            _imported_figure(configured_store_dir(), query, time_range), key="imported_timeline", config=_CONFIG
        )
    if show_upload:
        view = rows_timeline_view(events)  # drawn whole, as on the map
        fig = build_imported_timeline(view, "Uploaded by you", time_range=time_range, revision="upload")
        plotly_chart(fig, key="upload_timeline", config=_CONFIG)
    upload_note = "Your upload is shown whole; the sidebar's filters do not apply to it."
    note = " ".join(([FOLLOWS] if chosen else []) + ([upload_note] if show_upload else []))
    st.caption(md_escape(note + (f" {actor_note}." if actor_note else "")))
