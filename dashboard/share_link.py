"""The "Copy link to this view" box: the page's own address, read in the browser when shown.

The URL holds the whole view: the filters through widgets bound to it, and the map's centre,
zoom and layers and the timeline's range, which their fragments write when the user moves them.
A fragment's rerun does not redraw this box (it sits outside both fragments), so a link built
on the server at the last full run missed a later zoom, pan or layer switch. The browser's
address never does: the box (``static/share/share_link.js``, loaded once per tab like the map's
and the charts' scripts) reads ``window.location.href`` each time it comes into view, gets focus
or is copied. A v2 component runs in the page itself, so that is the app's address.
"""

from __future__ import annotations

import streamlit as st

from dashboard.static_files import MODULE_STUB, static_url

_component = st.components.v2.component("south_caucasus_share_link", js=MODULE_STUB)


def share_link_box() -> None:
    """The address of this view, with a Copy button. No key: it reports nothing, and a keyed v2
    component costs every later widget of the run a presenter call on its session state."""
    _component(data={"module": static_url("share/share_link.js")}, height=48)
