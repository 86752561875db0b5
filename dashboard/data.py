"""Cached loading: read the curated files and derive the filter index once per process.

``CAUCASUS_DATA_DIR`` points the app at another copy of ``data/`` (a curator's working
copy, or a test's broken one).
"""

from __future__ import annotations

import os

import streamlit as st

from geo.filters import EventIndex
from geo.load import DATA_DIR, Dataset, load_dataset


@st.cache_resource(show_spinner="Loading the curated data…")
def get_data() -> tuple[Dataset, EventIndex]:
    """The dataset and its filter index, shared read-only by every session."""
    data = load_dataset(os.environ.get("CAUCASUS_DATA_DIR", DATA_DIR))
    return data, EventIndex.build(data)
