"""Short human labels for records, shared by the filters, panels, map and timeline."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

UNNAMED_OUTLET = "Outlet not named in the text"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(date: pd.Timestamp) -> str:
    return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"


def format_date(
    start: pd.Timestamp | dt.date | str,
    precision: str,
    end: pd.Timestamp | dt.date | str | None = None,
) -> str:
    """A date as precise as it is known: "8 Jan 2025", "Nov 2023", "2021".

    With an ``end`` in a later period, the result is a range whose end has the same
    precision as the start: "Sep 2020 – Nov 2020", "27 Sep 2020 – 10 Nov 2020". A
    missing end (None or NaT) is ignored. Month names are English whatever the locale.
    """
    start = pd.Timestamp(start)
    text = _at_precision(start, precision)
    if end is None or pd.isna(end):
        return text
    end_text = _at_precision(pd.Timestamp(end), precision)
    return text if end_text == text else f"{text} – {end_text}"


def _at_precision(date: pd.Timestamp, precision: str) -> str:
    if precision == "day":
        return _day(date)
    if precision == "month":
        return f"{_MONTHS[date.month - 1]} {date.year}"
    if precision == "year":
        return str(date.year)
    raise ValueError(f"unknown date precision {precision!r}; use one of day, month, year")


def source_who(source: pd.Series) -> str:
    """The outlet, or — when the text names none — its author or title (unmarked)."""
    if source["outlet"] != UNNAMED_OUTLET:
        return source["outlet"]
    return source["author"] or source["title"]


def source_label(source: pd.Series) -> str:
    """The outlet, or — when the text names none — its author or title, marked as such.

    "The Moscow Times"; "Taras Kuzio (outlet not named)"; "[No headline…] (outlet not named)".
    """
    who = source_who(source)
    return who if source["outlet"] != UNNAMED_OUTLET else f"{who} (outlet not named)"


def source_title(source: pd.Series) -> str:
    """ "Outlet — Title", without the title twice when the outlet is not named and the label is the title."""
    who = source_label(source)
    return who if source["title"] in who else f"{who} — {source['title']}"


def source_labels(sources: pd.DataFrame) -> dict[str, str]:
    """source_id → :func:`source_label`."""
    return {source_id: source_label(row) for source_id, row in sources.iterrows()}


def source_titles(sources: pd.DataFrame) -> dict[str, str]:
    """source_id → :func:`source_title`, in the sources' order: the article pickers' labels."""
    return {source_id: source_title(row) for source_id, row in sources.iterrows()}


def type_label(event_type: str) -> str:
    """ "military_exercise" → "military exercise"."""
    return event_type.replace("_", " ")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")


def md_escape(text: str) -> str:
    """Text that Streamlit's Markdown shows literally: no links, emphasis, LaTeX or HTML.

    For anything from the data or the URL that reaches ``st.markdown``, ``st.caption``,
    ``st.warning`` or a button label.
    """
    return _MD_SPECIAL.sub(r"\\\1", text)


#: The actor picker's groups, in order: the kind of actor and what the group is called.
ACTOR_GROUPS: dict[str, str] = {
    "state": "State",
    "organization": "Organization",
    "armed_forces": "Forces",
    "person": "Person",
    "media": "Media",
}


def actor_groups(actors: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """(group label, actor ids by name) for each kind of actor, states first."""
    groups = []
    for kind, label in ACTOR_GROUPS.items():
        ids = actors.index[actors["kind"] == kind]
        groups.append((label, sorted(ids, key=lambda a: actors.at[a, "name"].casefold())))
    other = actors.index[~actors["kind"].isin(list(ACTOR_GROUPS))]
    if len(other):
        groups.append(("Other", sorted(other)))
    return [(label, ids) for label, ids in groups if ids]


def actor_owners(actors: pd.DataFrame) -> dict[str, str]:
    """actor_id -> the name of the state (by ISO3 code) or organization (by id) it belongs to."""
    states = {c: n for c, n, k in zip(actors["country"], actors["name"], actors["kind"], strict=False) if k == "state"}
    owners = {}
    for actor_id, kind, country in zip(actors.index, actors["kind"], actors["country"], strict=False):
        if kind == "state" or not country:
            continue
        name = states.get(country) or (actors.at[country, "name"] if country in actors.index else None)
        if name:
            owners[actor_id] = name
    return owners


def actor_label(actor: pd.Series, group: str | None = None, owner: str | None = None) -> str:
    """ "Person: Sergey Lavrov (Russia)": the group, the name and whose official or force it is.

    ``owner`` is the name of the state or organization the actor belongs to, if any.
    """
    head = f"{group or ACTOR_GROUPS.get(actor['kind'], 'Other')}: {actor['name']}"
    return f"{head} ({owner})" if owner else head


def event_label(event: pd.Series) -> str:
    """ "Nov 2023 · Armenia refuses to attend the CSTO meeting in Minsk": a date as precise as known, and the title."""
    return f"{format_date(event['date_start'], event['date_precision'], event['date_end'])} · {event['title']}"
