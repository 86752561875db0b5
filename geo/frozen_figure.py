"""A Plotly figure that is built once and then only read, for figures cached and sent many times.

``go.Figure.to_dict`` deep-copies the whole figure, its theme template included, and walks it
again for base64 conversion every time it is called. The figure's own data and layout are
already private copies (the constructor made them), so a figure that is never changed can hand
them out as they are. A :class:`FrozenFigure` does, so it must be treated as read-only once
made: a change through ``fig.layout`` or ``fig.data`` writes through to what every session
sends. Readers of ``to_dict`` must not change it either; the one write on the way to the browser
is ``plotly.io.to_json`` dropping each trace's ``uid``, and these figures set none. The
timelines' figures (lanes, count strip, imported) are built complete and then only read, by the
tests and by the cache that every session shares, and hold plain lists, no numpy arrays, so there
is nothing to convert to base64; what the chart component sends of one, :func:`chart_json`, is
made once per figure.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import plotly.io as pio


class FrozenFigure(go.Figure):
    """A ``go.Figure`` (same arguments) whose ``to_dict`` is its own data and layout, uncopied."""

    _chart_json: str | None = None  # chart_json's text, made once

    def to_dict(self) -> dict[str, Any]:
        return {"data": self._data, "layout": self._layout}


def chart_json(fig: go.Figure) -> str:
    """Plotly's JSON text of ``fig`` without its theme template, which the chart component replaces
    with the page's look (dashboard/plotly_chart.py). Made once for a :class:`FrozenFigure`, which
    never changes: a cached figure sent on every rerun is serialized only the first time."""
    if isinstance(fig, FrozenFigure) and fig._chart_json is not None:
        return fig._chart_json
    spec = fig.to_dict()
    layout = {name: value for name, value in spec.get("layout", {}).items() if name != "template"}
    text = pio.to_json({"data": spec.get("data", []), "layout": layout}, validate=False)
    if isinstance(fig, FrozenFigure):
        fig._chart_json = text
    return text
