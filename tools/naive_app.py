"""The naive baseline for tools/benchmark.py: a tutorial Streamlit + Folium + Plotly app.

What a tutorial does: load the data (cached), filter in the script, build a new folium map
with one Marker per event on every rerun, hand it to st_folium, and draw a Plotly scatter.
It shows the same curated events as the dashboard, with a type filter.
"""

import folium
import plotly.express as px
import streamlit as st
from streamlit_folium import st_folium

from geo.load import load_dataset
from tools.folium_assets import use_local_assets


@st.cache_data
def events():
    data = load_dataset()
    frame = data.events.drop(columns="geometry").assign(lat=data.events.geometry.y, lon=data.events.geometry.x)
    return frame.reset_index()


df = events()
types = st.sidebar.multiselect("Event type", sorted(df["event_type"].unique()), key="event_types")
shown = df[df["event_type"].isin(types)] if types else df
m = folium.Map(location=[40.0, 46.0], zoom_start=7)
for _, row in shown.dropna(subset=["lat"]).iterrows():
    folium.Marker([row["lat"], row["lon"]], tooltip=row["title"], popup=row["summary"]).add_to(m)
use_local_assets(m)  # the one change from the tutorial: Leaflet from static/, since no CDN is reachable here
st_folium(m, key="map", height=560, use_container_width=True)
st.plotly_chart(px.scatter(shown, x="date_start", y="event_type", hover_name="title"), key="timeline")
