"""The five articles: who wrote them, when, where they stand, and what only one of them reports."""

from __future__ import annotations

import streamlit as st

from dashboard.data import get_data
from geo.article import source_title
from geo.labels import md_escape, source_label
from geo.panel import single_source_events, sources_table

data, _ = get_data()
st.title("Sources")
st.write(
    "Every event on the map rests on quotes from these articles. Partisan outlets are shown as "
    "such: an event only one partisan outlet reports is marked as a claim."
)
table = sources_table(data)
st.dataframe(
    table,
    hide_index=True,
    column_order=["outlet", "author", "published", "kind", "events", "only_here", "stance", "title", "url", "notes"],
    column_config={
        "source_id": None,
        "url": st.column_config.LinkColumn("url", display_text="open"),
        "events": st.column_config.NumberColumn("events", help="Events this article reports"),
        "only_here": st.column_config.NumberColumn("only here", help="Events no other article reports"),
        "notes": st.column_config.TextColumn("how dated / identified", width="large"),
        "stance": st.column_config.TextColumn("stance", width="large"),
    },
    key="sources_table",
)
st.subheader("Read the full text")
st.caption("Each article as saved, with every quote the data cites highlighted and linked to its event.")
for source_id, row in data.sources.iterrows():
    st.page_link(
        "dashboard/pages/article.py",
        label=md_escape(source_title(row)),
        icon=":material/article:",
        query_params={"source_text": source_id},
    )
st.subheader("Events only one article reports")
single = single_source_events(data)
single["source"] = single["source_id"].map({s: source_label(row) for s, row in data.sources.iterrows()})
st.dataframe(
    single,
    hide_index=True,
    column_order=["date", "title", "status", "source", "event_id"],
    key="single_source_table",
)
