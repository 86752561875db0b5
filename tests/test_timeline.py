"""The timeline figure: every event drawn, at its precision, in its colour, escaped."""

from __future__ import annotations

import html
import json
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from geo.labels import UNNAMED_OUTLET, format_date, source_labels  # noqa: E402
from geo.load import load_dataset  # noqa: E402
from geo.style import EVENT_COLORS  # noqa: E402
from geo.timeline import (  # noqa: E402
    _LANE_LABEL_CHARS,
    EMPTY_MESSAGE,
    LANES,
    _shorten,
    build_timeline,
    selected_ids,
)

DAY_EVENT = "aliyev-receives-ahmadian-2025-01-08"
YEAR_EVENT = "friendship-treaty-1997"
WAR = "second-karabakh-war-2020"
CLAIM = "iran-defence-pact-offer-claim-2025-01"
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def data():
    return load_dataset()


@pytest.fixture(scope="module")
def events(data):
    return data.events


def marks(fig) -> list[dict]:
    """Every mark of the figure: its trace, index in the trace, event id and position."""
    out = []
    for trace in fig.data:
        for i, custom in enumerate(trace.customdata):
            mark = {"trace": trace, "i": i, "event_id": custom[0], "kind": trace.type, "y": trace.y[i]}
            if trace.type == "bar":
                start = pd.Timestamp(trace.base[i])
                mark |= {"start": start, "end": start + pd.Timedelta(milliseconds=trace.x[i])}
            else:
                mark |= {"start": pd.Timestamp(trace.x[i])}
            out.append(mark)
    return out


def by_event(fig) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for mark in marks(fig):
        found.setdefault(mark["event_id"], []).append(mark)
    return found


def per_point(value, i):
    """A marker property that is either one value for the trace or one per point."""
    return value[i] if isinstance(value, (list, tuple)) else value


def rgb(color: str) -> tuple[int, int, int]:
    if color.startswith("#"):
        return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))
    return tuple(int(c) for c in color[color.index("(") + 1 : color.index(")")].split(",")[:3])


def lane_label(fig, y: float) -> str:
    """The label of the lane band that holds ``y``; bands run down from 0, each
    centred on its tick."""
    top = 0.0
    for tick, label in zip(fig.layout.yaxis.tickvals, fig.layout.yaxis.ticktext, strict=True):
        bottom = 2 * tick - top
        if top < y < bottom:
            return label
        top = bottom
    raise AssertionError(f"y={y} is in no lane")


# --- lanes and marks ----------------------------------------------------------------


def test_every_event_once_by_type(data, events):
    fig = build_timeline(events, data)
    counts = Counter(m["event_id"] for m in marks(fig))
    assert set(counts) == set(events.index)
    assert set(counts.values()) == {1}


def test_type_lanes_are_the_types_present(data, events):
    fig = build_timeline(events, data)
    labels = list(fig.layout.yaxis.ticktext)
    assert sorted(labels) == sorted({t.replace("_", " ") for t in events["event_type"]})
    for mark in marks(fig):
        assert lane_label(fig, mark["y"]) == events.at[mark["event_id"], "event_type"].replace("_", " ")


def test_points_and_spans(data, events):
    found = by_event(build_timeline(events, data))
    for event_id, ev in events.iterrows():
        expected = "scatter" if ev["date_precision"] == "day" and pd.isna(ev["date_end"]) else "bar"
        assert found[event_id][0]["kind"] == expected, event_id

    (day,) = found[DAY_EVENT]
    assert day["kind"] == "scatter" and day["start"] == pd.Timestamp("2025-01-08")

    (year,) = found[YEAR_EVENT]
    assert year["kind"] == "bar"
    assert year["start"] == pd.Timestamp("1997-01-01")
    assert year["end"] == pd.Timestamp("1998-01-01")  # covers 31 Dec 1997 to its end

    (war,) = found[WAR]
    assert war["kind"] == "bar"
    assert war["start"] == pd.Timestamp("2020-09-01")
    assert war["end"] == pd.Timestamp("2020-12-01")  # through the end of November 2020


def test_marks_in_a_lane_do_not_overlap(data, events):
    fig = build_timeline(events, data)
    rows: dict[float, list[tuple]] = {}
    for m in marks(fig):
        rows.setdefault(m["y"], []).append((m["start"], m.get("end", m["start"]), m["event_id"]))
    for row in rows.values():
        row.sort()
        for (_, end, a), (start, _, b) in zip(row, row[1:], strict=False):
            assert end < start, f"{a} and {b} overlap on one sub-row"


