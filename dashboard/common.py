"""What the map and data pages show above their content: the count and the filter sentence."""

from __future__ import annotations

import geopandas as gpd

from dashboard import state
from dashboard.data import get_data
from geo.filters import apply_filters, describe
from geo.urlstate import ViewState


def filtered_view() -> tuple[ViewState, gpd.GeoDataFrame]:
    """The current view and the one filtered set that feeds the map, the timeline and the table."""
    data, index = get_data()
    view = state.current_view(data)
    events = apply_filters(data.events, view.filters, index)
    state.active_filter_chips(view, data, describe(view.filters, data, len(events), len(data.events)))
    return view, events
