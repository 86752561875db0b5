"""The timelines' Plotly charts: a small Streamlit custom component (v2) around the vendored
plotly.js "basic" bundle, in place of ``st.plotly_chart``.

Why not ``st.plotly_chart``: on the first chart of a page it loads Streamlit's own Plotly
bundle, 4.7 MB with every trace type, and headless Chromium on this project's machine needs
≈ 1.1 s to evaluate it (the basic bundle, scatter and bar, which is all the timelines draw:
≈ 0.2 s); that was most of what kept the explore page from showing its map and timeline
sooner. It also reports selections but not zoom, which needed a second component.

What this one reports, as state, and only for the callbacks given: the points a click, a box
or a lasso selected, as ``st.plotly_chart`` gives them (``{"selection": {"points":
[{"customdata": ...}, ...], "seq": n}}``, read by :func:`geo.timeline.selected_ids` and
:func:`geo.timeline_strip.picked_dates`; ``seq`` counts the picks, so picking the same marks
again is a change too; a double-click that clears the selection reports no points), and the
visible x range (``{"range": [start, end]}``, ``None`` after a double-click resets the zoom).
As with ``st.plotly_chart``, a chart with a selection callback selects on click (shift adds).
The figure goes as Plotly's JSON text; the drawing is ``static/plotly/plotly_chart.js``, which
follows its container's width and, like ``st.plotly_chart``'s toolbar, adds a full-screen button
(to the chart's modebar; Escape leaves it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from dashboard.static_files import MODULE_STUB, static_url
from geo.frozen_figure import chart_json

_MODULE = "plotly/plotly_chart.js"
_PLOTLY = "vendor/plotly/plotly-basic.min.js"
_CSS = (Path(__file__).resolve().parent / "plotly_chart.css").read_text(encoding="utf-8")

_component = st.components.v2.component("south_caucasus_plotly", js=MODULE_STUB, css=_CSS, isolate_styles=False)


def plotly_chart(
    fig: go.Figure,
    *,
    key: str,
    config: dict[str, Any] | None = None,
    on_selection_change: Callable[[], None] | None = None,
    on_range_change: Callable[[], None] | None = None,
    align_to: str | None = None,
    label_room: str | None = None,
) -> Any:
    """Draw ``fig`` (full width, its own height); its selection and range are in
    ``st.session_state[key]`` as ``"selection"`` and ``"range"``. ``align_to``, the key of
    another chart over the same dates: this one's plotting area and dates are kept right over that
    one's. ``label_room``, the first mark's date (ISO) on a chart whose y labels sit inside the
    plot: where the labels are wider than the room the range leaves left of it (a phone), the
    range starts earlier, without reporting a zoom."""
    callbacks = {
        name: callback
        for name, callback in (("on_selection_change", on_selection_change), ("on_range_change", on_range_change))
        if callback is not None
    }
    return _component(
        key=key,
        data={
            "module": static_url(_MODULE),
            "plotly": static_url(_PLOTLY),
            "figure": chart_json(fig),
            "config": {"displaylogo": False, **(config or {})},
            # only what a callback hears is reported: a zoom or click on any other chart reruns nothing
            "report": {"selection": on_selection_change is not None, "range": on_range_change is not None},
            "align_to": f".st-key-{align_to}" if align_to else None,
            "label_room": label_room,
        },
        height=int(fig.layout.height or 450),
        **callbacks,
    )
