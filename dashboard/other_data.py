"""Other people's event data beside the curated set: imported datasets and a user's own upload.

Imported datasets (``python -m geo.ingest``) come from the shared columnar store
(:func:`geo.events_store.get_store`, one per process) and are queried for the map's view:
single events when few, grid cells with counts when many. An upload is read in memory for
this session only (:mod:`geo.uploads`) with its refused rows reported. Both are layers of
their own, drawn as squares and marked as not curated; neither mixes with the curated records.

:func:`imported_view` builds the one query of imported events that the map, the timeline and the
Data page's export all use (:mod:`geo.imported`: dates, search text, the actor filter mapped).
"""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

from dashboard import state
from dashboard.data import get_data
from geo.events_store import EventQuery, curated_actor_names, get_store
from geo.events_store import MapView as ImportedMapView
from geo.filters import FilterState
from geo.imported import ActorMapping, imported_query, map_actors, names_of
from geo.ingest.common import FORMATS
from geo.ingest.store import configured_store_dir
from geo.labels import md_escape
from geo.load import Dataset
from geo.map.others import DATASET_NAMES, cells_layer, others_layer
from geo.map.view import MapView
from geo.uploads import MAX_UPLOAD_MB, read_upload

K_IMPORTED = state.K_IMPORTED
K_UPLOAD, K_UPLOAD_FMT, K_SHOW_UPLOAD = "upload_file", "upload_format", "show_upload"
_UPLOADED = "_uploaded_events"  # (file id, events, rejects) of this session's upload


@st.cache_resource(show_spinner=False, ttl=60)
def imported_datasets() -> dict[str, int]:
    """dataset -> number of events in the store (checked once a minute per process)."""
    try:
        return get_store().counts_by_dataset(EventQuery())
    except Exception:  # no store, or an unreadable one: nothing imported to show
        return {}


def sidebar_other_data() -> None:
    datasets = imported_datasets()
    with st.sidebar.expander("Other event data", icon=":material/dataset:"):
        if datasets:
            st.multiselect(
                "Imported datasets (not curated)",
                list(datasets),
                format_func=lambda d: f"{DATASET_NAMES.get(d, d)} ({datasets[d]:,} events)",
                key=K_IMPORTED,
                help="Shown as squares in a layer of their own; many events are drawn as cells with counts.",
            )
        else:
            st.caption("No dataset imported. `python -m geo.ingest FILE --format acled` adds one.")
        st.selectbox("Format of your file", FORMATS, format_func=lambda f: DATASET_NAMES.get(f, f), key=K_UPLOAD_FMT)
        st.file_uploader(
            f"Add your own events (up to {MAX_UPLOAD_MB} MB; this session only, never stored)",
            type=["csv", "tsv", "txt", "json"],
            key=K_UPLOAD,
            max_upload_size=MAX_UPLOAD_MB,
        )
        events, rejects = uploaded()
        if events or rejects:
            st.toggle(f"Show my {len(events)} uploaded events", value=True, key=K_SHOW_UPLOAD)
        if rejects:
            with st.expander(f"{len(rejects)} rows of your file were refused"):
                st.markdown("\n".join(f"- {md_escape(str(r))}" for r in rejects[:50]))
                if len(rejects) > 50:
                    st.caption(f"…and {len(rejects) - 50} more.")


def uploaded() -> tuple[list[dict[str, Any]], list[Any]]:
    """This session's uploaded events and refused rows, read once per file."""
    file = st.session_state.get(K_UPLOAD)
    if file is None:
        st.session_state.pop(_UPLOADED, None)
        return [], []
    fmt = st.session_state.get(K_UPLOAD_FMT) or FORMATS[0]
    cached = st.session_state.get(_UPLOADED)
    if not cached or cached[0] != (file.file_id, fmt):
        events, rejects = read_upload(file.name, file.getvalue(), fmt)
        cached = ((file.file_id, fmt), events, rejects)
        st.session_state[_UPLOADED] = cached
    return cached[1], cached[2]


def _bbox(view: MapView, width_px: int = 900, height_px: int = 560) -> tuple[float, float, float, float] | None:
    """About what the map shows at ``view`` (Web Mercator: 256 px per 360° at zoom 0)."""
    if not view.positioned:
        return None
    deg = 360 / (256 * 2**view.zoom)
    half_w = deg * width_px / 2
    half_h = deg * height_px / 2 * math.cos(math.radians(view.lat))
    return (view.lon - half_w, max(view.lat - half_h, -85), view.lon + half_w, min(view.lat + half_h, 85))


@st.cache_resource(show_spinner=False, ttl=60, max_entries=256, hash_funcs={Dataset: id})
def _actor_mapping(data: Dataset, store_dir: str, chosen: tuple[str, ...], datasets: tuple[str, ...]) -> ActorMapping:
    """The chosen curated actors' imported names, per dataset (checked once a minute per process)."""
    return map_actors(get_store(store_dir), chosen, curated_actor_names(data.actors), datasets)


@st.cache_resource(show_spinner=False, ttl=60, max_entries=256, hash_funcs={EventQuery: repr})
def _map_view(
    store_dir: str, query: EventQuery, bbox: tuple[float, float, float, float], zoom: float
) -> ImportedMapView:
    """The imported events (or cells) for one query and map view, shared read-only by every session:
    visitors opening the same link cost one query a minute, not one each."""
    return get_store(store_dir).map_view(query, bbox, zoom)


def chosen_imported() -> tuple[str, ...]:
    """The imported datasets chosen in the sidebar that the store holds."""
    return tuple(d for d in st.session_state.get(K_IMPORTED, ()) if d in imported_datasets())


def imported_view(filters: FilterState) -> tuple[tuple[str, ...], EventQuery | None, str]:
    """The chosen datasets, the one query of their events that the map, the timeline and the export
    use (None when none is chosen), and what the actor filter maps to in them (or "")."""
    chosen = chosen_imported()
    if not chosen:
        return chosen, None, ""
    data, _ = get_data()
    mapping = _actor_mapping(data, configured_store_dir(), filters.actors, chosen) if filters.actors else None
    sentence = mapping.sentence(data.actors["name"].to_dict()) if mapping else ""
    return chosen, imported_query(chosen, filters, mapping), sentence


def other_layers(filters: FilterState) -> tuple[list[dict[str, Any]], str]:
    """The layers of other people's data for the map, and a sentence about them (or "")."""
    layers: list[dict[str, Any]] = []
    notes: list[str] = []
    chosen, query, actor_note = imported_view(filters)
    if query is not None:
        view: MapView = st.session_state.get(state.K_MAP, MapView())
        bbox = _bbox(view) or (38.0, 36.0, 52.0, 44.0)
        found = _map_view(configured_store_dir(), query, tuple(round(v, 4) for v in bbox), float(view.zoom or 6))
        names = names_of(chosen)
        if found.mode == "cells":
            layers.append(cells_layer("imported", names, found.cells, found.message))
            notes.append(found.message)
        else:
            layers.append(others_layer("imported", names, found.events, origin=f"Imported: {names}"))
            notes.append(f"{found.total:,} imported events ({names}) in this view, drawn as squares")
        if actor_note:
            notes.append(actor_note)
    events, _ = uploaded()
    if events and st.session_state.get(K_SHOW_UPLOAD, True):
        layers.append(others_layer("upload", "your upload", events, origin="Uploaded by you"))
        notes.append(f"{len(events):,} events from your upload, drawn as pink squares")
    return layers, "; ".join(notes)
