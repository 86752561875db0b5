"""Cached loading: read the curated files and derive the filter index once per process."""

from __future__ import annotations

import streamlit as st

from geo.filters import EventIndex
from geo.load import Dataset, load_dataset


@st.cache_resource(show_spinner="Loading the curated data…")
def get_data() -> tuple[Dataset, EventIndex]:
    """The dataset and its filter index, shared read-only by every session."""
    data = load_dataset()
    return data, EventIndex.build(data)
