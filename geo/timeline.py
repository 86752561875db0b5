"""The timeline: events as points and spans along a date axis, in lanes.

``build_timeline`` draws one lane per event type, actor or source. A day-precision
event without an end date is a point; every other event is a span that covers the
whole period its date stands for, so "1997" visibly covers 1997 rather than
pretending to be 1 January. Marks that would overlap inside a lane are stacked on
sub-rows of that lane, so each one can be hovered, clicked and box-selected.

Colours come from :mod:`geo.style`, so the timeline agrees with the map. Every
mark carries ``customdata[0] == event_id``; :func:`selected_ids` reads those ids
back from a Streamlit selection state.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go

from geo.frozen_figure import FrozenFigure
from geo.labels import format_date, source_label, source_labels, type_label
from geo.load import Dataset
from geo.schema import EVENT_TYPES, STATUSES
from geo.style import STATUS_STYLE, event_color

Lanes = Literal["event_type", "actor", "source"]
LANES: tuple[Lanes, ...] = ("event_type", "actor", "source")

EMPTY_MESSAGE = "No events match the filters"

_NO_LANE = {"actor": "(no actor named)", "source": "(no source)"}

#: Shape cues for the status, so it does not rest on fill opacity alone.
_STATUS_SYMBOL = {"reported": "circle", "claimed": "circle", "disputed": "diamond"}
_STATUS_PATTERN = {"reported": "", "claimed": "/", "disputed": "."}

_ROW_PX = 16  # height of one sub-row at most; a lane of one sub-row is two rows tall
_MIN_ROW_PX = 7  # ...and at least: lanes are squeezed down to this to fit FIT_HEIGHT
LEFT_MARGIN = 10  # lane labels sit inside the plot (room is left for them), so a phone keeps 300+ px of dates
_LABEL_ROOM = 0.16  # share of the default range left empty on the left for the lane labels
FIT_HEIGHT = 560  # the chart's height when its lanes fit; taller charts scroll under a date strip
_BAR_WIDTH = 0.8  # bar thickness, in sub-rows
_POINT_SIZE = 12
_FADED = 0.5  # opacity of the other marks while one event is selected
# Room a mark needs in its sub-row, as a share of the date range: about half a
# point's width on either side of it, a pixel or two after a span, at full zoom.
_POINT_ROOM = 0.008
_SPAN_ROOM = 0.0015
_MIN_ROOM = pd.Timedelta(hours=12)
_MIN_VIEW = pd.Timedelta(days=180)  # never zoom in to hours around a lone event
_LANE_LABEL_CHARS = 24  # what fits in LEFT_MARGIN; the hover has the full text
_DAY = pd.Timedelta(days=1)


# --- dates --------------------------------------------------------------------------


# --- lanes --------------------------------------------------------------------------


def _escape(text: object) -> str:
    """Data text made safe for plotly's HTML-like labels."""
    return html.escape(str(text), quote=False)


def _rank(vocabulary: Mapping[str, str]) -> dict[str, int]:
    """The position of each key in a vocabulary, for sorting."""
    return {key: i for i, key in enumerate(vocabulary)}


