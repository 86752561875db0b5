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

import hashlib
import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, NamedTuple

import pandas as pd
import plotly.graph_objects as go

from geo.frozen_figure import FrozenFigure
from geo.labels import format_date, source_labels, source_who, type_label
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
#: Room above the date labels for the chart's toolbar (Plotly's modebar, ≈ 24 px, at the top
#: right): over the labels it hid the latest dates, and on a phone, where it always shows, most.
MODEBAR_PX = 28
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


def _shorten(text: str, limit: int, prefer: str = "tail") -> str:
    """``text`` cut to ``limit`` characters in the middle, where names differ least
    ("Ministry … of Azerbaijan"), so lanes stay told apart: whole words from both ends, in turn,
    the end's first; with ``prefer="head"`` (a "who, when" label) as many from the start as fit,
    then from the end ("The Moscow Times, … 2024"). A first or last word too long for its share
    is cut as characters."""
    if len(text) <= limit:
        return text
    words = text.split()
    room = limit - 3  # " … "
    if len(words) < 2 or len(words[0]) + len(words[-1]) + 1 > room:
        first = (limit - 1) // 2
        return text[:first].rstrip() + "…" + text[len(text) - (limit - 1 - first) :].lstrip()
    head, tail, rest = [words[0]], [words[-1]], words[1:-1]
    used = len(words[0]) + len(words[-1])
    side = prefer
    stuck = 0  # how many sides in a row had no room for their next word
    while rest and stuck < 2:
        word = rest[0] if side == "head" else rest[-1]
        if used + len(word) + 1 <= room:
            used += len(word) + 1
            if side == "head":
                head.append(rest.pop(0))
            else:
                tail.insert(0, rest.pop())
            stuck = 0
            if prefer == "head" and side == "head":
                continue  # the start first, as far as it goes
        else:
            stuck += 1
        side = "tail" if side == "head" else "head"
    return " ".join(head) + " … " + " ".join(tail)


def _source_label(source_id: str, sources: pd.DataFrame) -> str:
    if source_id not in sources.index:
        return source_id
    row = sources.loc[source_id]
    date = format_date(row["published"], row["published_precision"])
    # a lane's label, who and when, cut from its end (the hover names the article in full)
    return _shorten(f"{source_who(row)}, {date}", _LANE_LABEL_CHARS, prefer="head")


class _Mark(NamedTuple):
    """One mark: an event in one lane (an event with two actors has a mark in each actor's lane).
    Dates are nanoseconds since the epoch, so that placing marks is plain integer arithmetic."""

    event_id: str
    lane: str
    label: str
    start: int
    end: int
    room_start: int
    room_end: int
    point: bool
    event_type: str
    status: str
    hover: str


def _ns(values: pd.Series) -> list[int]:
    return values.to_numpy(dtype="datetime64[ns]").astype("int64").tolist()


def _ts(ns: int) -> pd.Timestamp:
    return pd.Timestamp(ns)


def _lanes_of(events: pd.DataFrame, data: Dataset, lanes: Lanes) -> tuple[list[list[str]], dict[str, str]]:
    """Each event's lane keys (its type, or its actors or sources, or [""] for none) and each key's label."""
    if lanes == "event_type":
        keys = [[t] for t in events["event_type"]]
        return keys, {k[0]: type_label(k[0]) for k in keys}
    column = "actor_ids" if lanes == "actor" else "source_ids"
    keys = [list(dict.fromkeys(ids)) or [""] for ids in events[column]]
    found = dict.fromkeys(k for ks in keys for k in ks)
    if lanes == "actor":
        names = data.actors["name"]
        label = {k: names.get(k, k) for k in found}
    else:
        label = {k: _source_label(k, data.sources) for k in found}
    label[""] = _NO_LANE[lanes]
    return keys, label


def _lane_order(marks: list[_Mark], lanes: Lanes) -> list[_Mark]:
    """Marks in lane order: event types as in the vocabulary; actors and sources in the order
    of their first event, with the lane for events that name none (key "") last."""
    if lanes == "event_type":
        types = _rank(EVENT_TYPES)
        return sorted(marks, key=lambda m: (types.get(m.lane, len(types)), m.lane))
    first: dict[str, int] = {}
    for m in marks:
        first[m.lane] = min(first.get(m.lane, m.start), m.start)
    return sorted(marks, key=lambda m: (m.lane == "", first[m.lane], m.label))


