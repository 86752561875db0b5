"""Playback: a time window that moves along the timeline and drives the map.

An event is in the window when the period its date stands for overlaps it. Events fade in
as the window reaches them and fade out as it leaves them: an event's opacity is 1 in the
middle half of the window and falls linearly to :data:`MIN_FADE` at its edges, measured at
the point of the event's period closest to the window's middle.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

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
    inside = events[(events["date_start"] <= hi) & (events["period_end"] >= lo)]
    middle = lo + (hi - lo) / 2
    # the point of each event's period nearest the middle of the window
    nearest = inside["date_start"].where(inside["date_start"] > middle, inside["period_end"].clip(upper=middle))
    distance = (nearest - middle).abs() / ((hi - lo) / 2)  # 0 at the middle, 1 at an edge
    fade = (1 - (distance - 0.5).clip(lower=0) * 2 * (1 - MIN_FADE)).clip(lower=MIN_FADE, upper=1.0)
    return fade.round(2)


def advance(start: dt.date, days: int, last: dt.date) -> dt.date | None:
    """The window's next start, or None when the window has passed ``last``."""
    nxt = start + dt.timedelta(days=max(1, round(days * STEP_SHARE)))
    return None if nxt > last else nxt
