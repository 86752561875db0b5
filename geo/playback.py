"""Playback: a time window that moves along the timeline and drives the map.

An event is in the window when the period its date stands for overlaps it. Events fade in
as the window reaches them and fade out as it leaves them: an event's opacity is 1 in the
middle half of the window and falls linearly to :data:`MIN_FADE` at its edges, measured at
the point of the event's period closest to the window's middle.

Pacing (:func:`first_window`, :func:`next_window`): the window moves a quarter of its length
while events arrive in it, and jumps over stretches where nothing arrives, landing with the
next event at its end (where it fades in). What paces the window is the date an event is
given (its day, month or year, or its span), not the year a year-dated event is drawn
across: such an event still shows in every window its year overlaps, but does not hold the
playback for a year.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from geo.filters import overlapping

#: Window lengths offered, in days, with their labels.
WINDOWS: dict[int, str] = {30: "1 month", 90: "3 months", 182: "6 months", 365: "1 year"}
#: Seconds per step, by speed.
SPEEDS: dict[str, float] = {"slow": 2.5, "normal": 1.5, "fast": 0.8}
#: The window moves by this share of its length at each step.
STEP_SHARE = 0.25
MIN_FADE = 0.25


def fades(events: pd.DataFrame, start: dt.date, days: int) -> pd.Series:
    """event_id -> opacity in [MIN_FADE, 1] for the events in the window ``start``..``start + days``;
    events outside the window are left out."""
    lo = pd.Timestamp(start)
    hi = lo + pd.Timedelta(days=days)
    inside = events[overlapping(events, lo, hi)]
    middle = lo + (hi - lo) / 2
    # the point of each event's period nearest the middle of the window
    nearest = inside["date_start"].where(inside["date_start"] > middle, inside["period_end"].clip(upper=middle))
    distance = (nearest - middle).abs() / ((hi - lo) / 2)  # 0 at the middle, 1 at an edge
    fade = (1 - (distance - 0.5).clip(lower=0) * 2 * (1 - MIN_FADE)).clip(lower=MIN_FADE, upper=1.0)
    return fade.round(2)


def _moments(events: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each event's start and the end of its own span (``date_end``, else its start): the dates
    that pace the window, without the month or year a coarse date is drawn across."""
    starts = events["date_start"]
    ends = events["date_end"].fillna(starts).clip(lower=starts) if "date_end" in events else starts
    return starts, ends


def _arriving(events: pd.DataFrame, start: dt.date, days: int) -> bool:
    """Whether an event's own date or span lies in the later half of the window: it is fading
    in, or has not yet passed the middle where it is fully shown."""
    starts, ends = _moments(events)
    lo = pd.Timestamp(start)
    middle, hi = lo + pd.Timedelta(days=days) / 2, lo + pd.Timedelta(days=days)
    return bool(((starts <= hi) & (ends >= middle)).any())


def _next_arrival(events: pd.DataFrame, after: pd.Timestamp) -> dt.date | None:
    later = events["date_start"][events["date_start"] > after]
    return None if later.empty else later.min().date()


def next_window(events: pd.DataFrame, start: dt.date, days: int) -> dt.date | None:
    """The window's next start: a smooth step (a quarter of its length) while events arrive in
    it, otherwise a jump that puts the next event's date at the window's end; None when no
    event is arriving or ahead (the playback is over)."""
    smooth = start + dt.timedelta(days=max(1, round(days * STEP_SHARE)))
    if _arriving(events, smooth, days):
        return smooth
    nxt = _next_arrival(events, pd.Timestamp(smooth + dt.timedelta(days=days)))
    return None if nxt is None else max(smooth, nxt - dt.timedelta(days=days))


def first_window(events: pd.DataFrame, days: int, time_range: tuple | None = None) -> dt.date | None:
    """Where Play starts: the start of ``time_range`` (the timeline's zoomed range) when events
    lie from there on, else the first event; moved on, as :func:`next_window` would, when that
    window would show nothing. None when there are no events."""
    if events.empty:
        return None
    first = events["date_start"].min()
    begin = first
    if time_range is not None:
        zoomed = pd.Timestamp(time_range[0])
        if (events["period_end"] >= zoomed).any():
            begin = max(first, zoomed)
    if not fades(events, begin.date(), days).empty:
        return begin.date()
    # an event lies ahead: checked above
    return _next_arrival(events, begin + pd.Timedelta(days=days)) - dt.timedelta(days=days)
