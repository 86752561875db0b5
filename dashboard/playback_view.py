"""Playback: play a moving time window over the timeline that drives the map.

The window (first day and length) lives in the URL (``play=2022-09-01,90``), so pausing
leaves a link to that moment. While playing, a fragment reruns the page every few seconds
(its ``run_every``), moving the window a quarter of its length each time and jumping over
stretches where no event arrives; events fade in as the window reaches them and out as it
leaves them (:mod:`geo.playback`). Play starts at the timeline's zoomed range, if any.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import state
from geo.playback import SPEEDS, WINDOWS, fades, first_window, next_window

K_WINDOW, K_SPEED = "play_window", "play_speed"


def _start(events: pd.DataFrame) -> None:
    window = st.session_state.get(state.K_PLAY)
    if window is not None and next_window(events, window[0], window[1]) is None:
        window = None  # the last window (a playback that ended): Play starts again from the beginning
    if window is None:
        days = int(st.session_state.get(K_WINDOW, 90))
        window = (first_window(events, days, st.session_state.get(state.K_TIME)) or dt.date.today(), days)
    st.session_state[state.K_PLAY] = (window[0], int(st.session_state.get(K_WINDOW, window[1])))
    st.session_state[state.K_PLAYING] = True


def _pause() -> None:
    st.session_state[state.K_PLAYING] = False


def _stop() -> None:
    st.session_state[state.K_PLAY] = None
    st.session_state[state.K_PLAYING] = False


def window_fades(events: pd.DataFrame) -> pd.Series | None:
    """event_id -> opacity for the events in the playback window; None when there is no window."""
    window = st.session_state.get(state.K_PLAY)
    return fades(events, *window) if window else None


def playback_controls(events: pd.DataFrame) -> None:
    """Window length, speed, play/pause/stop; while playing, a fragment moves the window."""
    window = st.session_state.get(state.K_PLAY)
    playing = bool(st.session_state.get(state.K_PLAYING)) and window is not None
    # the last window (no event starts after it): Play starts again from the beginning, and says so
    at_end = window is not None and not playing and next_window(events, window[0], window[1]) is None
    with st.container(horizontal=True, gap="small", vertical_alignment="bottom"):
        if K_WINDOW not in st.session_state:
            st.session_state[K_WINDOW] = window[1] if window and window[1] in WINDOWS else 90
        st.session_state.setdefault(K_SPEED, "normal")
        st.selectbox("Window", list(WINDOWS), format_func=WINDOWS.get, key=K_WINDOW, width=130)
        st.segmented_control("Speed", list(SPEEDS), key=K_SPEED, width="content")
        if playing:
            st.button("Pause", icon=":material/pause:", on_click=_pause, key="play_pause")
        else:
            st.button(
                "Play from the start" if at_end else "Play",
                icon=":material/replay:" if at_end else ":material/play_arrow:",
                on_click=_start,
                args=(events,),
                key="play_start",
            )
        if window:
            st.button("Stop", icon=":material/stop:", on_click=_stop, key="play_stop", type="tertiary")
    if window:
        end = window[0] + dt.timedelta(days=window[1])
        shown = len(window_fades(events))
        st.caption(
            f"{'Playing' if playing else 'Paused'}: {window[0]:%d %b %Y} – {end:%d %b %Y}, "
            f"{shown} of {len(events)} filtered events in the window"
            + ("" if playing else " (the link holds this moment)")
            + (". The last window: no event starts after it." if at_end else "")
        )
    if playing:
        _ticker(SPEEDS.get(st.session_state.get(K_SPEED) or "normal", 1.5), events)


def _ticker(seconds: float, events: pd.DataFrame) -> None:
    @st.fragment(run_every=seconds)
    def tick() -> None:
        if st.session_state.pop("_play_ticked", False):
            window = st.session_state.get(state.K_PLAY)
            playing = window and st.session_state.get(state.K_PLAYING)
            nxt = next_window(events, window[0], window[1]) if playing else None
            if nxt is None:
                st.session_state[state.K_PLAYING] = False
            else:
                st.session_state[state.K_PLAY] = (nxt, window[1])
            st.rerun()  # the whole page: the map and the timeline follow the window
        st.session_state["_play_ticked"] = True

    tick()
