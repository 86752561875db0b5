"""Method, attribution and the disputed-borders statement."""

from __future__ import annotations

import streamlit as st

from geo.load import DATA_DIR
from geo.panel import event_types_table
from geo.schema import PLACE_ROLES, STATUSES

METHOD = """
### What this is
A map and timeline of who did what, where and when along the Armenia–Azerbaijan border, in
Syunik (which Baku calls Zangezur), Nakhchivan, the Lachin corridor and the area patrolled by
the EU Mission in Armenia, **as five articles report it**. It is a record of reporting, not
of facts: each event rests on verbatim quotes, and each quote names its outlet and stance.

### Method
- Five articles (partisan and independent outlets, 2021–2025) were read in full. Every event
  they date, or let us date, was recorded once, with one citation per article that reports it.
- Quotes are copied verbatim; a test checks each against the article's text.
- Dates carry their real precision (day, month or year). When an article leaves out a year or
  a day, the event's note says how it was inferred; a month or year is drawn as a span, never
  as a falsely precise point.
- **Status.** An assertion made by a single partisan outlet or an unnamed source is shown as a
  *claim* (hollow, dashed marks), with who makes it.
- **Places.** An event is drawn at its first place, and its place role says how that place
  relates to it (see *Status rules*). When the article does not say where something
  happened (a statement, a decision), it is placed at the place it concerns, or where it
  most likely happened, and the note says so. Regions in the filter (Syunik, Nakhchivan, the Lachin corridor, the EU
  mission's area) are decided from geometry, not names.
- **Map.** A plain base drawn from the country polygons is always underneath, so the map
  reads without tiles; Leaflet and its plugins are served by the app itself.
"""

DISPUTED = """
### Borders and names are disputed
Borders and place names in this region are contested. The map draws Natural Earth's lines
and makes no claim about where any border is or should be; none of them is a demarcated or
agreed border. Nagorno-Karabakh lies inside Azerbaijan's internationally recognised border;
its polygon approximates the former autonomous oblast and is drawn for reference. The Lachin
corridor and the proposed Zangezur route are schematic lines between towns. Every place
carries every name in use (Khankendi/Stepanakert, Shusha/Shushi, Lachin/Berdzor,
Syunik/Zangezur, Nakhchivan/Nakhichevan/Naxçıvan, Nagorno-Karabakh/Artsakh); no spelling
implies a position.
"""


# --- the page ---------------------------------------------------------------------

st.title("About and method")
st.markdown(METHOD)
st.markdown(DISPUTED)
st.markdown("### Event types")
st.dataframe(event_types_table(), hide_index=True, key="event_types_table")
st.markdown("### Status rules")
st.markdown("\n".join(f"- **{k}**: {v}" for k, v in STATUSES.items()))
st.markdown(
    "A claim's title says “(claim)”, and only a claim's; a claim comes from one article or names "
    "who makes it. Events cited with the same sentence carry the same status. Each event's place has a role:"
)
st.markdown("\n".join(f"- **{k}**: {v}" for k, v in PLACE_ROLES.items()))
st.markdown("### Attribution")
st.markdown((DATA_DIR / "ATTRIBUTION.md").read_text(encoding="utf-8").split("\n", 1)[1])
