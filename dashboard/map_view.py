"""The map section of the explore page: the live map in a fragment, and what it reports back.

A pan, a zoom or a layer switch reruns only this fragment (to put the view in the URL);
a click on an event selects it and reruns the whole page (the panel and the timeline
follow). Only known event ids are selectable from the map.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, NamedTuple

import streamlit as st

from dashboard import state
from dashboard.common import filtered_events
from dashboard.data import get_data
from dashboard.live_map import live_map
from dashboard.other_data import other_layers
from geo.filters import FilterState
from geo.labels import md_escape
from geo.load import Dataset
from geo.map import MapView, event_records, extent_bounds, legend_html, reference_payload, unplaced_events
from geo.map.view import BASES, EXTENTS

MAP_KEY = "map"
MAP_HEIGHT = 560
_BASE_SENT = "_map_base_sent"  # the hash of the base layers this session's browser has
_RERUN_APP = "_map_rerun_app"


class MapResources(NamedTuple):
    """What the map needs of a dataset, built once per process and dataset."""

    data: Dataset  # kept so that the dataset's id, the cache key, cannot be reused while this lives
    base_hash: str
    base_json: str  # the reference layers as JSON text, sent to a browser tab once
    records: dict[str, dict[str, Any]]  # event_id -> the event's marker and popup
    bounds: dict[str, list[list[float]]]  # extent -> the bounds "Fit the region" / "Fit all events" fit
    unplaced: frozenset[str]  # the events with no place, on the timeline only


def unplaced_among(ids, data: Dataset) -> list[str]:
    """Those of ``ids`` (in their order) that have no place on the map: a set lookup per id, not
    a geometry test of the filtered frame on every rerun."""
    unplaced = map_resources(data).unplaced
    return [e for e in ids if e in unplaced]


@st.cache_resource(show_spinner=False, hash_funcs={Dataset: id})
def map_resources(data: Dataset) -> MapResources:
    base = reference_payload(data.places)
    return MapResources(
        data,
        base["hash"],
        json.dumps(base, separators=(",", ":")),
        event_records(data),
        {extent: extent_bounds(data.events, extent) for extent in EXTENTS},
        frozenset(unplaced_events(data.events)),
    )


@cache
def _legend(types: tuple[str, ...]) -> str:
    return legend_html(list(types))


def _component_state() -> dict[str, Any]:
    return dict(st.session_state.get(MAP_KEY) or {})


def _on_view() -> None:
    view = _component_state().get("view") or {}
    try:
        hidden = tuple(str(h) for h in view.get("hidden", ()))
        base = view.get("base") if view.get("base") in BASES else BASES[0]
        st.session_state[state.K_MAP] = MapView(
            lat=float(view["lat"]), lon=float(view["lon"]), zoom=float(view["zoom"]), base=base, hidden=hidden
        )
    except (KeyError, TypeError, ValueError):
        return  # not a view this app sent: ignore


def _on_click() -> None:
    clicked = _component_state().get("clicked") or {}
    data, _ = get_data()
    event_id = clicked.get("id") if isinstance(clicked, dict) else None
    if not isinstance(event_id, str) or event_id not in data.events.index:
        return
    if clicked.get("additive"):
        state.toggle_event(event_id)
    else:
        state.select_event(event_id)
    st.session_state[_RERUN_APP] = True


def _on_need_base() -> None:
    st.session_state[_BASE_SENT] = None


@st.fragment
def map_section(
    filters: FilterState, selected: tuple[str, ...], fade: tuple[tuple[str, float], ...] | None = None
) -> None:
    """The live map of the events ``filters`` keep, ``selected`` highlighted; with ``fade`` (a
    playback window's event_id -> opacity) only those events, faded in and out."""
    if st.session_state.pop(_RERUN_APP, False):
        st.rerun()  # a click selected an event: the panel and the timeline follow
    data, _ = get_data()
    resources = map_resources(data)
    records = resources.records
    events = filtered_events(filters)
    if fade is None:
        shown = [records[e] for e in events.index if e in records]
    else:
        shown = [records[e] | {"fade": f} for e, f in fade if e in records]
    types = tuple(sorted(set(events["event_type"])))
    view: MapView = st.session_state.get(state.K_MAP, MapView())
    extent = st.session_state.get(state.K_EXTENT, "region")
    request = view.for_browser(
        st.session_state.get(state.K_VIEW_SEQ, 1), resources.bounds.get(extent, resources.bounds["region"])
    )
    others, note = other_layers(filters)
    send_base = st.session_state.get(_BASE_SENT) != resources.base_hash
    st.session_state[_BASE_SENT] = resources.base_hash
    live_map(
        key=MAP_KEY,
        base_hash=resources.base_hash,
        base_json=resources.base_json,
        send_base=send_base,
        events=shown,
        legend=_legend(types),
        selected=[e for e in selected if e in records],
        focus=st.session_state.get(state.K_FOCUS),
        view=request,
        height=MAP_HEIGHT,
        others=others,
        on_view_change=_on_view,
        on_clicked_change=_on_click,
        on_need_base_change=_on_need_base,
    )
    if note:
        st.caption(md_escape(note) + ". Not curated: each popup says where the event comes from.")
    state.write_url(state.current_view(data))
