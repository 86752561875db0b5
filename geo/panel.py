"""What the side panels show, as escaped HTML and plain tables built without Streamlit.

Everything that comes from the data passes through :func:`html.escape` here, so
the dashboard can hand the result to ``st.html`` as it is.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from geo.labels import format_date
from geo.load import Dataset
from geo.schema import EVENT_TYPES, STATUSES
from geo.style import event_color


def place_label(place_id: str, data: Dataset) -> str:
    """'Khankendi (also Stepanakert, Xankəndi)' — a place with every name in use."""
    if place_id not in data.places.index:
        return place_id
    place = data.places.loc[place_id]
    alts = [a for a in place["alt_names"] if a != place["name"]]
    return f"{place['name']} (also {', '.join(alts)})" if alts else place["name"]


def source_date(source: pd.Series) -> str:
    return format_date(source["published"], source["published_precision"])


def status_phrase(event_id: str, data: Dataset) -> str:
    """'reported', or 'claim by Caliber.Az' when a citation names who makes the claim."""
    status = data.events.at[event_id, "status"]
    if status == "reported":
        return "reported"
    cites = data.citations[data.citations["event_id"] == event_id]
    claimants = [data.actors.at[c, "name"] for c in cites["claimant"].unique() if c in data.actors.index]
    noun = "claim" if status == "claimed" else "disputed"
    return f"{noun} by {', '.join(claimants)}" if claimants else noun


def event_panel_html(event_id: str, data: Dataset) -> str:
    """The selected event: what, when (and how the date was inferred), who, where, and every quote."""
    ev = data.events.loc[event_id]
    actor_names = [data.actors.at[a, "name"] if a in data.actors.index else a for a in ev["actor_ids"]]
    cites = data.citations[data.citations["event_id"] == event_id]
    status = ev["status"]
    badge = (
        ""
        if status == "reported"
        else (f'<div class="ev-claim">⚠ {escape(status_phrase(event_id, data))}: {escape(STATUSES[status])}.</div>')
    )
    when = format_date(ev["date_start"], ev["date_precision"], ev["date_end"])
    rows = [
        ("When", f"{escape(when)} <small>({escape(ev['date_precision'])} precision)</small>"),
        (
            "Type",
            f'<span style="color:{event_color(ev["event_type"])}">●</span> '
            f"{escape(ev['event_type'].replace('_', ' '))}",
        ),
        ("Who", escape(", ".join(actor_names)) or "<em>no actor named</em>"),
        ("Where", "<br>".join(escape(place_label(p, data)) for p in ev["place_ids"]) or "<em>no place</em>"),
    ]
    if ev["notes"]:
        rows.append(("How dated and placed", escape(ev["notes"])))
    table = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    quotes = []
    for _, c in cites.iterrows():
        src = data.sources.loc[c["source_id"]]
        by = f" · {escape(src['author'])}" if src["author"] else ""
        link = f' · <a href="{escape(src["url"])}" target="_blank" rel="noopener">link</a>' if src["url"] else ""
        claimant = (
            f"<div><small>Claim made by {escape(data.actors.at[c['claimant'], 'name'])}</small></div>"
            if c["claimant"] and c["claimant"] in data.actors.index
            else ""
        )
        quotes.append(
            f"<blockquote>“{escape(c['quote'])}”</blockquote>"
            f"<div class='ev-src'><b>{escape(src['outlet'])}</b>{by} · {escape(source_date(src))}{link}"
            f"<br><small>{escape(src['title'])}</small><br><small>Stance: {escape(src['stance'])}</small></div>"
            f"{claimant}"
        )
    return (
        "<div class='ev-panel'>"
        f"<h4>{escape(ev['title'])}</h4>{badge}<p>{escape(ev['summary'])}</p>"
        f"<table class='ev-facts'>{table}</table>"
        f"<h5>What the articles say ({len(quotes)})</h5>{''.join(quotes)}"
        f"<p><small>Event id: <code>{escape(event_id)}</code></small></p>"
        "</div>"
    )


PANEL_CSS = """
<style>
.ev-panel h4 {margin: 0 0 .3rem 0}
.ev-panel blockquote {border-left: 3px solid #999; margin: .6rem 0 .2rem 0; padding: .1rem .6rem; font-style: italic}
.ev-panel .ev-src {font-size: .85rem; margin-bottom: .6rem}
.ev-panel .ev-claim {background: #fff4e5; border: 1px dashed #d97706; padding: .3rem .5rem; margin: .3rem 0}
.ev-panel table.ev-facts th {text-align: left; vertical-align: top; padding-right: .6rem; white-space: nowrap}
.ev-panel table.ev-facts {font-size: .9rem; border-collapse: collapse}
</style>
"""


def sources_table(data: Dataset) -> pd.DataFrame:
    """One row per article: who published it, when, where it stands, and what it reports."""
    cites = data.citations
    per_source = cites.groupby("source_id")["event_id"].nunique()
    n_sources = cites.groupby("event_id")["source_id"].nunique()
    single = cites[cites["event_id"].map(n_sources) == 1].groupby("source_id")["event_id"].nunique()
    s = data.sources
    return pd.DataFrame(
        {
            "source_id": s.index,
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
