"""One event as plain data for its template: what, when, who, where (and in what role), the quotes.

:func:`event_html` renders it with ``geo/templates/event.html.j2``: the map's popup
(``compact=True``) and the side panel come from the same template, so the two never
disagree and every text from the data is escaped once, by Jinja2.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from geo.article import article_href
from geo.corroboration import BADGES, rate, side_label, source_sides
from geo.labels import format_date, source_label, type_label
from geo.load import Dataset
from geo.schema import STATUSES
from geo.style import event_color
from geo.templating import render

#: How the panel names a place's role (the ``place_role`` column, where the data has it).
ROLE_WORDS: dict[str, str] = {
    "happened": "where it happened",
    "assumed": "where it happened (assumed by the curators)",
    "concerns": "what it concerns (not where it happened)",
}


def place_role(event: pd.Series) -> str:
    """The role of the event's places: happened, assumed or concerns ("" when it has no place)."""
    if not event["place_ids"]:
        return ""
    role = event.get("place_role")
    return role if isinstance(role, str) and role in ROLE_WORDS else "happened"


def place_label(place_id: str, data: Dataset) -> str:
    """'Khankendi (also Stepanakert, Xankəndi)': a place with every name in use."""
    if place_id not in data.places.index:
        return place_id
    place = data.places.loc[place_id]
    alts = [a for a in place["alt_names"] if a != place["name"]]
    return f"{place['name']} (also {', '.join(alts)})" if alts else place["name"]


def status_phrase(event_id: str, data: Dataset) -> str:
    """'reported', or 'claim by Caliber.Az' when a citation names who makes the claim."""
    status = data.events.at[event_id, "status"]
    if status == "reported":
        return "reported"
    cites = data.citations[data.citations["event_id"] == event_id]
    claimants = [data.actors.at[c, "name"] for c in cites["claimant"].unique() if c in data.actors.index]
    noun = "claim" if status == "claimed" else "disputed"
    return f"{noun} by {', '.join(claimants)}" if claimants else noun


def _quote(citation: pd.Series, data: Dataset) -> dict[str, Any]:
    source = data.sources.loc[citation["source_id"]]
    claimant = citation["claimant"]
    return {
        "text": citation["quote"],
        "outlet": source_label(source),
        "author": source["author"] or "",
        "title": source["title"],
        "date": format_date(source["published"], source["published_precision"]),
        "stance": source["stance"],
        "url": source["url"] or "",
        "source_id": citation["source_id"],
        "article_href": article_href(citation["source_id"], citation["event_id"]),
        "claimant": data.actors.at[claimant, "name"] if claimant and claimant in data.actors.index else "",
    }


def event_context(event_id: str, data: Dataset) -> dict[str, Any]:
    """Everything the template shows about one event."""
    ev = data.events.loc[event_id]
    cites = data.citations[data.citations["event_id"] == event_id]
    status = ev["status"]
    role = place_role(ev)
    rated = rate(cites["source_id"], source_sides(data.sources))
    return {
        "id": event_id,
        "title": ev["title"],
        "summary": ev["summary"],
        "when": format_date(ev["date_start"], ev["date_precision"], ev["date_end"]),
        "precision": ev["date_precision"],
        "type": type_label(ev["event_type"]),
        "color": event_color(ev["event_type"]),
        "status": status,
        "status_phrase": status_phrase(event_id, data),
        "status_meaning": STATUSES.get(status, ""),
        "actors": [data.actors.at[a, "name"] if a in data.actors.index else a for a in ev["actor_ids"]],
        "places": [place_label(p, data) for p in ev["place_ids"]],
        "role": role,
        "role_words": ROLE_WORDS.get(role, ""),
        "notes": ev["notes"] or "",
        "quotes": [_quote(c, data) for _, c in cites.iterrows()],
        "n_sources": rated["n_sources"],
        "sides": [side_label(x) for x in rated["sides"]],
        "badge": rated["badge"],
        "badge_meaning": BADGES[rated["badge"]],
    }


def event_html(event_id: str, data: Dataset, *, compact: bool = False, query: str = "") -> str:
    """The event as escaped HTML: the map popup when ``compact``, else the side panel, whose
    links to other pages carry ``query`` (the view's filters, :func:`geo.urlstate.filters_query`)."""
    return render("event.html.j2", ev=event_context(event_id, data), compact=compact, query=query)
