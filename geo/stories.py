"""Stories through the events: links between events and curated narratives.

Two curated files, both optional (a data folder without them loads with empty frames):

- ``relations.csv``: one link between two events (``kind``: denial, answer, follow_up,
  contradicts), with a ``note`` in plain words and the article sentence (``quote`` from
  ``source_id``) that supports the link itself;
- ``narratives.csv``: story paths through the events, one row per step, in date order of
  their events or with an ``order_note`` that says why not.

:func:`load_stories` reads and checks both; :func:`geo.load.load_dataset` calls it and puts
the frames on ``Dataset.relations`` and ``Dataset.narratives``. Like the rest of the loader
it never raises: a bad row is left out and named in ``Dataset.rejects`` with its file, row,
field and reason. A row that names an event or source another file's reject left out is
left out too, without a reject of its own: that reject already explains it (and
``geo.check`` already fails on it). A narrative loads whole or not at all: its captions
lean on each other, so one rejected step leaves the whole narrative out, and says so.

The rest is pure logic for the panel, the map and the timeline (no Streamlit):
:func:`chain`, :func:`chain_csv`, :func:`narratives`, :func:`narrative_steps`,
:func:`narrative_csv`, :func:`step_view` and :func:`event_narratives`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel

from geo.export import neutralise_cell
from geo.labels import format_date, source_labels
from geo.load import FILES, Dataset, Reject, _csv_rows, _guarded, _read_csv, _validate_rows
from geo.schema import EventRecord, NarrativeRecord, RelationRecord, SourceRecord
from geo.text import find_quote

RELATIONS_FILE = "relations.csv"
NARRATIVES_FILE = "narratives.csv"

RELATION_COLUMNS = list(RelationRecord.model_fields)
NARRATIVE_COLUMNS = list(NarrativeRecord.model_fields)

#: How the event in view stands to a linked event, as "<event> <label> <linked event>":
#: (label when the event in view is from_event, label when it is to_event).
RELATION_LABELS: dict[str, tuple[str, str]] = {
    "denial": ("denied by", "denies"),
    "answer": ("answered by", "answers"),
    "follow_up": ("followed by", "follows"),
    "contradicts": ("contradicted by", "contradicts"),
}

#: The least time shown on either side of a narrative step's event on the timeline.
WINDOW_PAD = pd.Timedelta(days=45)
#: Quotes in one CSV cell: ``Outlet: “quote” | Outlet: “quote”``, as geo.export writes them.
QUOTE_SEP = " | "


def empty_relations() -> pd.DataFrame:
    return pd.DataFrame(columns=RELATION_COLUMNS)


def empty_narratives() -> pd.DataFrame:
    frame = pd.DataFrame(columns=NARRATIVE_COLUMNS)
    frame["step"] = frame["step"].astype(int)
    return frame


# --- loading ---------------------------------------------------------------------------

_OK, _QUIET, _UNKNOWN = "ok", "quiet", "unknown"


@dataclass
class _Known:
    """The ids of one upstream file: loaded, left out by a reject there, or never in it."""

    file: str
    model: type[BaseModel]
    key: str
    loaded: set[str]
    data_dir: Path
    upstream_rejects: bool
    _raw: set[str] | None = None
    _raw_read: bool = False

    def state(self, value: str) -> str:
        if value in self.loaded:
            return _OK
        if not self.upstream_rejects:
            return _UNKNOWN
        raw = self._raw_ids()
        return _QUIET if raw is None or value in raw else _UNKNOWN

    def _raw_ids(self) -> set[str] | None:
        """The ids the file holds as written; None when it cannot be read at all."""
        if not self._raw_read:
            self._raw_read = True
            frame = _read_csv(self.data_dir / self.file, self.model, [])
            if frame is not None and self.key in frame.columns:
                self._raw = {str(v).strip() for v in frame[self.key]}
        return self._raw


def load_stories(data_dir: Path | str, data: Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``relations.csv`` and ``narratives.csv`` of ``data_dir``, checked against ``data``.

    Returns the (relations, narratives) frames; appends every reject to ``data.rejects``.
    A missing file is not an error: its frame is empty. Never raises.
    """
    data_dir = Path(data_dir)
    rejects = data.rejects
    upstream = bool(rejects)
    events = _Known(FILES["events"], EventRecord, "event_id", set(data.events.index), data_dir, upstream)
    sources = _Known(FILES["sources"], SourceRecord, "source_id", set(data.sources.index), data_dir, upstream)
    relations = _guarded(
        RELATIONS_FILE,
        rejects,
        lambda: _load_relations(data_dir / RELATIONS_FILE, data, events, sources, rejects),
        empty_relations(),
    )
    narratives = _guarded(
        NARRATIVES_FILE,
        rejects,
        lambda: _load_narratives(data_dir / NARRATIVES_FILE, data, events, rejects),
        empty_narratives(),
    )
    return relations, narratives