def _pack(intervals: list[tuple[int, int]]) -> list[int]:
    """The sub-row of each (start, end) interval, sorted by start, so that
    intervals on one sub-row do not overlap (greedy interval partitioning)."""
    row_ends: list[int] = []
    rows: list[int] = []
    for start, end in intervals:
        row = next((i for i, last in enumerate(row_ends) if last <= start), len(row_ends))
        if row == len(row_ends):
            row_ends.append(end)
        else:
            row_ends[row] = end
        rows.append(row)
    return rows


def _place_marks(marks: list[_Mark]) -> tuple[list[float], list[tuple[str, float, float]]]:
    """The ``y`` of each mark (in lane order) inside its lane's band, counted in sub-rows from the top.

    Marks whose room (``room_start`` to ``room_end``) overlaps in a lane go on
    separate sub-rows; a band of n sub-rows is n + 1 rows tall. Returns the y of each
    mark, and each lane's (escaped label, top, bottom).
    """
    lane_order = {lane: i for i, lane in enumerate(dict.fromkeys(m.lane for m in marks))}
    order = sorted(
        range(len(marks)),
        key=lambda i: (lane_order[marks[i].lane], marks[i].room_start, -marks[i].room_end, marks[i].event_id),
    )
    y = [0.0] * len(marks)
    bands: list[tuple[str, float, float]] = []
    top = 0.0
    i = 0
    while i < len(order):  # one lane at a time, in packing order
        lane = marks[order[i]].lane
        members = []
        while i < len(order) and marks[order[i]].lane == lane:
            members.append(order[i])
            i += 1
        rows = _pack([(marks[m].room_start, marks[m].room_end) for m in members])
        for m, r in zip(members, rows, strict=True):
            y[m] = top + 1 + r
        bottom = top + max(rows) + 2
        bands.append((_escape(_shorten(str(marks[members[0]].label), _LANE_LABEL_CHARS)), top, bottom))
        top = bottom
    return y, bands


# --- marks --------------------------------------------------------------------------


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _hover(events: pd.DataFrame, sources: pd.DataFrame) -> list[str]:
    """The escaped hover text of each event: title, date, type and status, outlets."""
    outlets = source_labels(sources)
    texts = []
    for title, start, precision, end, event_type, status, source_ids in zip(
        events["title"], events["date_start"], events["date_precision"], events["date_end"],
        events["event_type"], events["status"], events["source_ids"], strict=True,
    ):  # fmt: skip
        names = list(dict.fromkeys(str(outlets.get(s, s)) for s in source_ids))
        parts = [
            f"<b>{_escape(title)}</b>",
            format_date(start, precision, end),
            _escape(f"{str(event_type).replace('_', ' ')} · {status}"),
            "Sources: " + (_escape("; ".join(names)) if names else "none"),
        ]
        texts.append("<br>".join(parts))
    return texts


def _marks(events: pd.DataFrame, data: Dataset, lanes: Lanes) -> tuple[list[_Mark], int, int, int]:
    """Every mark of ``events`` in lane order, with the span of the events and a point's room.

    A day-precision event without an end date is a point; all else are spans to the end
    of the day ``period_end``.
    """
    starts, period_ends = _ns(events["date_start"]), _ns(events["period_end"])
    points = ((events["date_precision"] == "day") & events["date_end"].isna()).tolist()
    day = _DAY.value
    ends = [pe if p else pe + day for pe, p in zip(period_ends, points, strict=True)]
    first, last = min(starts), max(ends)
    point_room = max(int((last - first) * _POINT_ROOM), _MIN_ROOM.value)
    span_room = max(int((last - first) * _SPAN_ROOM), _MIN_ROOM.value)
    keys, label = _lanes_of(events, data, lanes)
    marks = [
        _Mark(event_id, lane, label[lane], start, end,
              start - point_room if point else start, (start if point else end) + (point_room if point else span_room),
              point, event_type, status, hover)
        for event_id, lane_keys, start, end, point, event_type, status, hover in zip(
            events.index, keys, starts, ends, points, events["event_type"], events["status"],
            _hover(events, data.sources), strict=True,
        )
        for lane in lane_keys
    ]  # fmt: skip
    return _lane_order(marks, lanes), first, last, point_room


def _per_mark(chosen: list[bool], if_chosen: Any, otherwise: Any) -> Any:
    """One value per mark where some of a trace's marks are selected; else one for the trace
    (smaller to copy and to send)."""
    return [if_chosen if c else otherwise for c in chosen] if any(chosen) else otherwise


