"""A Plotly figure that is built once and then only read, for figures cached and sent many times.

``go.Figure.to_dict`` deep-copies the whole figure, its theme template included, and walks it
again for base64 conversion every time it is called; Streamlit calls it on every rerun that
draws the chart. A :class:`FrozenFigure` takes that snapshot once, when it is made. It must
not be changed afterwards (a change would not reach ``to_dict``): the timeline's figures are
built complete and then only read, by the tests and by the cache that every session shares.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go


class FrozenFigure(go.Figure):
    """A ``go.Figure`` (same arguments) whose ``to_dict`` is computed once, at construction."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._snapshot = super().to_dict()

    def to_dict(self) -> dict[str, Any]:
        return self._snapshot
