"""Read an article: a source's full text with every cited quote highlighted and linked to its event."""

from __future__ import annotations

import streamlit as st

from dashboard import state
from dashboard.data import get_data
from geo.article import article_html
from geo.urlstate import filters_query

#: The picker's key and the link's parameter: ``?source_text=<source id>``.
KEY = "source_text"
#: The article this page showed last (the address names it while the page is open).
_LINKED = "_source_text_linked"

data, _ = get_data()
st.title("Read an article")
labels = state.picker_labels(data)[1]  # id -> "Outlet — Title", made once per dataset
if not labels:
    st.warning("No article could be loaded.")
    st.stop()
ids = list(labels)

# The address holds the article's id. Not ``bind="query-params"``: a bound picker writes its
# *label* into the address, and the picker shows "Outlet — Title", while links (README's, the
# panel's, the Sources page's) name the id. A link naming another article than the last one
# this page read wins over the picker's old choice, and so does any link when the picker has
# no choice (Streamlit drops an unbound widget's value while another page runs); an unknown id
# falls back to the first.
linked = st.query_params.get(KEY)
if linked in ids and (linked != st.session_state.get(_LINKED) or KEY not in st.session_state):
    st.session_state[KEY] = linked
if st.session_state.get(KEY) not in ids:  # back from another page: the article read last, else the first
    st.session_state[KEY] = st.session_state.get(_LINKED) if st.session_state.get(_LINKED) in ids else ids[0]
source_id = st.selectbox(
    "Article",
    ids,
    key=KEY,
    format_func=labels.get,
    help="The link to this page keeps the article.",
)
if linked != source_id:
    st.query_params[KEY] = source_id
st.session_state[_LINKED] = source_id
# the numbered links to the map keep the sidebar's filters
st.html(article_html(source_id, data, query=filters_query(state.current_view(data))))
