"""The map's legend: what colours, fills, sizes and shapes mean, and which layers are which.

Rendered from ``geo/templates/legend.html.j2`` (autoescaped). It lists only the event
types present in the filtered set, so it changes with the filters; the browser keeps
it folded on small maps and fills in, live, how many shown events are off the view.
"""

from __future__ import annotations

import pandas as pd

from geo.labels import type_label
from geo.map.reference import SYUNIK_LABEL
from geo.style import EVENT_COLORS, LAYER_COLORS, PRECISION_FADE, PRECISION_RADIUS, STATUS_STYLE
from geo.templating import render

_GREY = "#555555"
_STATUS_WORDS = {"reported": "reported", "claimed": "claim", "disputed": "disputed"}


def legend_html(event_types: pd.Series | list[str]) -> str:
    """The legend for a map showing events of ``event_types``."""
    present = set(event_types)
    types = [(EVENT_COLORS[t], type_label(t)) for t in EVENT_COLORS if t in present]
    statuses = [
        (_STATUS_WORDS[s], float(style["fill_opacity"]), style["dash_array"] or "") for s, style in STATUS_STYLE.items()
    ]
    precisions = [
        (p, r / 2, 0.85 * PRECISION_FADE[p], 0.5 + 0.5 * PRECISION_FADE[p]) for p, r in PRECISION_RADIUS.items()
    ]
    areas = [
        (LAYER_COLORS["syunik"], SYUNIK_LABEL),
        (LAYER_COLORS["nakhchivan"], "Nakhchivan"),
        (LAYER_COLORS["nagorno-karabakh"], "Nagorno-Karabakh"),
        (LAYER_COLORS["euma"], "EUMA area"),
    ]
    lines = [
        (LAYER_COLORS["lachin-corridor"], "", "Lachin corridor"),
        (LAYER_COLORS["border"], "", "Armenia–Azerbaijan border"),
        (LAYER_COLORS["zangezur-corridor"], "5 3", "Zangezur route"),
    ]
    return render(
        "legend.html.j2",
        types=types,
        statuses=statuses,
        precisions=precisions,
        areas=areas,
        lines=lines,
        grey=_GREY,
        euma=LAYER_COLORS["euma"],
    )
