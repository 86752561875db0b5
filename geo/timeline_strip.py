"""The count strip above the timeline: events per month or year, stacked by status.

Dragging a box over it (or clicking a bar) picks periods; :func:`picked_dates` turns the
picked bars into a date range for the date filter. Its date axis is the timeline's
range, so it also keeps the dates in view above a tall, scrolling timeline.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from geo.filters import overlapping
from geo.frozen_figure import FrozenFigure
from geo.schema import STATUSES
from geo.timeline import LEFT_MARGIN

#: Periods of a month while the events span at most this many years; years beyond.
MONTHLY_UP_TO_YEARS = 8
STATUS_COLORS = {"reported": "#4d4d4d", "claimed": "#d97706", "disputed": "#9467bd"}
HEIGHT = 150


def period_of(events: pd.DataFrame) -> str:
    """ "month" or "year": the bar width that suits the span of ``events``."""
    if events.empty:
        return "year"
    span_years = (events["period_end"].max() - events["date_start"].min()).days / 365.25
    return "month" if span_years <= MONTHLY_UP_TO_YEARS else "year"


def too_coarse(events: pd.DataFrame, period: str) -> pd.Series:
    """Which events are dated more coarsely than ``period`` (a year-dated event in monthly bars):
    counting one in its first month would draw a spike in January that the data does not show."""
    if period == "month" and "date_precision" in events:
        return events["date_precision"] == "year"
    return pd.Series(False, index=events.index)


def period_counts(events: pd.DataFrame, period: str) -> dict[str, list[tuple[dt.date, dt.date, int]]]:
    """status -> (first day, last day, count) of each period holding events of that status, in date order.

    An event counts in the period its date starts in; events dated more coarsely than the
    period (:func:`too_coarse`) are left out. Plain Python over the (at most a few hundred)
    curated events: a rerun with a new filter builds this, and pandas' grouping costs more
    than the counting.
    """
    found: Counter[tuple[str, int, int]] = Counter()
    coarse = too_coarse(events, period)
    for start, status, skip in zip(events["date_start"], events["status"], coarse, strict=True):
        if not skip:
            found[(status, start.year, start.month if period == "month" else 1)] += 1
    counts: dict[str, list[tuple[dt.date, dt.date, int]]] = {}
    for (status, year, month), n in sorted(found.items()):
        first = dt.date(year, month, 1)
        if period == "month":
            last = dt.date(year, 12, 31) if month == 12 else dt.date(year, month + 1, 1) - dt.timedelta(days=1)
        else:
            last = dt.date(year, 12, 31)
        counts.setdefault(status, []).append((first, last, n))
    return counts


def build_strip(events: pd.DataFrame, *, time_range: tuple[Any, Any], revision: str = "strip") -> go.Figure:
    """Stacked bars of events per period by status, over ``time_range``; box-select to pick periods."""
    span_years = (pd.Timestamp(time_range[1]) - pd.Timestamp(time_range[0])).days / 365.25
    period = "month" if span_years <= MONTHLY_UP_TO_YEARS else period_of(events)  # months when zoomed in
    counts = period_counts(events, period)
    # the year-dated events the visible dates would show, not those off to either side
    left_out = int((too_coarse(events, period) & overlapping(events, *time_range)).sum())
    title = f"Events per {period}" + (f", {left_out} dated only to a year left out:" if left_out else ":")
    column: Counter[dt.date] = Counter()  # each period's bars stacked
    for rows in counts.values():
        column.update({first: n for first, _, n in rows})
    most = max(column.values(), default=1)
    width_ms = (31 if period == "month" else 366) * 86_400_000 * 0.85
    traces = []
    for status in STATUSES:
        rows = counts.get(status)
        if not rows:
            continue
        traces.append(
            dict(
                type="bar",
                # the middle of the period, as plotly's date axis reads it
                x=[pd.Timestamp(first) + (pd.Timestamp(last) - pd.Timestamp(first)) / 2 for first, last, _ in rows],
                y=[n for _, _, n in rows],
                width=width_ms,
                name=status,
                marker={"color": STATUS_COLORS[status]},
                customdata=[[first.isoformat(), last.isoformat()] for first, last, _ in rows],
                hovertemplate=f"%{{y}} {status} · %{{customdata[0]}} to %{{customdata[1]}}<extra></extra>",
            )
        )
    layout = dict(
        barmode="stack",
        height=HEIGHT,
        dragmode="select",
        selectdirection="h",
        uirevision=revision,
        margin={"l": LEFT_MARGIN, "r": 10, "t": 30, "b": 10},
        plot_bgcolor="white",
        showlegend=True,  # also when one status is shown: the legend's title says what a bar counts
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "title": {"text": title}},
        xaxis={
            "type": "date",
            "range": [pd.Timestamp(time_range[0]), pd.Timestamp(time_range[1])],
            "gridcolor": "#e5e5e5",
            "automargin": "height",
            "fixedrange": True,  # the lanes' dates: a box still picks periods
        },
        # whole counts only (no 0.5 tick under a bar of one), about three gridlines
        # counts inside the plot and no margin pushed by labels: the plotting area lines up with
        # the lanes' below (the chart component keeps it there, dashboard.plotly_chart align_to)
        yaxis={
            "fixedrange": True,
            "gridcolor": "#eeeeee",
            "tick0": 0,
            "dtick": _whole_step(most),
            "ticklabelposition": "inside",
            "automargin": False,
        },
    )
    return FrozenFigure(data=traces, layout=layout, _validate=False)  # unvalidated: see geo.timeline


def _whole_step(most: int) -> int:
    """A round step (1, 2, 5, 10, 20, 50…) giving about three gridlines up to ``most``."""
    step = 1
    while step * 3 < most:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return step


def picked_dates(selection: Mapping[str, Any] | None) -> tuple[str, str] | None:
    """(first day, last day) of the bars a Streamlit selection picked, ISO dates; None if none."""
    points = ((selection or {}).get("selection") or {}).get("points") or []
    spans = [p["customdata"] for p in points if isinstance(p, Mapping) and isinstance(p.get("customdata"), list)]
    spans = [s for s in spans if len(s) == 2]
    if not spans:
        return None
    return min(s[0] for s in spans), max(s[1] for s in spans)
