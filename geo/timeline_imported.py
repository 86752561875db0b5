"""Imported (and uploaded) events on the timeline: a small chart of their own under the curated
lanes, always titled as not curated.

What it draws comes from the engine (:meth:`geo.events_store.EventStore.timeline_view`): single
marks when few (a square at a day, a bar over a longer span, one lane per dataset), counts per
day, week or month when many (bars stacked by dataset). An upload, read in memory for one
session, is turned into the same :class:`~geo.events_store.TimelineView` by
:func:`rows_timeline_view`. Built from plain dicts without validation, as :mod:`geo.timeline` is.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from geo.events_store import SINGLE_EVENTS_MAX, TimelineView, timeline_unit
from geo.frozen_figure import FrozenFigure
from geo.labels import format_date
from geo.map.others import DATASET_COLORS, DATASET_NAMES, UPLOAD_COLOR
from geo.timeline import LEFT_MARGIN

UPLOAD = "upload"  # the "dataset" of a user's own file
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30.5}
_LANE_PX = 30
_MAX_SUBROWS = 4  # marks that overlap in a lane are spread over at most this many sub-rows


def _escape(text: object) -> str:
    return html.escape(str(text), quote=False)


def _name(dataset: str) -> str:
    return "your upload" if dataset == UPLOAD else DATASET_NAMES.get(dataset, dataset)


def _color(dataset: str) -> str:
    return UPLOAD_COLOR if dataset == UPLOAD else DATASET_COLORS.get(dataset, "#555555")


def title(view: TimelineView, names: str) -> str:
    """ "Imported: ACLED (not curated) — 12,408 events, counts per week" (plain text)."""
    what = f"counts per {view.unit}" if view.mode == "counts" else "one mark each"
    noun = "event" if view.total == 1 else "events"
    return f"{names} (not curated) — {view.total:,} {noun}, {what}"


def _day(value: Any) -> pd.Timestamp | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    try:
        return pd.Timestamp(value)
    except ValueError:
        return None


def _origin(dataset: str, source_id: Any = None) -> str:
    """Where an event comes from, as its hover says: "Imported: ACLED ARM1001 · not curated"."""
    if dataset == UPLOAD:
        return "Uploaded by you · not curated"
    return f"Imported: {_name(dataset)} {source_id or ''}".rstrip() + " · not curated"


def _mark_traces(marks: list[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """Marks in one lane per dataset: squares for single days, bars for longer spans."""
    lanes = list(dict.fromkeys(str(m.get("dataset") or UPLOAD) for m in marks))
    rows_end: dict[str, list[pd.Timestamp]] = {lane: [] for lane in lanes}
    by_trace: dict[tuple[str, bool], dict[str, list[Any]]] = {}
    for m in sorted(marks, key=lambda m: (str(m.get("date_start")), str(m.get("source_id")))):
        start = _day(m.get("date_start"))
        if start is None:
            continue
        end = _day(m.get("date_end")) or start
        lane = str(m.get("dataset") or UPLOAD)
        ends = rows_end[lane]
        row = next((i for i, last in enumerate(ends) if last < start), None)
        if row is None and len(ends) < _MAX_SUBROWS:
            ends.append(start)
            row = len(ends) - 1
        elif row is None:  # every sub-row is taken: the one free soonest
            row = ends.index(min(ends))
        ends[row] = max(end, start + pd.Timedelta(days=3))
        point = end == start
        y = lanes.index(lane) + (row + 0.5) / (_MAX_SUBROWS + 1) + 0.1
        precision = str(m.get("date_precision") or "day")
        hover = "<br>".join(
            [
                f"<b>{_escape(m.get('title') or m.get('event_type') or 'event')}</b>",
                _escape(format_date(start, "day", end if end != start else None)) + f" ({_escape(precision)})",
                _escape(m.get("event_type") or ""),
                _escape(_origin(lane, m.get("source_id"))),
            ]
        )
        t = by_trace.setdefault((lane, point), {"x": [], "base": [], "y": [], "hover": [], "id": []})
        t["y"].append(y)
        t["hover"].append(hover)
        t["id"].append([f"{lane}:{m.get('source_id') or ''}"])
        if point:
            t["x"].append(start)
        else:
            t["base"].append(start)
            t["x"].append(((end + pd.Timedelta(days=1)) - start) / pd.Timedelta(milliseconds=1))
    traces: list[dict[str, Any]] = []
    for (lane, point), t in by_trace.items():
        common = {
            "name": _escape(_name(lane)),
            "y": t["y"],
            "hovertext": t["hover"],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "customdata": t["id"],
            "showlegend": False,
        }
        if point:
            marker = {"symbol": "square", "size": 9, "color": _color(lane), "line": {"color": "white", "width": 1}}
            traces.append({"type": "scatter", "mode": "markers", "x": t["x"], "marker": marker} | common)
        else:
            marker = {"color": _color(lane), "opacity": 0.55}
            bar = {"type": "bar", "orientation": "h", "base": t["base"], "x": t["x"], "width": 0.18}
            traces.append(bar | {"marker": marker} | common)
    return traces, lanes


def _count_traces(counts: list[Mapping[str, Any]], unit: str) -> list[dict[str, Any]]:
    """Bars of events per period, stacked by dataset."""
    frame = pd.DataFrame(list(counts), columns=["period", "dataset", "count"])
    width_ms = _UNIT_DAYS[unit] * 86_400_000 * 0.9
    half = pd.Timedelta(days=_UNIT_DAYS[unit] / 2)
    traces = []
    for dataset, rows in frame.groupby("dataset", sort=False):
        periods = [pd.Timestamp(p) for p in rows["period"]]
        label = _escape(_name(str(dataset)))
        traces.append(
            {
                "type": "bar",
                "name": label,
                "x": [p + half for p in periods],
                "y": [int(c) for c in rows["count"]],
                "width": width_ms,
                "marker": {"color": _color(str(dataset))},
                "customdata": [[f"{unit} of {p.date().isoformat()}"] for p in periods],
                "hovertemplate": f"{_escape(_origin(str(dataset)))}: %{{y:,}} events"
                " · %{customdata[0]}<extra></extra>",
            }
        )
    return traces


def build_imported_timeline(
    view: TimelineView,
    names: str,
    *,
    time_range: tuple[Any, Any] | None = None,
    revision: str = "imported",
) -> go.Figure:
    """The chart of imported or uploaded events (an upload's ``dataset`` is "upload"), titled by
    ``names`` ("Imported: ACLED"); ``time_range`` lines its dates up with the curated timeline's."""
    if view.mode == "marks":
        traces, lanes = _mark_traces(view.marks)
        height = 84 + _LANE_PX * max(len(lanes), 1)
        yaxis = {
            "range": [max(len(lanes), 1), 0],
            "tickvals": [i + 0.5 for i in range(len(lanes))],
            "ticktext": [_escape(_name(lane)) for lane in lanes],
            "ticklabelposition": "inside",
            "fixedrange": True,
            "showgrid": False,
            "zeroline": False,
            "tickfont": {"size": 11, "color": "#333"},
        }
    else:
        traces = _count_traces(view.counts, view.unit or "month")
        height = 200
        yaxis = {"fixedrange": True, "gridcolor": "#eeeeee", "nticks": 3, "rangemode": "tozero"}
    xaxis: dict[str, Any] = {"type": "date", "gridcolor": "#e5e5e5", "zeroline": False}
    if time_range is not None:
        xaxis["range"] = [pd.Timestamp(time_range[0]), pd.Timestamp(time_range[1])]
    layout = dict(
        height=height,
        barmode="stack" if view.mode == "counts" else "overlay",
        uirevision=revision,
        showlegend=view.mode == "counts" and len(traces) > 1,
        # under the dates: above, it would cover the title on a phone
        legend={"orientation": "h", "x": 0, "y": -0.4, "yanchor": "top", "font": {"size": 11}},
        hovermode="closest",
        dragmode="zoom",
        plot_bgcolor="#fbf8f3",  # a warmer ground than the curated lanes: other people's data
        margin={"l": LEFT_MARGIN, "r": 10, "t": 48, "b": 24},
        # two lines, so a phone's narrow chart shows the whole title (plotly does not wrap)
        title={"text": _escape(title(view, names)).replace(" — ", "<br>", 1), "x": 0, "font": {"size": 12}},
        xaxis=xaxis,
        yaxis=yaxis,
    )
    # unvalidated: see geo.timeline; frozen: cached and sent on every rerun, never changed after
    return FrozenFigure(data=traces, layout=layout, _validate=False)


def rows_timeline_view(
    rows: Iterable[Mapping[str, Any]], threshold: int = SINGLE_EVENTS_MAX, unit: str | None = None
) -> TimelineView:
    """The :class:`TimelineView` of events held in memory (an upload: at most a few thousand rows),
    marks when at most ``threshold``, else counts per period, as the engine gives them."""
    cols = ("source_id", "date_start", "date_end", "date_precision", "title", "event_type")
    frame = pd.DataFrame([{k: r.get(k) for k in cols} for r in rows], columns=list(cols))
    frame["date_start"] = pd.to_datetime(frame["date_start"], errors="coerce")
    frame = frame.dropna(subset=["date_start"])
    total = len(frame)
    if total <= threshold:
        marks = frame.assign(dataset=UPLOAD, date_start=frame["date_start"].dt.date).to_dict("records")
        return TimelineView("marks", total, marks=marks)
    if unit is None:
        unit = timeline_unit(frame["date_start"].min().date(), frame["date_start"].max().date())
    start = frame["date_start"]
    if unit == "week":
        period = (start - pd.to_timedelta(start.dt.day_of_week, unit="D")).dt.normalize()
    elif unit == "month":
        period = start.dt.to_period("M").dt.start_time
    else:
        period = start.dt.normalize()
    counts = period.dt.date.value_counts().sort_index()
    records = [{"period": p, "dataset": UPLOAD, "count": int(c)} for p, c in counts.items()]
    return TimelineView("counts", total, unit=unit, counts=records)