def _records(path: Path, model: type[BaseModel], rejects: list[Reject]) -> list[tuple[int, Any]] | None:
    """The rows the model accepts, or None when the file is absent (not an error) or unreadable."""
    if not path.exists():
        return None
    frame = _read_csv(path, model, rejects)
    return None if frame is None else list(_validate_rows(path.name, _csv_rows(frame), model, rejects))


def _load_relations(path: Path, data: Dataset, events: _Known, sources: _Known, rejects: list[Reject]) -> pd.DataFrame:
    file = RELATIONS_FILE
    records = _records(path, RelationRecord, rejects)
    if records is None:
        return empty_relations()
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[frozenset[str], str], int] = {}
    for number, rec in records:
        problems: list[Reject] = []
        quiet = False
        for fld in ("from_event", "to_event"):
            value = getattr(rec, fld)
            state = events.state(value)
            quiet |= state == _QUIET
            if state == _UNKNOWN:
                problems.append(Reject(file, number, fld, f"unknown event '{value}': not in {events.file}"))
        state = sources.state(rec.source_id)
        quiet |= state == _QUIET
        if state == _UNKNOWN:
            problems.append(Reject(file, number, "source_id", f"unknown source '{rec.source_id}'"))
        if problems or quiet:
            rejects.extend(problems)
            continue
        wording = find_quote(rec.quote, data.texts.get(rec.source_id, ""))
        if wording is None:
            text_path = data.sources.loc[rec.source_id, "text_path"]
            reason = f"not found verbatim in {text_path}: {rec.quote[:80]!r}"
            rejects.append(Reject(file, number, "quote", reason))
            continue
        key = (frozenset((rec.from_event, rec.to_event)), rec.kind)
        if key in seen:
            reason = (
                f"the same {rec.kind} link between '{rec.from_event}' and '{rec.to_event}' is already row "
                f"{seen[key]} (in either direction); keep one row per link"
            )
            rejects.append(Reject(file, number, "to_event", reason))
            continue
        seen[key] = number
        rows.append({**rec.model_dump(), "quote": wording})
    return pd.DataFrame(rows, columns=RELATION_COLUMNS)


def _load_narratives(path: Path, data: Dataset, events: _Known, rejects: list[Reject]) -> pd.DataFrame:
    records = _records(path, NarrativeRecord, rejects)
    if records is None:
        return empty_narratives()
    by_id: dict[str, list[tuple[int, Any]]] = {}
    for number, rec in records:
        by_id.setdefault(rec.narrative_id, []).append((number, rec))
    rows: list[dict[str, Any]] = []
    for narrative_id, steps in by_id.items():
        problems, quiet = _check_narrative(narrative_id, steps, data, events)
        rejects.extend(problems)
        if quiet:
            continue
        if problems:
            first = min(r.row for r in problems)
            for number, _ in steps:
                if all(r.row != number for r in problems):
                    reason = f"narrative '{narrative_id}' left out with its row {first}: it loads whole or not at all"
                    rejects.append(Reject(NARRATIVES_FILE, number, "narrative_id", reason))
            continue
        rows.extend({**rec.model_dump(), "order_note": rec.order_note or ""} for _, rec in steps)
    frame = pd.DataFrame(rows, columns=NARRATIVE_COLUMNS)
    if frame.empty:
        return empty_narratives()
    order = {n: i for i, n in enumerate(by_id)}
    frame = frame.sort_values(["step"]).sort_values("narrative_id", key=lambda s: s.map(order), kind="stable")
    return frame.reset_index(drop=True)


