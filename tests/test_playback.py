"""Playback: which events a moving window shows, how they fade, how the window moves."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.filters import FilterState, apply_filters
from geo.playback import MIN_FADE, STEP_SHARE, WINDOWS, fades, first_window, next_window
from tests.conftest import ROOT


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


def _play(events, days, time_range=None) -> list[dt.date]:
    """Every window start a playback goes through, from Play to its end."""
    starts = [first_window(events, days, time_range)]
    while (nxt := next_window(events, starts[-1], days)) is not None:
        assert nxt > starts[-1]
        starts.append(nxt)
        assert len(starts) < 2000, "the playback does not end"
    return starts


@pytest.fixture(scope="module")
def default_events(data, index):
    """The events the explore page shows with the default filters."""
    return apply_filters(data.events, FilterState(), index)


def test_the_default_filters_show_every_curated_event_from_1991(default_events, data):
    assert len(default_events) == len(data.events)
    assert first_window(default_events, 90) == dt.date(1991, 1, 1)  # unzoomed: the first event, as before


@pytest.mark.parametrize("days", list(WINDOWS))
def test_the_playback_reaches_2020_in_a_few_steps_not_hundreds(default_events, days):
    starts = _play(default_events, days)
    reached = next(i for i, s in enumerate(starts) if s + dt.timedelta(days=days) >= dt.date(2020, 1, 1))
    before = default_events[default_events["date_start"] < "2020-01-01"]["date_start"].nunique()
    assert before == 8
    assert reached <= 3 * before  # a moment for each of the 8 early dates, no more
    crawl = (dt.date(2020, 1, 1) - dt.timedelta(days=days) - dt.date(1991, 1, 1)).days / round(days * STEP_SHARE)
    assert crawl > 100  # what the quarter-length steps alone took


@pytest.mark.parametrize("days", list(WINDOWS))
def test_no_window_is_empty_while_events_lie_ahead(default_events, data, index, days):
    for events in [
        default_events,
        apply_filters(data.events, FilterState(event_types=("military_exercise",)), index),
        apply_filters(data.events, FilterState(text="Brussels"), index),
    ]:
        assert len(events) > 1
        for start in _play(events, days):
            assert len(fades(events, start, days)) > 0, (start, days)


@pytest.mark.parametrize("days", list(WINDOWS))
def test_the_last_window_shows_the_last_event_fully(default_events, days):
    starts = _play(default_events, days)
    last = default_events["date_start"].idxmax()
    assert last == "aliyev-receives-ahmadian-2025-01-08"
    assert fades(default_events, starts[-1], days).get(last) == 1.0
    assert len(starts) < 100  # 1991-2025 in under 2.5 minutes at normal speed


def test_a_jump_brings_the_next_event_in_at_the_window_end_fading_in(default_events):
    # the 1991 event is at the window's start; nothing arrives before 1992-01-01
    nxt = next_window(default_events, dt.date(1991, 1, 1), 90)
    assert nxt == dt.date(1992, 1, 1) - dt.timedelta(days=90)
    shown = fades(default_events, nxt, 90)
    assert shown["russian-border-guards-agreement-1992"] == MIN_FADE  # just entering
    assert shown["almaty-declaration-1991"] == 1.0  # a year-dated event still shows all its year
    # a long gap: 2010 to 2016
    assert next_window(default_events, dt.date(2009, 11, 16), 90) == dt.date(2016, 1, 1) - dt.timedelta(days=90)


def test_the_window_steps_smoothly_while_events_arrive(default_events):
    """Through the second half of 2022 (a clash, the observer missions, Prague) every step is a quarter window."""
    starts = _play(default_events, 90)
    autumn = [s for s in starts if dt.date(2022, 6, 1) <= s <= dt.date(2022, 12, 31)]
    assert len(autumn) >= 9
    assert {(b - a).days for a, b in zip(autumn, autumn[1:], strict=False)} == {22}
    # the clash fades in at the window's end, is fully shown in its middle, fades out at its start
    clash = default_events.loc["border-clash-2022-09-13", "date_start"].date()
    seen = {s: fades(default_events, s, 90).get("border-clash-2022-09-13") for s in autumn}
    middle = {s: s + dt.timedelta(days=45) for s in autumn}
    assert seen[autumn[0]] is None and 1.0 in seen.values()
    assert any(f is not None and f < 1.0 and clash > middle[s] for s, f in seen.items())  # fading in
    assert any(f is not None and f < 1.0 and clash < middle[s] for s, f in seen.items())  # fading out


@pytest.mark.parametrize(
    ("time_range", "expected"),
    [
        ((dt.date(2022, 9, 1), dt.date(2022, 12, 31)), dt.date(2022, 9, 1)),  # zoomed: from the range's start
        ((dt.date(1980, 1, 1), dt.date(1995, 1, 1)), dt.date(1991, 1, 1)),  # before the first event: from it
        ((dt.date(2030, 1, 1), dt.date(2031, 1, 1)), dt.date(1991, 1, 1)),  # after the last: as if not zoomed
        ((dt.date(2004, 1, 1), dt.date(2008, 1, 1)), dt.date(2010, 1, 1) - dt.timedelta(days=90)),  # empty: on
    ],
)
def test_play_starts_at_the_zoomed_range(default_events, time_range, expected):
    assert first_window(default_events, 90, time_range) == expected
    assert len(fades(default_events, expected, 90)) > 0


def test_with_no_events_there_is_no_window(data):
    none = data.events.iloc[:0]
    assert first_window(none, 90) is None
    assert next_window(none, dt.date(2022, 1, 1), 90) is None


def test_play_on_a_zoomed_timeline_starts_at_its_range_and_steps_on():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["time"] = "2022-09-01,2022-12-31"
    at.run()
    at.button(key="play_start").click().run()
    assert not at.exception
    assert any(c.value.startswith("Playing: 01 Sep 2022 – 30 Nov 2022") for c in at.caption)
    at.button(key="play_pause").click().run()
    assert at.query_params.get("play") in (["2022-09-01,90"], "2022-09-01,90")


def test_play_after_the_last_window_starts_again_from_the_beginning(default_events):
    """A playback that ended leaves its last window; pressing Play then replays from the start
    (before, the window could not move on and Play stopped at once)."""
    from streamlit.testing.v1 import AppTest

    last = _play(default_events, 90)[-1]
    assert next_window(default_events, last, 90) is None
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["play"] = f"{last.isoformat()},90"
    at.run()
    assert at.button(key="play_start").label == "Play from the start"  # it says what it will do
    assert any("The last window: no event starts after it." in c.value for c in at.caption)
    at.button(key="play_start").click().run()
    assert not at.exception
    assert any(c.value.startswith("Playing: 01 Jan 1991") for c in at.caption), [c.value for c in at.caption]


def test_a_paused_window_with_events_ahead_plays_on():
    """A link to a paused window before the end plays on from there (not from 1991)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["play"] = "2023-06-01,90"
    at.run()
    assert at.button(key="play_start").label == "Play"
    at.button(key="play_start").click().run()
    assert any(c.value.startswith("Playing: 01 Jun 2023") for c in at.caption), [c.value for c in at.caption]


def test_the_unplaced_events_caption_follows_the_playback_window(data):
    """Under the map, the events that have no place are those the map could show now: during a
    playback, the window's (the October 7 war, in autumn 2023), not every filtered event."""
    from streamlit.testing.v1 import AppTest

    from geo.labels import md_escape

    def unplaced_caption(params: dict) -> str:
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception
        return next(c.value for c in at.caption if "no place on the map" in c.value)

    everything = unplaced_caption({})
    assert everything.startswith("7 shown events have no place on the map")
    window = unplaced_caption({"play": "2023-09-01,90"})
    title = md_escape(f"“{data.events.loc['october-7-war-2023-10-07', 'title']}”")
    assert window == f"1 event in the window has no place on the map (timeline only): {title}"
