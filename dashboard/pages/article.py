"""Read an article: a source's full text with every cited quote highlighted and linked to its event."""

from __future__ import annotations

import streamlit as st

from dashboard.data import get_data
from geo.article import article_html, source_options

data, _ = get_data()
st.title("Read an article")
options = source_options(data)
if options.empty:
    st.warning("No article could be loaded.")
    st.stop()
source_id = st.selectbox(
    "Article",
    list(options.index),
    key="source_text",
    bind="query-params",
    help="Each article by its id: the outlet or author, the date and the subject. The link to this page keeps it.",
)
st.html(article_html(source_id, data))
