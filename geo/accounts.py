"""Accounts side by side: an event's quotes in columns, one column per side.

A column is a side (see :mod:`geo.corroboration`) with the accounts of the articles from
that side: each quote with its outlet, author, date and stance, and a link to the quote
in its article. Columns follow the order of ``SIDES``; ``unknown`` comes last.
"""

from __future__ import annotations

from typing import Any

from geo.article import article_href, event_href
from geo.corroboration import (
    BADGES,
    SIDES,
    UNKNOWN,
    contradictions,
    corroboration,
    side_label,
    source_sides,
)
from geo.labels import format_date, source_label
from geo.load import Dataset
from geo.schema import STATUSES
from geo.templating import render


def account_columns(event_id: str, data: Dataset) -> list[dict[str, Any]]:
    """The event's citations grouped by the side of their source.

    Returns a list of columns ``{"side": key, "label": "Azerbaijani", "accounts": [...]}``,
    one per side that has an account, in ``SIDES`` order. Each account is a dict with
    ``source_id``, ``outlet`` (the source's label), ``author``, ``date``, ``stance``,
    ``title``, ``kind``, ``quote``, ``claimant`` (a name or ""), ``url`` (the source's
    URL or "") and ``article_href`` (the quote in the article view); sorted by publication.
    """
    sides = source_sides(data.sources)
    cites = data.citations[data.citations["event_id"] == event_id]
    columns: dict[str, list[dict[str, Any]]] = {}
    for _, c in cites.iterrows():
        src = data.sources.loc[c["source_id"]]
        claimant = c["claimant"]
        account = {
            "source_id": c["source_id"],
            "outlet": source_label(src),
            "author": src["author"],
            "date": format_date(src["published"], src["published_precision"]),
            "published": src["published"],
            "stance": src["stance"],
            "title": src["title"],
            "kind": src["kind"],
            "quote": c["quote"],
            "claimant": data.actors.at[claimant, "name"] if claimant and claimant in data.actors.index else "",
            "url": src["url"],
            "article_href": article_href(c["source_id"], event_id),
        }
        columns.setdefault(sides.get(c["source_id"], UNKNOWN), []).append(account)
    order = [*(s for s in SIDES if s != UNKNOWN), UNKNOWN]
    keys = sorted(columns, key=lambda s: order.index(s) if s in order else len(order))
    return [
        {
            "side": side,
            "label": side_label(side),
            "accounts": sorted(columns[side], key=lambda a: (a["published"], a["outlet"])),
        }
        for side in keys
    ]


def event_summary(event_id: str, data: Dataset) -> dict[str, Any]:
    """What the heading of an event's accounts shows: title, date, status, badge and counts."""
    ev = data.events.loc[event_id]
    row = corroboration(data).loc[event_id]
    contra = contradictions(data)
    reasons = list(contra.loc[contra["event_id"] == event_id, "reason"])
    return {
        "id": event_id,
        "title": ev["title"],
        "when": format_date(ev["date_start"], ev["date_precision"], ev["date_end"]),
        "status": ev["status"],
        "status_meaning": STATUSES.get(ev["status"], ""),
        "badge": row["badge"],
        "badge_meaning": BADGES[row["badge"]],
        "n_sources": int(row["n_sources"]),
        "n_sides": int(row["n_sides"]),
        "sides": [side_label(s) for s in row["sides"]],
        "contradictions": reasons,
        "map_href": event_href(event_id),
    }


def accounts_html(event_id: str, data: Dataset, *, heading: bool = True, query: str = "") -> str:
    """The event's accounts as escaped HTML: a grid of side columns that stack on a narrow
    screen; its links to the map and the article carry ``query`` (the view's filters)."""
    return render(
        "accounts.html.j2",
        ev=event_summary(event_id, data),
        columns=account_columns(event_id, data),
        heading=heading,
        query=query,
    )
