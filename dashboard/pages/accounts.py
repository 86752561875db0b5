"""Accounts side by side: every event more than one article reports, and the contradicted ones,
among the events the sidebar's filters keep (the one filtered set the map and the table show)."""

from __future__ import annotations

import streamlit as st

from dashboard.common import filtered_view
from dashboard.data import get_data
from geo.accounts import accounts_html
from geo.corroboration import BADGES, contradictions, corroboration, multi_source_ids
from geo.labels import event_label, md_escape
from geo.urlstate import filters_query

data, _ = get_data()
st.title("Accounts side by side")
view, events = filtered_view()
shown = events.index
query = filters_query(view)  # the links to the map and the articles keep the filters
table = corroboration(data)
table = table[table.index.isin(shown)]
st.write(
    "For each event that more than one article reports, the quotes of each article in a column per "
    "side (where the outlet stands). Open an event to compare the wording; each quote links to its "
    "place in the article, and each event to the map."
)
counts = table["badge"].value_counts()
st.markdown(
    f"Of the {len(table)} events the filters keep: "
    + " · ".join(f"**{int(counts.get(badge, 0))}** {md_escape(badge)}" for badge in BADGES)
    + ".",
    help="\n".join(f"- **{md_escape(badge)}**: {md_escape(meaning)}" for badge, meaning in BADGES.items()),
)


def _expander_label(event_id: str) -> str:
    row = table.loc[event_id]
    return md_escape(f"{event_label(data.events.loc[event_id])} — {row['n_sources']} articles · {row['badge']}")


def _show(ids: list[str], key: str) -> None:
    for i, event_id in enumerate(ids):
        with st.expander(_expander_label(event_id), expanded=i == 0, key=f"{key}_{event_id}"):
            st.html(accounts_html(event_id, data, heading=False, query=query))


multi = [e for e in multi_source_ids(data) if e in shown]
st.header(f"Reported by more than one article ({len(multi)})")
if multi:
    _show(multi, "multi")
else:
    st.info("No event the filters keep is reported by more than one article.")

pairs = contradictions(data)
pairs = pairs[(pairs["other_event_id"] == "") | (pairs["event_id"] < pairs["other_event_id"])]  # each pair once
pairs = pairs[pairs["event_id"].isin(shown) | pairs["other_event_id"].isin(shown)]  # either side kept
st.header(f"Where the articles contradict each other ({len(pairs)})")
st.caption(
    "Events whose status is *disputed* (another party contests them in the articles), and pairs of "
    "events linked in the data as contradicting each other, with the sentence that links them."
)
if pairs.empty:
    st.info("No event the filters keep is marked disputed or contradicted in the curated data.")
for event_id, other, _reason in pairs.itertuples(index=False):  # each account shows the reason
    titles = " ↔ ".join(data.events.at[e, "title"] for e in (event_id, other) if e)
    with st.expander(md_escape(titles), key=f"contra_{event_id}_{other or 'disputed'}"):
        for col, e in zip(st.columns(2 if other else 1), [x for x in (event_id, other) if x], strict=True):
            with col:
                st.html(accounts_html(e, data, query=query))