@pytest.mark.parametrize("lanes, column", [("actor", "actor_ids"), ("source", "source_ids")])
def test_event_in_each_of_its_lanes(data, events, lanes, column):
    fig = build_timeline(events, data, lanes=lanes)
    found = by_event(fig)
    assert set(found) == set(events.index)
    for event_id, ev in events.iterrows():
        assert len(found[event_id]) == max(1, len(ev[column])), event_id


def short(name: str) -> str:
    """A lane label as the chart shows it: cut to what fits beside the lanes (the hover has it all)."""
    return _shorten(name, _LANE_LABEL_CHARS)


def test_actor_lanes_are_named(data, events):
    fig = build_timeline(events, data, lanes="actor")
    names = data.actors["name"]
    for event_id, ev in events.iterrows():
        got = sorted(lane_label(fig, m["y"]) for m in by_event(fig)[event_id])
        want = sorted(short(names[a]) for a in ev["actor_ids"]) or ["(no actor named)"]
        assert got == want, event_id


def test_actor_lanes_by_first_date_and_unnamed_last(data, events):
    hostile = events.copy()
    hostile.at[DAY_EVENT, "actor_ids"] = []
    fig = build_timeline(hostile, data, lanes="actor")
    labels = list(fig.layout.yaxis.ticktext)
    assert labels[-1] == "(no actor named)"
    assert [lane_label(fig, m["y"]) for m in by_event(fig)[DAY_EVENT]] == ["(no actor named)"]
    names = data.actors["name"]
    first = hostile.explode("actor_ids").dropna(subset="actor_ids").groupby("actor_ids")["date_start"].min()
    short_names = names.map(short)
    firsts = [first.reindex(short_names[short_names == label].index).min() for label in labels[:-1]]
    assert firsts == sorted(firsts)


def test_source_lanes_name_outlets(data, events):
    fig = build_timeline(events, data, lanes="source")
    labels = list(fig.layout.yaxis.ticktext)
    assert len(labels) == len({s for ids in events["source_ids"] for s in ids})
    # who (the outlet, or the author or title the text gives when it names none) and when
    shown = [html.unescape(lane).split("…")[0].split(",")[0].strip() for lane in labels]
    for _, row in data.sources.iterrows():
        who = row["outlet"] if row["outlet"] != UNNAMED_OUTLET else (row["author"] or row["title"])
        assert any(who.startswith(lane) for lane in shown), who
    assert "Taras Kuzio, Oct 2021" in labels and "The Moscow Times, … 2024" in labels


def test_height_grows_with_lanes(data, events):
    small = build_timeline(events[events["event_type"] == "war"], data)
    large = build_timeline(events, data)
    assert large.layout.height > small.layout.height
    assert small.layout.dragmode == "zoom"


def test_unknown_lanes_rejected(data, events):
    with pytest.raises(ValueError, match="lanes must be one of"):
        build_timeline(events, data, lanes="place")


@pytest.mark.parametrize("lanes", LANES)
def test_no_events(data, events, lanes):
    fig = build_timeline(events.iloc[0:0], data, lanes=lanes)
    assert len(fig.data) == 0
    assert [a.text for a in fig.layout.annotations] == [EMPTY_MESSAGE]


# --- look ---------------------------------------------------------------------------


@pytest.mark.parametrize("lanes", LANES)
def test_colours_are_event_type_colours(data, events, lanes):
    for m in marks(build_timeline(events, data, lanes=lanes)):
        want = EVENT_COLORS[events.at[m["event_id"], "event_type"]]
        marker = m["trace"].marker
        assert rgb(marker.color) == rgb(want), m["event_id"]
        assert per_point(marker.line.color, m["i"]) == want, m["event_id"]


def test_one_legend_entry_per_type(data, events):
    fig = build_timeline(events, data)
    shown = [t.legendgroup for t in fig.data if t.showlegend is not False]
    assert sorted(shown) == sorted(set(events["event_type"]))
    for trace in fig.data:
        assert trace.name == trace.legendgroup.replace("_", " ")


def test_claims_are_hollow(data, events):
    found = by_event(build_timeline(events, data))
    claim, reported = found[CLAIM][0]["trace"], found[WAR][0]["trace"]
    fill = lambda trace: float(trace.marker.color.rsplit(",", 1)[1].rstrip(")"))  # noqa: E731
    assert fill(claim) < 0.5 <= fill(reported)
    assert claim.marker.pattern.shape and not reported.marker.pattern.shape


