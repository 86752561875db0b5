"""What the map and data pages show above their content: the count and the filter sentence."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from dashboard import state
from dashboard.data import get_data
from geo.filters import EventIndex, FilterState, apply_filters, describe
from geo.load import Dataset
from geo.urlstate import ViewState


@st.cache_resource(show_spinner=False, max_entries=256, hash_funcs={Dataset: id, EventIndex: id, FilterState: repr})
def _filtered(data: Dataset, index: EventIndex, filters: FilterState) -> tuple[Dataset, gpd.GeoDataFrame]:
    # The dataset rides along in the cached value so that its id, the key, cannot be reused
    # by a newer dataset while the entry lives.
    return data, apply_filters(data.events, filters, index)


def filtered_events(filters: FilterState) -> gpd.GeoDataFrame:
    """The events ``filters`` keep, computed once per process, dataset and filter state and
    shared read-only by every session: a rerun that keeps the filters, or another visitor
    with the same link, does not filter again. ``st.cache_resource``, not ``cache_data``: no
    copy per hit. No caller changes the frame (the map, the timeline, the exports and playback
    build new objects from it), and pandas' copy-on-write turns an accidental write into a copy."""
    data, index = get_data()
    return _filtered(data, index, filters)[1]


def filtered_view() -> tuple[ViewState, gpd.GeoDataFrame]:
    """The current view and the one filtered set that feeds the map, the timeline and the table."""
    data, _ = get_data()
    view = state.current_view(data)
    events = filtered_events(view.filters)
    state.active_filter_chips(view, data, describe(view.filters, data, len(events), len(data.events)))
    return view, events
