"""Follow a story: step through a curated narrative; the map, the timeline and the panel move together.

A step selects its event (the panel opens it, the map pans to it at the user's zoom or
closer), sets the timeline to a window around it, and goes in the URL (``story=…&step=…``),
so a link reopens the same step. Every step of the story stays numbered on the timeline.
"""

from __future__ import annotations

import streamlit as st

from dashboard import state
from dashboard.data import get_data
from geo.labels import md_escape
from geo.load import Dataset
from geo.map import MapView
from geo.stories import chain, chain_csv, narrative_csv, narratives, step_view

STORY_PICKER = "story_picker"
_APPLIED = "_story_link_applied"
_STEP_ZOOM = 7.0  # at least this close when a step brings its event into view


def go_to_step(story: str | None, step: int | None = 1) -> None:
    """Show ``step`` of ``story`` everywhere (or leave the story when ``story`` is None)."""
    data, _ = get_data()
    view = step_view(story, int(step or 1), data) if story else None
    if view is None:
        st.session_state[state.K_STORY] = st.session_state[state.K_STEP] = None
        return
    st.session_state[state.K_STORY], st.session_state[state.K_STEP] = story, view["step"]
    state.select([view["event_id"]])
    st.session_state[state.K_TIME] = view["window"]
    if view["lat"] is not None:
        current: MapView = st.session_state.get(state.K_MAP, MapView())
        zoom = max(current.zoom or 0.0, _STEP_ZOOM)
        state.move_map(MapView(view["lat"], view["lon"], zoom, current.base, current.hidden))


def _on_pick() -> None:
    go_to_step(st.session_state.get(STORY_PICKER), 1)


def story_steps(data) -> list[str]:
    """The event ids of the story being followed, in step order (empty when none)."""
    story = st.session_state.get(state.K_STORY)
    if not story:
        return []
    steps = data.narratives[data.narratives["narrative_id"] == story].sort_values("step")
    return steps["event_id"].tolist()


@st.cache_resource(show_spinner=False, hash_funcs={Dataset: id}, max_entries=512)
def linked_chain(data: Dataset, event_id: str) -> tuple[list[dict], bytes]:
    """An event's linked events and their CSV, once per event and dataset. Defined here, not in the
    page: a page script runs again on every rerun, and so would the decorator."""
    return chain(event_id, data), chain_csv(event_id, data)


@st.cache_resource(show_spinner=False, hash_funcs={Dataset: id})
def _story_labels(data: Dataset) -> dict[str, str]:
    """narrative id -> "title (N steps, dates)" for every narrative, once per dataset."""
    return {r.narrative_id: f"{r.title} ({r.n_steps} steps, {r.dates})" for r in narratives(data).itertuples()}


@st.cache_resource(show_spinner=False, hash_funcs={Dataset: id}, max_entries=32)
def _story_csv(data: Dataset, story: str) -> bytes:
    return narrative_csv(story, data)


def story_section() -> None:
    data, _ = get_data()
    labels = _story_labels(data)
    if not labels:
        return
    story = st.session_state.get(state.K_STORY)
    if story and not st.session_state.get(_APPLIED):
        # a link named only the story and step: show that step everywhere, once
        st.session_state[_APPLIED] = True
        linked = st.session_state.get(state.K_SELECTED)
        if not linked:
            go_to_step(story, st.session_state.get(state.K_STEP))
            st.rerun()
    with st.expander("Follow a story", expanded=bool(story), icon=":material/route:"):
        st.session_state[STORY_PICKER] = story
        st.selectbox(
            "Story",
            list(labels),
            format_func=labels.get,
            index=None,
            key=STORY_PICKER,
            on_change=_on_pick,
            placeholder="Choose a curated story through the events",
        )
        view = step_view(story, st.session_state.get(state.K_STEP) or 1, data) if story else None
        if view is None:
            st.caption("Curated paths through the events: each step is an event, with the articles' words.")
            return
        st.markdown(f"**Step {view['step']} of {view['n_steps']}** · {md_escape(view['date'])} · "
                    f"{md_escape(view['event_title'])}")  # fmt: skip
        st.markdown(md_escape(view["text"]))
        if view["order_note"]:
            st.caption(md_escape(f"Out of date order: {view['order_note']}"))
        for q in view["quotes"]:
            st.markdown(f"> “{md_escape(q['quote'])}”\n>\n> — {md_escape(q['outlet'])}")
        with st.container(horizontal=True, gap="small"):
            st.button("Previous", icon=":material/arrow_back:", disabled=view["prev_step"] is None,
                      on_click=go_to_step, args=(story, view["prev_step"]), key="story_prev")  # fmt: skip
            st.button("Next", icon=":material/arrow_forward:", disabled=view["next_step"] is None, type="primary",
                      on_click=go_to_step, args=(story, view["next_step"]), key="story_next")  # fmt: skip
            st.button("Leave the story", on_click=go_to_step, args=(None,), key="story_leave", type="tertiary")
            st.download_button(
                "Steps and quotes (CSV)",
                _story_csv(data, story),
                file_name=f"{story}.csv",
                mime="text/csv",
                icon=":material/download:",
                on_click="ignore",
                key="story_csv",
            )