def _check_narrative(
    narrative_id: str, steps: list[tuple[int, Any]], data: Dataset, events: _Known
) -> tuple[list[Reject], bool]:
    """The rejects of one narrative's rows, and whether it is left out quietly (an upstream reject)."""
    file = NARRATIVES_FILE
    problems: list[Reject] = []
    quiet = False
    first_number, first = steps[0]
    step_rows: dict[int, int] = {}
    event_steps: dict[str, int] = {}
    for number, rec in steps:
        if rec.title != first.title:
            reason = (
                f"'{rec.title}' differs from the narrative's title on row {first_number} ('{first.title}'); "
                "every row of a narrative gives the same title"
            )
            problems.append(Reject(file, number, "title", reason))
        if rec.step in step_rows:
            reason = f"step {rec.step} of '{narrative_id}' is already row {step_rows[rec.step]}"
            problems.append(Reject(file, number, "step", reason))
            continue
        step_rows[rec.step] = number
        state = events.state(rec.event_id)
        quiet |= state == _QUIET
        if state == _UNKNOWN:
            problems.append(Reject(file, number, "event_id", f"unknown event '{rec.event_id}': not in {events.file}"))
        elif rec.event_id in event_steps:
            reason = f"'{rec.event_id}' is already step {event_steps[rec.event_id]} of '{narrative_id}'"
            problems.append(Reject(file, number, "event_id", reason))
        else:
            event_steps[rec.event_id] = rec.step
    numbers = sorted(step_rows)
    for expected, step in enumerate(numbers, start=1):
        if step != expected:
            if expected == 1:
                reason = f"'{narrative_id}' starts at step {step}; number the steps 1..n without gaps"
            else:
                reason = f"step {step} follows step {expected - 1}: step {expected} is missing; number the steps 1..n"
            problems.append(Reject(file, step_rows[step], "step", reason))
            break
    if problems or quiet:
        return problems, quiet
    # date order: no step's event may end before an earlier step's event starts, unless order_note says why
    by_step = {rec.step: (number, rec) for number, rec in steps}
    latest: tuple[pd.Timestamp, int, str] | None = None
    for step in numbers:
        number, rec = by_step[step]
        ev = data.events.loc[rec.event_id]
        if latest is not None and ev["period_end"] < latest[0] and not rec.order_note:
            before = data.events.loc[latest[2]]
            reason = (
                f"step {step} ('{rec.event_id}', {_date_label(ev)}) comes before step {latest[1]} "
                f"('{latest[2]}', {_date_label(before)}) in time; put the steps in date order or say why in order_note"
            )
            problems.append(Reject(file, number, "order_note", reason))
        if latest is None or ev["date_start"] > latest[0]:
            latest = (ev["date_start"], step, rec.event_id)
    return problems, False


# --- pure logic for the panel, map and timeline ------------------------------------------


def _date_label(ev: pd.Series) -> str:
    return format_date(ev["date_start"], ev["date_precision"], ev["date_end"])


def _quotes(event_id: str, data: Dataset) -> list[dict[str, str]]:
    """Every citation of an event: source_id, outlet, quote, claimant."""
    outlets = source_labels(data.sources)
    cites = data.citations[data.citations["event_id"] == event_id]
    return [
        {
            "source_id": c["source_id"],
            "outlet": outlets.get(c["source_id"], c["source_id"]),
            "quote": c["quote"],
            "claimant": c["claimant"],
        }
        for _, c in cites.iterrows()
    ]


def _quote_cell(quotes: Iterable[dict[str, str]]) -> str:
    return QUOTE_SEP.join(f"{q['outlet']}: “{q['quote']}”" for q in quotes)


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    """UTF-8 CSV; text a spreadsheet would run as a formula gets a leading ' (as geo.export does)."""
    frame = pd.DataFrame(rows, columns=columns)
    for col in frame.columns:
        frame[col] = frame[col].map(neutralise_cell)
    return frame.to_csv(index=False).encode("utf-8")


def chain(event_id: str, data: Dataset) -> list[dict[str, Any]]:
    """The events linked to ``event_id`` by relations.csv, both directions, in date order.

    One dict per link: ``event_id`` (the linked event), ``title``, ``date`` (a label as
    precise as the date is known), ``date_start``, ``period_end``, ``direction`` ("to"
    when the link runs from ``event_id`` to the linked event, "from" otherwise), ``from_event``,
    ``to_event``, ``kind``, ``label`` (the words in "<event_id> <label> <linked event>":
    "answered by" or "answers", "followed by" or "follows", "denied by" or "denies",
    "contradicted by" or "contradicts"), ``note``, ``source_id``, ``outlet`` and ``quote``
    (the sentence that supports the link). Empty for an unknown event or one without links.
    """
    rel = data.relations
    if rel.empty or event_id not in data.events.index:
        return []
    outlets = source_labels(data.sources)
    links: list[dict[str, Any]] = []
    for r in rel[(rel["from_event"] == event_id) | (rel["to_event"] == event_id)].itertuples(index=False):
        outgoing = r.from_event == event_id
        other = r.to_event if outgoing else r.from_event
        if other not in data.events.index:
            continue
        ev = data.events.loc[other]
        links.append(
            {
                "event_id": other,
                "title": ev["title"],
                "date": _date_label(ev),
                "date_start": ev["date_start"],
                "period_end": ev["period_end"],
                "direction": "to" if outgoing else "from",
                "from_event": r.from_event,
                "to_event": r.to_event,
                "kind": r.kind,
                "label": RELATION_LABELS[r.kind][0 if outgoing else 1],
                "note": r.note,
                "source_id": r.source_id,
                "outlet": outlets.get(r.source_id, r.source_id),
                "quote": r.quote,
            }
        )
    return sorted(links, key=lambda x: (x["date_start"], x["period_end"], x["event_id"], x["kind"]))


