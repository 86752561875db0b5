"""Playback: which events a moving window shows, how they fade, how the window moves."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.playback import MIN_FADE, advance, fades


def test_the_window_keeps_the_events_whose_period_overlaps_it(data):
    start, days = dt.date(2022, 9, 1), 90
    shown = fades(data.events, start, days)
    end = start + dt.timedelta(days=days)
    for event_id, ev in data.events.iterrows():
        overlaps = ev["date_start"].date() <= end and ev["period_end"].date() >= start
        assert (event_id in shown.index) == overlaps, event_id
    assert "border-clash-2022-09-13" in shown.index


def test_events_fade_in_and_out_at_the_edges(data):
    day = data.events.loc["border-clash-2022-09-13", "date_start"].date()
    middle = fades(data.events, day - dt.timedelta(days=45), 90)["border-clash-2022-09-13"]
    edge = fades(data.events, day - dt.timedelta(days=1), 90)["border-clash-2022-09-13"]
    assert middle == 1.0 and MIN_FADE <= edge < middle
    assert fades(data.events, day - dt.timedelta(days=89), 90)["border-clash-2022-09-13"] < 1.0


@pytest.mark.parametrize(
    ("start", "days", "last", "expected"),
    [
        (dt.date(2022, 1, 1), 90, dt.date(2025, 1, 1), dt.date(2022, 1, 23)),  # round(22.5) = 22 days
        (dt.date(2022, 1, 1), 365, dt.date(2025, 1, 1), dt.date(2022, 4, 2)),
        (dt.date(2024, 12, 20), 90, dt.date(2025, 1, 1), None),
    ],
)
def test_the_window_moves_a_quarter_of_its_length(start, days, last, expected):
    assert advance(start, days, last) == expected