def test_hover_shows_title_date_and_outlets(data, events):
    found = by_event(build_timeline(events, data))
    cases = {DAY_EVENT: "8 Jan 2025", YEAR_EVENT: "1997", WAR: "Sep 2020 – Nov 2020"}
    for event_id, date in cases.items():
        m = found[event_id][0]
        text = m["trace"].hovertext[m["i"]]
        assert html.escape(events.at[event_id, "title"], quote=False) in text
        assert date in text
        for source_id in events.at[event_id, "source_ids"]:
            assert html.escape(source_labels(data.sources)[source_id], quote=False) in text
        assert "%{hovertext}" in m["trace"].hovertemplate


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


@pytest.mark.parametrize("lanes", LANES)
def test_data_text_is_escaped(data, events, lanes):
    hostile = events.copy()
    hostile.loc[DAY_EVENT, "title"] = SCRIPT
    fig = build_timeline(hostile, data, lanes=lanes)
    raw = fig.to_json()
    assert SCRIPT not in raw
    strings = list(_strings(json.loads(raw)))  # plotly's JSON also escapes "<" as \u003c
    assert not any(SCRIPT in s for s in strings)
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in s for s in strings)


# --- selection ----------------------------------------------------------------------


def _style(m):
    marker = m["trace"].marker
    size = per_point(marker.size if m["kind"] == "scatter" else m["trace"].width, m["i"])
    return (
        size,
        per_point(marker.line.color, m["i"]),
        per_point(marker.line.width, m["i"]),
        per_point(marker.opacity, m["i"]),
    )


@pytest.mark.parametrize("selected", [DAY_EVENT, YEAR_EVENT])
def test_selected_event_stands_out(data, events, selected):
    plain = {(m["event_id"], m["y"]): _style(m) for m in marks(build_timeline(events, data))}
    fig = build_timeline(events, data, selected=selected)
    for m in marks(fig):
        size, line, width, opacity = _style(m)
        base_size, _, base_width, _ = plain[(m["event_id"], m["y"])]
        if m["event_id"] == selected:
            assert (line, opacity) == ("black", 1.0)
            assert size > base_size and width > base_width
        else:
            assert line != "black" and opacity < 1.0
            assert (size, width) == (base_size, base_width)


def test_selected_in_every_lane(data, events):
    fig = build_timeline(events, data, lanes="actor", selected=WAR)
    chosen = [m for m in marks(fig) if m["event_id"] == WAR]
    assert len(chosen) == len(events.at[WAR, "actor_ids"])
    assert all(_style(m)[1] == "black" for m in chosen)


def test_unknown_selected_changes_nothing(data, events):
    plain = build_timeline(events, data)
    fig = build_timeline(events, data, selected="no-such-event")
    assert fig.to_json() == plain.to_json()


@pytest.mark.parametrize(
    "selection, expected",
    [
        (None, []),
        ({}, []),
        ({"selection": None}, []),
        ({"selection": {}}, []),
        ({"selection": {"points": []}}, []),
        ({"selection": {"points": [{"customdata": ["a", 1]}, {"customdata": ["b"]}]}}, ["a", "b"]),
        ({"selection": {"points": [{"customdata": "a"}, {"customdata": "b"}]}}, ["a", "b"]),
        (
            {"selection": {"points": [{"customdata": ["b"]}, {"customdata": "a"}, {"customdata": ["b"]}]}},
            ["b", "a"],
        ),
        (
            {"selection": {"points": [{"x": 1}, {"customdata": []}, {"customdata": None}, {"customdata": ["a"]}]}},
            ["a"],
        ),
        ({"selection": {"points": [{"customdata": ("a",)}], "box": [], "lasso": []}}, ["a"]),
    ],
)
def test_selected_ids(selection, expected):
    assert selected_ids(selection) == expected


def test_selected_ids_round_trip(data, events):
    fig = build_timeline(events, data, lanes="actor")
    points = [{"customdata": list(m["trace"].customdata[m["i"]])} for m in marks(fig)]
    assert sorted(selected_ids({"selection": {"points": points}})) == sorted(events.index)


# --- dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, precision, end, expected",
    [
        ("2025-01-08", "day", None, "8 Jan 2025"),
        ("2025-01-08", "day", pd.NaT, "8 Jan 2025"),
        ("2025-01-08", "day", "2025-01-08", "8 Jan 2025"),
        ("2023-11-01", "month", None, "Nov 2023"),
        ("2023-11-01", "month", "2023-11-30", "Nov 2023"),
        ("2021-01-01", "year", None, "2021"),
        ("2021-01-01", "year", "2021-12-31", "2021"),
        ("2020-09-01", "month", "2020-11-01", "Sep 2020 – Nov 2020"),
        ("2020-09-27", "day", "2020-11-10", "27 Sep 2020 – 10 Nov 2020"),
        ("2020-01-01", "year", "2021-01-01", "2020 – 2021"),
        (pd.Timestamp("2024-09-05"), "day", None, "5 Sep 2024"),
    ],
)
def test_format_date(start, precision, end, expected):
    assert format_date(pd.Timestamp(start), precision, end) == expected
    if not isinstance(start, pd.Timestamp):
        assert format_date(start, precision, end) == expected


