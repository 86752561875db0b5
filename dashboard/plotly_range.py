"""Report the visible date range of a Plotly chart back to Python (a tiny v2 component).

``st.plotly_chart`` returns selections but not zoom: Streamlit has no relayout event.
This component renders nothing; it finds the chart whose widget key it is given (the
``st-key-<key>`` container), listens to Plotly's ``plotly_relayout`` and reports the
x range as ``range`` state (``None`` after a double-click resets the zoom), so the
range can go into the URL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

_JS = """
export default function ({ data, parentElement, setStateValue }) {
  const holder = parentElement.host || parentElement;
  const state = (holder.__rangeWatch = holder.__rangeWatch || { gd: null, timer: null });
  const attach = () => {
    const gd = document.querySelector(`.st-key-${data.chart} .js-plotly-plot`);
    if (!gd || gd === state.gd || typeof gd.on !== "function") return;
    state.gd = gd;
    gd.on("plotly_relayout", (e) => {
      if (e["xaxis.autorange"]) setStateValue("range", null);
      else if (e["xaxis.range[0]"] !== undefined)
        setStateValue("range", [String(e["xaxis.range[0]"]), String(e["xaxis.range[1]"])]);
      else if (Array.isArray(e["xaxis.range"])) setStateValue("range", e["xaxis.range"].map(String));
    });
  };
  attach();
  if (!state.timer) state.timer = setInterval(attach, 400);  // the chart is re-created on a page return
  return () => { clearInterval(state.timer); state.timer = null; state.gd = null; };
}
"""

_component = st.components.v2.component("south_caucasus_plotly_range", js=_JS, isolate_styles=False)


def plotly_range(chart_key: str, *, key: str, on_change: Callable[[], None]) -> Any:
    """Watch the chart with widget key ``chart_key``; its range is ``st.session_state[key]["range"]``."""
    return _component(key=key, data={"chart": chart_key}, height=0, on_range_change=on_change)
