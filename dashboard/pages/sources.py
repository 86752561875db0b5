"""The five articles: who wrote them, when, where they stand, and what only one of them reports."""

from __future__ import annotations

import streamlit as st

from dashboard.data import get_data
from geo.labels import md_escape, source_label
from geo.panel import single_source_events, sources_table

data, _ = get_data()
st.title("Sources")
st.write(
    "Every event on the map rests on quotes from these articles, and each event names the outlets "
    "that report it and their side (single source, one side only, across sides). An event an "
    "article states as fact is *reported*: reported by that article, not confirmed. An assertion "
    "made only by one partisan outlet, an unnamed source or a party is marked as a *claim*."
)
table = sources_table(data)
st.dataframe(
    table,
    hide_index=True,
    column_order=["article", "published", "side", "kind", "events", "only_here"],
    column_config={
        "article": st.column_config.TextColumn(
            "article", width="large", help="Outlet, or author or title when the text names none"
        ),
        "events": st.column_config.NumberColumn("events", help="Events this article reports"),
        "only_here": st.column_config.NumberColumn("only here", help="Events no other article reports"),
    },
    key="sources_table",
)
st.subheader("Each article: where it stands, and how its events were dated")
st.caption("Open an article to read it as saved, with every quote the data cites highlighted and linked to its event.")
for row in table.itertuples(index=False):
    with st.container(border=True):
        st.markdown(f"**{md_escape(row.article)}**")
        st.caption(
            md_escape(" · ".join(str(v) for v in (row.outlet, row.author, row.published, row.kind) if v))
            + f" · {row.events} events, {row.only_here} only here"
        )
        st.markdown(f"**Stance.** {md_escape(row.stance)}")
        if row.notes:
            st.markdown(f"**How dated and identified.** {md_escape(row.notes)}")
        with st.container(horizontal=True, gap="medium", vertical_alignment="center"):
            st.page_link(
                "dashboard/pages/article.py",
                label="Read it, quotes highlighted",
                icon=":material/article:",
                query_params={"source_text": row.source_id},
            )
            if str(row.url).startswith(("https://", "http://")):
                st.link_button("The original article", row.url, type="tertiary", icon=":material/open_in_new:")
st.subheader("Events only one article reports")
single = single_source_events(data)
single["source"] = single["source_id"].map({s: source_label(row) for s, row in data.sources.iterrows()})
st.dataframe(
    single,
    hide_index=True,
    column_order=["date", "title", "status", "source", "event_id"],
    key="single_source_table",
)
