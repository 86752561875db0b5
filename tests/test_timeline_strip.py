"""The count strip above the timeline: events per month or year by status, and picking periods."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from geo.load import load_dataset  # noqa: E402
from geo.timeline_strip import STATUS_COLORS, build_strip, picked_dates  # noqa: E402

WIDE = ("1990-01-01", "2025-12-31")  # more than 8 years: bars per year
NARROW = ("2021-01-01", "2023-06-30")  # bars per month


@pytest.fixture(scope="module")
def events():
    return load_dataset().events


def bars(fig) -> dict[tuple[str, str, str], int]:
    """(status, first day, last day) -> count, for every bar of the strip."""
    found = {}
    for trace in fig.data:
        for (first, last), count in zip(trace.customdata, trace.y, strict=True):
            found[(trace.name, first, last)] = count
    return found


def test_yearly_bars_count_every_event_once_by_status(events):
    expected = Counter(
        (s, f"{d.year}-01-01", f"{d.year}-12-31") for d, s in zip(events["date_start"], events["status"], strict=True)
    )
    fig = build_strip(events, time_range=WIDE)
    assert bars(fig) == dict(expected)
    assert sum(bars(fig).values()) == len(events)
    assert fig.layout.legend.title.text == "Events per year:"


def test_monthly_bars_when_zoomed_in(events):
    fig = build_strip(events, time_range=NARROW)
    found = bars(fig)
    in_view = (events["date_start"] <= pd.Timestamp(NARROW[1])) & (events["period_end"] >= pd.Timestamp(NARROW[0]))
    by_year = int(((events["date_precision"] == "year") & in_view).sum())
    assert 10 < by_year < int((events["date_precision"] == "year").sum())  # the 1990s ones are out of view
    assert fig.layout.legend.title.text == f"Events per month, {by_year} dated only to a year left out:"
    # every event dated to a month or a day, also those outside the visible range; a year-dated
    # one is not piled into its January
    assert sum(found.values()) == int((events["date_precision"] != "year").sum())
    for _status, first, last in found:
        first, last = pd.Timestamp(first), pd.Timestamp(last)
        assert first.day == 1 and (last + pd.Timedelta(days=1)).day == 1 and first.month == last.month
    dec = [k for k in found if k[1].endswith("-12-01")]
    assert dec and all(k[2].endswith("-12-31") for k in dec)


def test_bars_are_stacked_by_status_in_their_colours(events):
    fig = build_strip(events, time_range=WIDE)
    assert fig.layout.barmode == "stack"
    assert {t.name for t in fig.data} == set(events["status"])
    for trace in fig.data:
        assert trace.marker.color == STATUS_COLORS[trace.name]
        for x, (first, last) in zip(trace.x, trace.customdata, strict=True):
            assert pd.Timestamp(first) <= pd.Timestamp(x) <= pd.Timestamp(last)


def test_no_events_no_bars(events):
    assert build_strip(events.iloc[:0], time_range=WIDE).data == ()


def test_picked_bars_give_the_date_range():
    selection = {
        "selection": {
            "points": [
                {"customdata": ["2022-09-01", "2022-09-30"]},
                {"customdata": ["2021-01-01", "2021-01-31"]},
                {"customdata": "not a bar"},
                "junk",
            ]
        }
    }
    assert picked_dates(selection) == ("2021-01-01", "2022-09-30")
    assert picked_dates({"selection": {"points": []}}) is None
    assert picked_dates(None) is None


def test_a_year_dated_event_makes_no_january_spike(events):
    """The four statements dated only to 2024 (Nakhchivan, one outlet) were a bar of 4 at January 2024."""
    year_dated = events[events["date_precision"] == "year"]
    fig = build_strip(year_dated, time_range=NARROW)
    assert fig.data == () and "left out" in fig.layout.legend.title.text
    assert sum(bars(build_strip(year_dated, time_range=WIDE)).values()) == len(year_dated)  # per year they count


def test_the_count_axis_has_whole_numbers_and_the_legend_stays(events):
    one = events[events["event_type"] == "clash"].iloc[:1]
    fig = build_strip(one, time_range=NARROW)
    assert fig.layout.yaxis.tick0 == 0 and fig.layout.yaxis.dtick == 1  # no 0.5 tick under a bar of one
    assert fig.layout.showlegend is True  # one status shown: its colour is still explained
    assert build_strip(events, time_range=WIDE).layout.yaxis.dtick in (10, 20)  # round steps up to 30-odd a year


@pytest.mark.parametrize(
    ("most", "step"), [(1, 1), (3, 1), (4, 2), (6, 2), (7, 5), (15, 5), (16, 10), (33, 20), (90, 50)]
)
def test_count_steps_are_round(most, step):
    from geo.timeline_strip import _whole_step

    assert _whole_step(most) == step