def test_format_date_rejects_unknown_precision():
    with pytest.raises(ValueError, match="precision"):
        format_date(pd.Timestamp("2020-01-01"), "decade")


def test_links_are_lines_and_story_steps_are_numbered(data, events):
    pairs = list(data.relations[["from_event", "to_event"]].head(3).itertuples(index=False, name=None))
    steps = data.narratives[data.narratives["narrative_id"] == "armenia-turns-from-csto"].sort_values("step")
    shown = [e for e in steps["event_id"] if e in events.index]
    fig = build_timeline(events, data, links=pairs, steps=steps["event_id"].tolist())
    lines = next(t for t in fig.data if t.name == "links")
    drawn = [p for p in pairs if p[0] in events.index and p[1] in events.index]
    assert len(lines.x) == 3 * len(drawn) and lines.mode == "lines"
    numbers = next(t for t in fig.data if t.name == "steps")
    assert list(numbers.text) == [str(i + 1) for i, e in enumerate(steps["event_id"]) if e in events.index]
    assert len(numbers.x) == len(shown)
    assert selected_ids({"selection": {"points": [{"customdata": None}]}}) == []  # overlays carry no ids


def test_a_built_timeline_sends_the_same_figure_without_copying_it_again(data, events):
    """The timeline is cached and sent on every rerun: its dict is not copied each time, and it is the
    figure a plain go.Figure of the same content would send."""
    import plotly.graph_objects as go
    import plotly.io as pio

    fig = build_timeline(events, data, lanes="event_type")
    assert fig.to_dict()["data"] is fig.to_dict()["data"]  # not copied again
    plain = go.Figure(data=[t.to_plotly_json() for t in fig.data], layout=fig.layout.to_plotly_json())
    assert json.loads(pio.to_json(fig, validate=False)) == json.loads(pio.to_json(plain, validate=False))


def test_chart_json_is_the_figure_without_its_template_made_once_and_leaves_the_figure_alone(data, events):
    """What the chart component sends (dashboard/plotly_chart.py): the figure's JSON without the
    theme template, made once for a cached figure, never changing the figure every session shares."""
    import plotly.graph_objects as go
    import plotly.io as pio

    from geo.frozen_figure import chart_json

    fig = build_timeline(events, data, lanes="event_type")
    before = pio.to_json(fig, validate=False)
    assert "template" in fig.to_dict()["layout"]
    text = chart_json(fig)
    spec, whole = json.loads(text), json.loads(before)
    assert "template" not in spec["layout"]
    assert spec["data"] == whole["data"]
    assert spec["layout"] == {k: v for k, v in whole["layout"].items() if k != "template"}
    assert pio.to_json(fig, validate=False) == before  # the shared figure is unchanged
    assert chart_json(fig) is text  # made once
    plain = go.Figure(fig.to_dict())  # any other figure is serialized each time
    assert json.loads(chart_json(plain)) == spec and chart_json(plain) is not chart_json(plain)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Commonwealth of Independent States", "Commonwealth of … States"),
        ("Council of the European Union", "Council … European Union"),
        ("Ministry of Foreign Affairs of Azerbaijan", "Ministry … of Azerbaijan"),
        ("Iran", "Iran"),
    ],
)
def test_lane_labels_are_cut_between_words(name, shown):
    assert _shorten(name, _LANE_LABEL_CHARS) == shown


def test_every_lane_label_is_shown_and_told_apart(data, events):
    fig = build_timeline(events, data, lanes="actor")
    assert fig.layout.yaxis.ticklabeloverflow == "allow"  # the top lane's label too
    labels = list(fig.layout.yaxis.ticktext)
    assert len(labels) == len(set(labels)) and all(len(label) <= _LANE_LABEL_CHARS for label in labels)


def test_a_box_outline_goes_when_the_selection_changes(events, data):
    """Plotly keeps a box or lasso outline (draggable) while ``selectionrevision`` stays: it
    changes with the selected events, so "Clear selection" or a pick on the map removes it."""
    revisions = [
        build_timeline(events, data, selected=chosen).layout.selectionrevision
        for chosen in ((), (DAY_EVENT,), (DAY_EVENT, YEAR_EVENT), (YEAR_EVENT, DAY_EVENT), ())
    ]
    assert len(set(revisions[:3])) == 3
    assert revisions[2] == revisions[3] and revisions[0] == revisions[4]  # the same set, the same revision
