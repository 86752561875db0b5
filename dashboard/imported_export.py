"""The Data page's download of imported events: a CSV of their own, never mixed into the curated
one, every row marked with its dataset, capped at a stated number of rows."""

from __future__ import annotations

import streamlit as st

from dashboard.other_data import imported_view
from geo.events_store import get_store
from geo.export import IMPORTED_COLUMNS, IMPORTED_CSV_MAX_ROWS, imported_csv
from geo.filters import FilterState
from geo.imported import FOLLOWS, names_of
from geo.labels import md_escape


def imported_downloads(filters: FilterState) -> None:
    """When imported datasets are chosen: how many of their events the filters keep, and their CSV
    (built only when the button is clicked)."""
    chosen, query, actor_note = imported_view(filters)
    if query is None:
        return
    store = get_store()
    total = store.count(query)
    names = names_of(chosen)
    st.subheader("Imported events (not curated)")
    st.markdown(md_escape(f"{total:,} events from {names} match the filters. {FOLLOWS}"))
    if actor_note:
        st.caption(md_escape(actor_note + "."))
    if total > IMPORTED_CSV_MAX_ROWS:
        st.warning(
            f"The CSV holds the newest {IMPORTED_CSV_MAX_ROWS:,} of these {total:,} events (the most one file holds "
            "here); narrow the dates, the search or the datasets to get the rest.",
            icon=":material/content_cut:",
        )
    st.download_button(
        f"Download imported events (CSV{', capped' if total > IMPORTED_CSV_MAX_ROWS else ''})",
        lambda: imported_csv(store.events(query, limit=IMPORTED_CSV_MAX_ROWS, columns=IMPORTED_COLUMNS)),
        file_name="imported-events.csv",
        mime="text/csv",
        key="download_imported_csv",
        on_click="ignore",
        disabled=total == 0,
        help="Every row says where it comes from (origin: “imported: ACLED”); the curated CSV above holds none.",
    )