def _traces(marks: list[_Mark], y: list[float], selected: frozenset[str]) -> list[dict[str, Any]]:
    """One trace per (event type, status, point or span), in vocabulary order;
    the first trace of each type carries its legend entry."""
    types, statuses = _rank(EVENT_TYPES), _rank(STATUSES)
    highlight = any(m.event_id in selected for m in marks)
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, m in enumerate(marks):
        key = (types.get(m.event_type, len(types)), m.event_type, statuses[m.status], m.status, m.point)
        groups.setdefault(key, []).append(i)
    traces: list[dict[str, Any]] = []
    shown: set[str] = set()
    for (_, event_type, _, status, point), members in sorted(groups.items()):
        group = [marks[i] for i in members]
        color = event_color(event_type)
        chosen = [m.event_id in selected for m in group]
        common: dict[str, Any] = {
            "name": _escape(type_label(str(event_type))),
            "legendgroup": str(event_type),
            "showlegend": event_type not in shown,
            "customdata": [[m.event_id] for m in group],
            "hovertext": [m.hover for m in group],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "y": [y[i] for i in members],
        }
        shown.add(event_type)
        outline = 2.0 if status == "claimed" else 1.0
        marker: dict[str, Any] = {
            "color": _rgba(color, STATUS_STYLE[status]["fill_opacity"]),
            "opacity": _per_mark(chosen, 1.0, _FADED if highlight else 1.0),
            "line": {"color": _per_mark(chosen, "black", color), "width": _per_mark(chosen, 2.5, outline)},
        }
        if point:
            marker["symbol"] = _STATUS_SYMBOL[status]
            marker["size"] = _per_mark(chosen, _POINT_SIZE + 6, _POINT_SIZE)
            traces.append(
                {"type": "scatter", "x": [_ts(m.start) for m in group], "mode": "markers", "marker": marker} | common
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
                "base": [_ts(m.start) for m in group],
                "x": [(m.end - m.start) / 1e6 for m in group],  # milliseconds, as plotly's date bars want
                "width": _per_mark(chosen, 1.0, _BAR_WIDTH),
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

    marks, first_ns, last_ns, room_ns = _marks(events, data, lanes)
    y, bands = _place_marks(marks)
    rows = bands[-1][2]
    first, last, point_room = _ts(first_ns), _ts(last_ns), pd.Timedelta(room_ns)

    view_start, view_end = first - point_room, last + point_room
    if (pad := (_MIN_VIEW - (view_end - view_start)) / 2) > pd.Timedelta(0):
        view_start, view_end = view_start - pad, view_end + pad

    view_start -= (view_end - view_start) * _LABEL_ROOM
    if time_range is not None:
        view_start, view_end = pd.Timestamp(time_range[0]), pd.Timestamp(time_range[1])
    row_px = max(_MIN_ROW_PX, min(_ROW_PX, (FIT_HEIGHT - 70 - MODEBAR_PX) / rows))
    # Plain dicts and no validation: plotly's per-attribute validation was most of the time
    # of a rerun (≈ 130 ms for 100 events); the tests check the figure's structure instead.
    layout = dict(
        height=int(70 + MODEBAR_PX + row_px * rows),
        barmode="overlay",
        uirevision=revision,
        # A box or lasso stays drawn (and draggable) after it selected: when the selection changes
        # anywhere (this box, the map, "Clear selection") the outline goes, or a later drag inside
        # an old one moved it instead of drawing a new box. The chosen marks stay highlighted.
        selectionrevision=hashlib.sha1("\n".join(sorted(chosen & set(events.index))).encode()).hexdigest()[:12],
        showlegend=False,  # the type colours are explained beside the chart and on the map's legend
        # Dragging zooms into a period; a click selects a mark (the chart component turns clickmode
        # to "event+select" for a chart with a selection callback). Box and lasso are in the modebar.
        dragmode="zoom",
        hovermode="closest",
        plot_bgcolor="white",
        margin={"l": LEFT_MARGIN, "r": 10, "t": 40 + MODEBAR_PX, "b": 10},
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
            # the first lane's label reaches above the plot when its lane is one row: keep it shown
            "ticklabeloverflow": "allow",
            "layer": "above traces",  # the labels over the marks of a zoomed view (with a halo: the chart's CSS)
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
    return FrozenFigure(
        data=_traces(marks, y, chosen) + _overlays(marks, y, links, steps), layout=layout, _validate=False
    )


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


def _overlays(
    marks: list[_Mark], y: list[float], links: Iterable[tuple[str, str]], steps: Sequence[str]
) -> list[dict[str, Any]]:
    """Lines between linked events and numbers beside a story's steps, at each event's first mark."""
    at: dict[str, tuple[pd.Timestamp, float]] = {}
    for m, my in zip(marks, y, strict=True):
        at.setdefault(m.event_id, (_ts(m.start + (m.end - m.start) // 2), my))
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
