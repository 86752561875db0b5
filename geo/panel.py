"""What the side panels show: the event (rendered by :mod:`geo.eventview`) and plain tables."""

from __future__ import annotations

import pandas as pd

from geo.corroboration import side_label, source_sides
from geo.eventview import event_html, place_label, status_phrase
from geo.labels import format_date, source_title
from geo.load import Dataset
from geo.schema import EVENT_TYPES

__all__ = ["PANEL_CSS", "event_panel_html", "place_label", "single_source_events", "sources_table", "status_phrase"]


def source_date(source: pd.Series) -> str:
    return format_date(source["published"], source["published_precision"])


def event_panel_html(event_id: str, data: Dataset) -> str:
    """The selected event: what, when (and how the date was inferred), who, where, and every quote."""
    return event_html(event_id, data)


PANEL_CSS = """
<style>
.ev-panel h4 {margin: 0 0 .3rem 0}
.ev-panel blockquote {border-left: 3px solid #999; margin: .6rem 0 .2rem 0; padding: .1rem .6rem; font-style: italic}
.ev-panel .ev-src {font-size: .85rem; margin-bottom: .6rem}
.ev-panel .ev-claim {background: #fff4e5; border: 1px dashed #d97706; padding: .3rem .5rem; margin: .3rem 0}
.ev-panel table.ev-facts th {text-align: left; vertical-align: top; padding-right: .6rem; white-space: nowrap}
.ev-panel table.ev-facts {font-size: .9rem; border-collapse: collapse}
.ev-panel .ev-meta {color: #555; font-size: .85rem}
.ev-panel .ev-role {color: #555}
.ev-panel .ev-id {color: #888; font-size: .75rem}
.ev-badge {display: inline-block; font-size: .8rem; padding: 0 .4rem; border-radius: .6rem; margin: .2rem 0;
  border: 1px solid #999; background: #f4f4f4}
.ev-badge-single-source, .ev-badge-one-side-only {border-color: #d97706; background: #fff4e5}
.ev-badge-across-sides {border-color: #2e7d32; background: #e8f5e9}
</style>
"""


def sources_table(data: Dataset) -> pd.DataFrame:
    """One row per article: which it is (``article``, its title where the text names no outlet), who
    published it, when, on which side and where it stands, and what it reports."""
    cites = data.citations
    per_source = cites.groupby("source_id")["event_id"].nunique()
    n_sources = cites.groupby("event_id")["source_id"].nunique()
    single = cites[cites["event_id"].map(n_sources) == 1].groupby("source_id")["event_id"].nunique()
    s = data.sources
    return pd.DataFrame(
        {
            "source_id": s.index,
            "article": [source_title(row) for _, row in s.iterrows()],
            "side": [side_label(side) for side in source_sides(s)],
            "outlet": s["outlet"],
            "title": s["title"],
            "author": s["author"],
            "published": [source_date(row) for _, row in s.iterrows()],
            "kind": s["kind"],
            "stance": s["stance"],
            "events": per_source.reindex(s.index, fill_value=0).astype(int),
            "only_here": single.reindex(s.index, fill_value=0).astype(int),
            "url": s["url"],
            "notes": s["notes"],
        }
    ).reset_index(drop=True)


def single_source_events(data: Dataset) -> pd.DataFrame:
    """Events that only one article reports: event_id, title, date, status, source_id."""
    cites = data.citations
    counts = cites.groupby("event_id")["source_id"].nunique()
    only = cites[cites["event_id"].map(counts) == 1].drop_duplicates("event_id").set_index("event_id")
    ev = data.events.loc[[e for e in data.events.index if e in only.index]]
    return pd.DataFrame(
        {
            "event_id": ev.index,
            "date": [
                format_date(s, p, e)
                for s, p, e in zip(ev["date_start"], ev["date_precision"], ev["date_end"], strict=False)
            ],
            "title": ev["title"],
            "status": ev["status"],
            "source_id": only.loc[ev.index, "source_id"].to_numpy(),
        }
    ).reset_index(drop=True)


def event_types_table() -> pd.DataFrame:
    return pd.DataFrame({"event_type": list(EVENT_TYPES), "meaning": list(EVENT_TYPES.values())})