def _shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters in the middle, where names differ least
    ("Ministry of…of Azerbaijan"), so lanes stay told apart."""
    if len(text) <= limit:
        return text
    head = (limit - 1) // 2
    return text[:head].rstrip() + "…" + text[len(text) - (limit - 1 - head) :].lstrip()


def _source_label(source_id: str, sources: pd.DataFrame) -> str:
    if source_id not in sources.index:
        return source_id
    row = sources.loc[source_id]
    date = format_date(row["published"], row["published_precision"])
    return f"{source_label(row)}, {date}: {row['title']}"


def _lane_marks(events: pd.DataFrame, data: Dataset, lanes: Lanes) -> pd.DataFrame:
    """One row per mark: ``event_id``, its ``lane`` key and the lane's ``label``, in lane order.

    Event types follow the order of the vocabulary; actors and sources come in the
    order of their first event, with a lane for events that name none (key "") last.
    """
    if lanes == "event_type":
        marks = pd.DataFrame({"event_id": events.index, "lane": events["event_type"].to_numpy()})
        types = _rank(EVENT_TYPES)
        marks["label"] = marks["lane"].map(type_label)
        marks["rank"] = [(types.get(t, len(types)), t) for t in marks["lane"]]
    else:
        column = "actor_ids" if lanes == "actor" else "source_ids"
        keys = [list(dict.fromkeys(ids)) or [""] for ids in events[column]]
        marks = pd.DataFrame({"event_id": events.index, "lane": keys}).explode("lane")
        if lanes == "actor":
            label = {k: data.actors["name"].get(k, k) for k in marks["lane"].unique()}
        else:
            label = {k: _source_label(k, data.sources) for k in marks["lane"].unique()}
        label[""] = _NO_LANE[lanes]
        marks["label"] = marks["lane"].map(label)
        first = marks["event_id"].map(events["date_start"]).groupby(marks["lane"]).transform("min")
        marks["rank"] = [(k == "", d, name) for k, d, name in zip(marks["lane"], first, marks["label"], strict=True)]
    return marks.sort_values("rank", kind="stable").drop(columns="rank").reset_index(drop=True)


def _pack(intervals: list[tuple[pd.Timestamp, pd.Timestamp]]) -> list[int]:
    """The sub-row of each (start, end) interval, sorted by start, so that
    intervals on one sub-row do not overlap (greedy interval partitioning)."""
    row_ends: list[pd.Timestamp] = []
    rows: list[int] = []
    for start, end in intervals:
        row = next((i for i, last in enumerate(row_ends) if last <= start), len(row_ends))
        if row == len(row_ends):
            row_ends.append(end)
        else:
            row_ends[row] = end
        rows.append(row)
    return rows


def _place_marks(marks: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[str, float, float]]]:
    """Give each mark a ``y`` inside its lane's band, counted in sub-rows from the top.

    Marks whose room (``room_start`` to ``room_end``) overlaps in a lane go on
    separate sub-rows; a band of n sub-rows is n + 1 rows tall. Returns the marks
    with ``y``, and each lane's (escaped label, top, bottom).
    """
    lane_order = {lane: i for i, lane in enumerate(dict.fromkeys(marks["lane"]))}
    order = (
        marks.assign(_lane=marks["lane"].map(lane_order), _neg_end=-marks["room_end"].astype("int64"))
        .sort_values(["_lane", "room_start", "_neg_end", "event_id"], kind="stable")
        .index
    )
    lanes, starts, ends = marks["lane"].to_dict(), marks["room_start"].to_dict(), marks["room_end"].to_dict()
    labels = marks["label"].to_dict()
    y: dict[Any, float] = {}
    bands: list[tuple[str, float, float]] = []
    top, current, intervals, members = 0.0, None, [], []

    def close() -> None:
        nonlocal top
        rows = _pack(intervals)
        y.update(zip(members, (top + 1 + r for r in rows), strict=True))
        bottom = top + max(rows) + 2
        bands.append((_escape(_shorten(str(labels[members[0]]), _LANE_LABEL_CHARS)), top, bottom))
        top = bottom

    for i in order:  # one pass over the marks, lane by lane, in packing order
        if lanes[i] != current and members:
            close()
            intervals, members = [], []
        current = lanes[i]
        intervals.append((starts[i], ends[i]))
        members.append(i)
    if members:
        close()
    marks = marks.assign(y=pd.Series(y, dtype=float))
    return marks, bands


# --- marks --------------------------------------------------------------------------


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _hover(events: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """The escaped hover text of each event: title, date, type and status, outlets."""
    outlets = source_labels(sources)
    texts = {}
    for event_id, ev in events.iterrows():
        names = list(dict.fromkeys(str(outlets.get(s, s)) for s in ev["source_ids"]))
        parts = [
            f"<b>{_escape(ev['title'])}</b>",
            format_date(ev["date_start"], ev["date_precision"], ev["date_end"]),
            _escape(f"{str(ev['event_type']).replace('_', ' ')} · {ev['status']}"),
            "Sources: " + (_escape("; ".join(names)) if names else "none"),
        ]
        texts[event_id] = "<br>".join(parts)
    return pd.Series(texts, dtype=object)


def _is_point(events: pd.DataFrame) -> pd.Series:
    """Day-precision events without an end date are points; all else are spans."""
    return (events["date_precision"] == "day") & events["date_end"].isna()


def _traces(marks: pd.DataFrame, selected: frozenset[str]) -> list[dict[str, Any]]:
    """One trace per (event type, status, point or span), in vocabulary order;
    the first trace of each type carries its legend entry."""
    types, statuses = _rank(EVENT_TYPES), _rank(STATUSES)
    highlight = bool(marks["event_id"].isin(selected).any())
    ordered = marks.assign(
        type_rank=marks["event_type"].map(lambda t: types.get(t, len(types))),
        status_rank=marks["status"].map(statuses),
    )
    traces: list[dict[str, Any]] = []
    shown: set[str] = set()
    keys = ["type_rank", "event_type", "status_rank", "status", "point"]
    for (_, event_type, _, status, point), group in ordered.groupby(keys, sort=True):
        color = event_color(event_type)
        chosen = group["event_id"].isin(selected).tolist()
        common: dict[str, Any] = {
            "name": _escape(type_label(str(event_type))),
            "legendgroup": str(event_type),
            "showlegend": event_type not in shown,
            "customdata": [[e] for e in group["event_id"]],
            "hovertext": group["hover"].tolist(),
            "hovertemplate": "%{hovertext}<extra></extra>",
            "y": group["y"].tolist(),
        }
        shown.add(event_type)
        outline = 2.0 if status == "claimed" else 1.0
        marker: dict[str, Any] = {
            "color": _rgba(color, STATUS_STYLE[status]["fill_opacity"]),
            "opacity": [1.0 if c or not highlight else _FADED for c in chosen],
            "line": {
                "color": ["black" if c else color for c in chosen],
                "width": [2.5 if c else outline for c in chosen],
            },
        }
        if point:
            marker["symbol"] = _STATUS_SYMBOL[status]
            marker["size"] = [_POINT_SIZE + 6 if c else _POINT_SIZE for c in chosen]
            traces.append(
                {"type": "scatter", "x": group["start"].tolist(), "mode": "markers", "marker": marker} | common
            )
            continue
        if _STATUS_PATTERN[status]:
            marker["pattern"] = {
                "shape": _STATUS_PATTERN[status],
                "fgcolor": color,
                "fillmode": "overlay",
                "size": 6,
            }
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "base": group["start"].tolist(),
                "x": ((group["end"] - group["start"]) / pd.Timedelta(milliseconds=1)).tolist(),
                "width": [1.0 if c else _BAR_WIDTH for c in chosen],
                "marker": marker,
            }
            | common
        )
    return traces


# --- the figure ---------------------------------------------------------------------


def _empty_figure() -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=EMPTY_MESSAGE, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": 15})
    fig.update_layout(
        height=200,
        xaxis={"visible": False},
        yaxis={"visible": False},
        plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
    )
    return fig


def build_timeline(
    events: pd.DataFrame,
    data: Dataset,
    *,
    lanes: Lanes = "event_type",
    selected: str | Iterable[str] | None = None,
    time_range: tuple[Any, Any] | None = None,
    revision: str = "timeline",
    links: Iterable[tuple[str, str]] = (),
    steps: Sequence[str] = (),
    window: tuple[Any, int] | None = None,
) -> go.Figure:
    """The timeline of ``events`` (a slice of ``data.events``) in lanes.

    ``lanes`` is one of :data:`LANES`: ``"event_type"`` gives one lane per type
    present; ``"actor"`` and ``"source"`` one lane per actor or source, an event
    appearing in the lane of each of its actors or sources (or in a last lane for
    events that name none). ``data`` supplies actor names and source outlets.

    A day-precision event without ``date_end`` is a point at its day; every other
    event is a bar from ``date_start`` to the end of the day ``period_end``, so a
    year-precision event covers its year. Colour is the event type, as on the map;
    claimed events are hollow (points) or hatched (spans). Every mark carries
    ``customdata[0] == event_id``. With ``selected`` (an id or several), those events'
    marks are outlined in black, enlarged and fully opaque and the others fade; ids not
    in ``events`` change nothing.

    The date axis is on top, so the dates are in view however many lanes there are;
    lanes are squeezed to fit :data:`FIT_HEIGHT` where they can. ``time_range`` (two
    dates) is the visible range; by default the span of ``events``. ``revision`` is
    Plotly's ``uirevision``: while it stays the same, the browser keeps the user's zoom.

    ``links``: (from event, to event) pairs drawn as grey lines between their marks (a claim
    and its answer, a step and its follow-up). ``steps``: event ids of a story, in order,
    numbered 1..n beside their marks. Events not in ``events`` are left out of both.
    ``window``: a playback window (first day, length in days), shaded across the lanes.
    """
    chosen = frozenset([selected] if isinstance(selected, str) else (selected or ()))
    if lanes not in LANES:
        raise ValueError(f"lanes must be one of {', '.join(LANES)}; got {lanes!r}")
    if events.empty:
        return _empty_figure()

    point = _is_point(events)
    end = events["period_end"].where(point, events["period_end"] + _DAY)
    first, last = events["date_start"].min(), end.max()
    point_room = max((last - first) * _POINT_ROOM, _MIN_ROOM)
    room = point.map({True: point_room, False: max((last - first) * _SPAN_ROOM, _MIN_ROOM)})
    info = pd.DataFrame(
        {
            "start": events["date_start"],
            "end": end,
            "room_start": events["date_start"] - room.where(point, pd.Timedelta(0)),
            "room_end": end.where(~point, events["date_start"]) + room,
            "point": point,
            "event_type": events["event_type"],
            "status": events["status"],
            "hover": _hover(events, data.sources),
        }
    )
    marks = _lane_marks(events, data, lanes).join(info, on="event_id")
    marks, bands = _place_marks(marks)
    rows = bands[-1][2]

    view_start, view_end = first - point_room, last + point_room
    if (pad := (_MIN_VIEW - (view_end - view_start)) / 2) > pd.Timedelta(0):
        view_start, view_end = view_start - pad, view_end + pad

    view_start -= (view_end - view_start) * _LABEL_ROOM
    if time_range is not None:
        view_start, view_end = pd.Timestamp(time_range[0]), pd.Timestamp(time_range[1])
    row_px = max(_MIN_ROW_PX, min(_ROW_PX, (FIT_HEIGHT - 70) / rows))
    # Plain dicts and no validation: plotly's per-attribute validation was most of the time
    # of a rerun (≈ 130 ms for 100 events); the tests check the figure's structure instead.
    layout = dict(
        height=int(70 + row_px * rows),
        barmode="overlay",
        uirevision=revision,
        showlegend=False,  # the type colours are explained beside the chart and on the map's legend
        # Dragging zooms into a period; a click selects a mark (Streamlit turns clickmode to
        # "event+select" outside the select/lasso drag modes). Box and lasso are in the modebar.
        dragmode="zoom",
        hovermode="closest",
        plot_bgcolor="white",
        margin={"l": LEFT_MARGIN, "r": 10, "t": 40, "b": 10},
        xaxis={
            "type": "date",
            "side": "top",
            "range": [view_start, view_end],
            "gridcolor": "#e5e5e5",
            "zeroline": False,
        },
        yaxis={
            "range": [rows, 0],
            "tickvals": [(top + bottom) / 2 for _, top, bottom in bands],
            "ticktext": [label for label, _, _ in bands],
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
            "ticklabelposition": "inside",
            "tickfont": {"size": 11, "color": "#333"},
        },
        shapes=[
            {
                "type": "rect",
                "xref": "paper",
                "yref": "y",
                "x0": 0,
                "x1": 1,
                "y0": top,
                "y1": bottom,
                "fillcolor": "rgba(0,0,0,0.035)",
                "line": {"width": 0},
                "layer": "below",
            }
            for _, top, bottom in bands[::2]
        ]
        + _window_shape(window),
    )
    return FrozenFigure(data=_traces(marks, chosen) + _overlays(marks, links, steps), layout=layout, _validate=False)


def _window_shape(window: tuple[Any, int] | None) -> list[dict[str, Any]]:
    if window is None:
        return []
    start = pd.Timestamp(window[0])
    return [
        {
            "type": "rect", "xref": "x", "yref": "paper", "x0": start, "x1": start + pd.Timedelta(days=window[1]),
            "y0": 0, "y1": 1, "fillcolor": "rgba(31,59,115,0.12)", "line": {"color": "#1f3b73", "width": 1},
            "layer": "below", "name": "playback window",
        }
    ]  # fmt: skip


def _overlays(marks: pd.DataFrame, links: Iterable[tuple[str, str]], steps: Sequence[str]) -> list[dict[str, Any]]:
    """Lines between linked events and numbers beside a story's steps, at each event's first mark."""
    first = marks.drop_duplicates("event_id").set_index("event_id")
    at = {e: (row["start"] + (row["end"] - row["start"]) / 2, row["y"]) for e, row in first.iterrows()}
    xs: list[Any] = []
    ys: list[Any] = []
    for a, b in links:
        if a in at and b in at:
            xs += [at[a][0], at[b][0], None]
            ys += [at[a][1], at[b][1], None]
    traces: list[dict[str, Any]] = []
    if xs:
        traces.append(
            {"type": "scatter", "x": xs, "y": ys, "mode": "lines", "hoverinfo": "skip", "showlegend": False,
             "line": {"color": "rgba(40,40,40,0.55)", "width": 1.5, "dash": "dot"}, "name": "links"}
        )  # fmt: skip
    numbered = [(i, e) for i, e in enumerate(steps, start=1) if e in at]
    if numbered:
        traces.append(
            {"type": "scatter", "mode": "markers+text", "showlegend": False, "hoverinfo": "skip", "name": "steps",
             "x": [at[e][0] for _, e in numbered], "y": [at[e][1] - 0.9 for _, e in numbered],
             "text": [str(i) for i, _ in numbered], "textfont": {"size": 10, "color": "white"},
             "marker": {"size": 15, "color": "#1f3b73", "line": {"color": "white", "width": 1}}}
        )  # fmt: skip
    return traces


def selected_ids(selection: Mapping[str, Any] | None) -> list[str]:
    """The event ids of a Streamlit plotly selection state, unique and in order.

    Reads ``selection["selection"]["points"][i]["customdata"]``, whose first
    element (or itself, if it is a scalar) is the event id. Missing keys, ``None``
    and points without customdata are skipped.
    """
    points = ((selection or {}).get("selection") or {}).get("points") or []
    ids: dict[str, None] = {}
    for point in points:
        custom = point.get("customdata") if isinstance(point, Mapping) else None
        if isinstance(custom, (list, tuple)):
            custom = custom[0] if custom else None
        if custom is not None:
            ids[str(custom)] = None
    return list(ids)
