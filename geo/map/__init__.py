"""The live map's content, built without Streamlit: what the browser's Leaflet map draws.

* :mod:`geo.map.reference`: the plain base and the reference layers (borders,
  provinces, corridors, the EU mission), built once per process;
* :mod:`geo.map.events`: the event symbols, popups and tooltips, one record per event;
* :mod:`geo.map.legend`: the legend, rendered from a template;
* :mod:`geo.map.view`: the map's view (centre, zoom, base layer, hidden layers) and its
  place in the URL.

The Leaflet side (marker clustering, the layer control, keeping the view across
reruns) is ``static/map/live_map.js``, mounted by ``dashboard/live_map.py``.
"""

from geo.map.events import event_id_from_text, event_records, unplaced_events
from geo.map.legend import legend_html
from geo.map.reference import reference_payload
from geo.map.view import EXTENTS, REGION_VIEW, MapView, extent_bounds

__all__ = [
    "EXTENTS",
    "REGION_VIEW",
    "MapView",
    "event_id_from_text",
    "event_records",
    "extent_bounds",
    "legend_html",
    "reference_payload",
    "unplaced_events",
]
