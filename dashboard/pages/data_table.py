"""The filtered events as a table, downloadable as CSV and GeoJSON; imported events, when chosen,
as a CSV of their own."""

from __future__ import annotations

import streamlit as st

from dashboard.common import filtered_view
from dashboard.data import get_data
from dashboard.imported_export import imported_downloads
from geo.export import events_table, to_csv, to_geojson

data, _ = get_data()
st.title("Data")
view, events = filtered_view()
table = events_table(events, data)
if table.empty:
    st.info("No events to list: none match the filters, or none could be loaded. The downloads hold only the headers.")
left, right, _ = st.columns([1, 1, 4])
left.download_button(
    "Download CSV",
    to_csv(table),
    file_name="caucasus-events.csv",
    mime="text/csv",
    key="download_csv",
    on_click="ignore",
)
right.download_button(
    "Download GeoJSON",
    to_geojson(table),
    file_name="caucasus-events.geojson",
    mime="application/geo+json",
    key="download_geojson",
    on_click="ignore",
)
st.dataframe(table.drop(columns="geometry"), hide_index=True, key="events_table")
imported_downloads(view.filters)