CHAIN_CSV_COLUMNS = [
    "event_id",
    "date",
    "title",
    "status",
    "relation",
    "kind",
    "from_event",
    "to_event",
    "note",
    "link_outlet",
    "link_quote",
    "quotes",
]


def chain_csv(event_id: str, data: Dataset) -> bytes:
    """The event and its linked events as CSV: the event first, then each link in date order.

    Each row has the event's date, title and status, the link (``relation`` as read from the
    first row's event, ``kind``, ``note``, and the sentence that supports it with its outlet)
    and every citation quote of that event with its outlet. Formula-like cells are neutralised.
    Only the header for an unknown event.
    """
    if event_id not in data.events.index:
        return _csv([], CHAIN_CSV_COLUMNS)
    ev = data.events.loc[event_id]
    rows = [
        {
            "event_id": event_id,
            "date": _date_label(ev),
            "title": ev["title"],
            "status": ev["status"],
            "quotes": _quote_cell(_quotes(event_id, data)),
        }
    ]
    for link in chain(event_id, data):
        other = data.events.loc[link["event_id"]]
        rows.append(
            {
                "event_id": link["event_id"],
                "date": link["date"],
                "title": link["title"],
                "status": other["status"],
                "relation": link["label"],
                "kind": link["kind"],
                "from_event": link["from_event"],
                "to_event": link["to_event"],
                "note": link["note"],
                "link_outlet": link["outlet"],
                "link_quote": link["quote"],
                "quotes": _quote_cell(_quotes(link["event_id"], data)),
            }
        )
    return _csv(rows, CHAIN_CSV_COLUMNS)


STEP_COLUMNS = [
    "narrative_id",
    "narrative",
    "step",
    "event_id",
    "event_title",
    "date",
    "date_start",
    "period_end",
    "date_precision",
    "status",
    "text",
    "order_note",
    "place_id",
    "place_role",
    "lat",
    "lon",
]


def _point(ev: pd.Series) -> tuple[float | None, float | None]:
    geom = ev.get("geometry")
    if geom is None or getattr(geom, "is_empty", True):
        return None, None
    return round(float(geom.y), 5), round(float(geom.x), 5)


def narrative_steps(narrative_id: str, data: Dataset) -> pd.DataFrame:
    """A narrative's steps in order, each with its event's title, date, status and place.

    Columns: ``STEP_COLUMNS`` (``narrative`` is the narrative's title; ``lat``/``lon`` are
    where the map draws the event). Empty (with the
    columns) for an unknown narrative. ``lat``/``lon`` and ``place_id`` are NaN for an event
    without a place; :func:`step_view` gives None.
    """
    nar = data.narratives
    rows: list[dict[str, Any]] = []
    for r in nar[nar["narrative_id"] == narrative_id].sort_values("step").itertuples(index=False):
        ev = data.events.loc[r.event_id]
        lat, lon = _point(ev)
        rows.append(
            {
                "narrative_id": r.narrative_id,
                "narrative": r.title,
                "step": int(r.step),
                "event_id": r.event_id,
                "event_title": ev["title"],
                "date": _date_label(ev),
                "date_start": ev["date_start"],
                "period_end": ev["period_end"],
                "date_precision": ev["date_precision"],
                "status": ev["status"],
                "text": r.text,
                "order_note": r.order_note,
                "place_id": ev["place_id"],
                "place_role": ev["place_role"] or None,
                "lat": lat,
                "lon": lon,
            }
        )
    return pd.DataFrame(rows, columns=STEP_COLUMNS)


def narratives(data: Dataset) -> pd.DataFrame:
    """Every narrative, in the order of narratives.csv.

    Columns: ``narrative_id``, ``title``, ``n_steps``, ``first_date`` (the earliest start of
    its events), ``last_date`` (the latest end) and ``dates`` (a label such as "Sep 2020 – 2024").
    """
    columns = ["narrative_id", "title", "n_steps", "first_date", "last_date", "dates"]
    rows: list[dict[str, Any]] = []
    for narrative_id in dict.fromkeys(data.narratives["narrative_id"]):
        steps = narrative_steps(narrative_id, data)
        first = steps.loc[steps["date_start"].idxmin()]
        last = steps.loc[steps["period_end"].idxmax()]
        first_label = format_date(first["date_start"], first["date_precision"])
        last_label = format_date(last["period_end"], last["date_precision"])
        rows.append(
            {
                "narrative_id": narrative_id,
                "title": steps["narrative"].iloc[0],
                "n_steps": len(steps),
                "first_date": first["date_start"],
                "last_date": last["period_end"],
                "dates": first_label if first_label == last_label else f"{first_label} – {last_label}",
            }
        )
    return pd.DataFrame(rows, columns=columns)


NARRATIVE_CSV_COLUMNS = [
    "narrative_id",
    "narrative",
    "step",
    "event_id",
    "date",
    "title",
    "status",
    "text",
    "order_note",
    "quotes",
]


def narrative_csv(narrative_id: str, data: Dataset) -> bytes:
    """A narrative's steps as CSV: step, its event's date, title and status, the step's text and
    order note, and every citation quote of the event with its outlet (``Outlet: “quote” | …``).

    Formula-like cells are neutralised. Only the header for an unknown narrative.
    """
    rows = [
        {
            "narrative_id": s["narrative_id"],
            "narrative": s["narrative"],
            "step": s["step"],
            "event_id": s["event_id"],
            "date": s["date"],
            "title": s["event_title"],
            "status": s["status"],
            "text": s["text"],
            "order_note": s["order_note"],
            "quotes": _quote_cell(_quotes(s["event_id"], data)),
        }
        for _, s in narrative_steps(narrative_id, data).iterrows()
    ]
    return _csv(rows, NARRATIVE_CSV_COLUMNS)


def time_window(start: pd.Timestamp, end: pd.Timestamp) -> tuple[dt.date, dt.date]:
    """The timeline range around an event from ``start`` to ``end`` (its ``period_end``).

    At least ``WINDOW_PAD`` either side, or half the event's own span for a long one, so a
    day shows about three months and an event known only by its year about two years.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    pad = max(WINDOW_PAD, (end - start) / 2)
    return (start - pad).date(), (end + pad).date()


def _value(value: Any) -> Any:
    """None for a missing cell (None, NaN), else the value."""
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def step_view(narrative_id: str, step: int, data: Dataset) -> dict[str, Any] | None:
    """Everything the map, timeline and panel need to show one step; None if there is no such step.

    Keys: ``narrative_id``, ``narrative`` (its title), ``step``, ``n_steps``, ``steps`` (the step
    numbers), ``prev_step`` and ``next_step`` (None at either end), ``event_id``, ``event_title``,
    ``date`` (label), ``status``, ``text``, ``order_note``, ``window`` (a (start, end) pair of
    dates for the timeline, as ``ViewState.time``), ``place_id``, ``place_role``, ``lat`` and
    ``lon`` (where the map draws the event; None without a place) and ``quotes`` (every citation
    of the event: source_id, outlet, quote, claimant).
    """
    steps = narrative_steps(narrative_id, data)
    match = steps[steps["step"] == step]
    if match.empty:
        return None
    s = match.iloc[0]
    numbers = [int(n) for n in steps["step"]]
    at = numbers.index(int(step))
    return {
        "narrative_id": narrative_id,
        "narrative": s["narrative"],
        "step": int(step),
        "n_steps": len(numbers),
        "steps": numbers,
        "prev_step": numbers[at - 1] if at > 0 else None,
        "next_step": numbers[at + 1] if at + 1 < len(numbers) else None,
        "event_id": s["event_id"],
        "event_title": s["event_title"],
        "date": s["date"],
        "status": s["status"],
        "text": s["text"],
        "order_note": s["order_note"],
        "window": time_window(s["date_start"], s["period_end"]),
        "place_id": _value(s["place_id"]),
        "place_role": _value(s["place_role"]),
        "lat": None if _value(s["lat"]) is None else float(s["lat"]),
        "lon": None if _value(s["lon"]) is None else float(s["lon"]),
        "quotes": _quotes(s["event_id"], data),
    }


def event_narratives(event_id: str, data: Dataset) -> list[tuple[str, int]]:
    """The (narrative_id, step) pairs in which ``event_id`` is a step, in narratives.csv order."""
    nar = data.narratives
    hits = nar[nar["event_id"] == event_id]
    return [(n, int(s)) for n, s in zip(hits["narrative_id"], hits["step"], strict=True)]
