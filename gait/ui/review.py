"""The review panel: step through the detected landings and push-offs on frames zoomed on the feet, move,
delete or add one, and see every number follow at once (re-scored from the cached pose, no pose re-run)."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pandas as pd
import streamlit as st

from gait.core.errors import GaitError
from gait.core.labels import LabelledEvent
from gait.core.types import GaitEvent
from gait.ui.common import remember
from gait.ui.state import Shown
from gait.workflows.analysis import review_line
from gait.workflows.review import (
    KIND_WORDS,
    KINDS,
    add_event,
    as_labels,
    changes,
    delete_event,
    edits_json,
    move_event,
    review_frames,
    stride_contact_ms,
)

WINDOW_FRAMES = 15  # frames shown either side of the event while scrubbing


def _events(shown: Shown) -> list[GaitEvent]:
    return [e for e in shown.side.events if e.kind in KINDS]


def event_label(i: int, e: GaitEvent) -> str:
    """How an event is named in the list: number, foot, kind, frame, time and whether a person placed it."""
    who = "edited" if e.source == "edited" else "detected" + (" (sole)" if e.timed_by == "sole" else "")
    return f"#{i + 1} · {e.foot} {KIND_WORDS[e.kind]} · frame {e.frame} · {e.time_s:.2f} s · {who}"


def _frames(shown: Shown, centre: int) -> dict[int, bytes]:
    """The frames around ``centre``, decoded once per window and kept."""
    n = shown.side.video.n_frames
    first = max(0, centre - WINDOW_FRAMES)
    last = min(n - 1, centre + WINDOW_FRAMES)

    def make() -> dict[int, bytes]:
        return review_frames(shown.side, shown.clean, first, last)

    key = ("review", shown.clip.data_hash, first, last, tuple((e.kind, e.foot, e.frame) for e in shown.side.events))
    return cast(dict[int, bytes], remember(key, make, keep=24))


def _apply(shown: Shown, edits: tuple[LabelledEvent, ...] | None, select_frame: int | None = None) -> None:
    """Re-score with ``edits`` and rerun the whole page so every number follows."""
    if shown.drawn is None:
        shown.drawn = shown.report  # the pictures keep the old events until redrawn on request
    shown.apply(edits)
    st.session_state.pop("review_pick", None)
    st.session_state.pop("review_frame", None)
    if select_frame is not None:
        events = _events(shown)
        near = min(range(len(events)), key=lambda i: abs(events[i].frame - select_frame)) if events else 0
        st.session_state["review_i"] = near
    st.rerun()


def review_panel(shown: Shown) -> None:
    """The review section: the step-through panel, then what the latest edit changed (before → after)."""
    st.subheader("Review the events")
    st.caption(
        "gait found each foot's landings (contacts) and push-offs (toe-offs). Step through them on the video's "
        "frames; move, delete or add one, and every number, curve and cue is measured again at once."
    )
    line = review_line(shown.report)
    if line:
        st.caption(line)
    with st.container(border=True):
        _panel(shown)
    if shown.last_change is not None:
        before, after = shown.last_change
        diff = changes(before, after)
        with st.expander(f"What your last edit changed ({len(diff)} numbers and cues)", expanded=True):
            if diff:
                st.dataframe(
                    pd.DataFrame([{"Number": c.what, "Before": c.before, "After": c.after} for c in diff]),
                    hide_index=True,
                    width="stretch",
                    height=min(38 + 35 * len(diff), 250),
                )
            else:
                st.caption("No number or cue changed visibly.")


@st.fragment
def _panel(shown: Shown) -> None:
    """Step through and edit (a fragment: scrubbing reruns only this part of the page)."""
    events = _events(shown)
    if not events:
        st.caption("No landings or push-offs were found to review.")
        return
    i = min(int(st.session_state.get("review_i", 0)), len(events) - 1)
    b1, b2, _ = st.columns([1, 1, 3])
    if b1.button("◀ Previous event", disabled=i == 0):
        i -= 1
    if b2.button("Next event ▶", disabled=i == len(events) - 1):
        i += 1
    labels = [event_label(k, e) for k, e in enumerate(events)]
    if st.session_state.get("review_pick") not in labels or st.session_state.get("review_i") != i:
        st.session_state["review_pick"] = labels[i]
    i = labels.index(st.selectbox("Event", labels, key="review_pick"))
    if st.session_state.get("review_i") != i:
        st.session_state["review_frame"] = events[i].frame
    st.session_state["review_i"] = i
    e = events[i]
    _scrub_and_edit(shown, events, i, e)


def _scrub_and_edit(shown: Shown, events: list[GaitEvent], i: int, e: GaitEvent) -> None:
    """The frame viewer (±1 frame, slider) beside the event's details and the edit buttons."""
    n = shown.side.video.n_frames
    lo, hi = max(0, e.frame - WINDOW_FRAMES), min(n - 1, e.frame + WINDOW_FRAMES)
    frame = int(st.session_state.get("review_frame", e.frame))
    frame = min(max(frame, lo), hi)
    left, right = st.columns([3, 2])
    with left:
        c1, c2, c3 = st.columns([1, 3, 1])
        if c1.button("− 1 frame", disabled=frame <= lo):
            frame -= 1
        if c3.button("+ 1 frame", disabled=frame >= hi):
            frame += 1
        st.session_state["review_frame"] = frame
        frame = c2.slider("Frame shown", lo, hi, key="review_frame", label_visibility="collapsed")
        try:
            image = _frames(shown, e.frame).get(frame)
        except GaitError as exc:
            st.error(str(exc))
            image = None
        here = [x for x in events if x.frame == frame]
        caption = f"frame {frame} ({shown.clean.pose.times_s[min(frame, len(shown.clean.pose.times_s) - 1)]:.2f} s)"
        caption += "".join(f" · {x.foot} {KIND_WORDS[x.kind]}" for x in here)
        if image is not None:
            st.image(image, caption=caption, width=420)
    with right:
        _details(shown, e)
        _edit_buttons(shown, i, e, frame)


def _details(shown: Shown, e: GaitEvent) -> None:
    """The selected event in words, and its step's contact time."""
    st.markdown(f"**{e.foot.capitalize()} foot, {KIND_WORDS[e.kind]}**")
    who = "edited by you" if e.source == "edited" else "as detected"
    if e.source != "edited" and e.timed_by == "sole":
        who += ", timed from the sole's edge in the picture (the first frame the sole is on the belt)"
    st.markdown(f"Frame **{e.frame}** · time **{e.time_s:.2f} s** · {who}")
    gct = stride_contact_ms(shown.side, e)
    if gct is not None:
        st.markdown(f"Contact time of this step: **{gct:.0f} ms**")


def _edit_buttons(shown: Shown, i: int, e: GaitEvent, frame: int) -> None:
    """Move by ±frames, move to the frame shown, delete, add, undo all; the reviewer's name; export."""
    n = shown.side.video.n_frames
    labels = shown.edits if shown.edits is not None else as_labels(tuple(_events(shown)))
    labels = tuple(x for x in labels if x.kind in KINDS)
    try:
        by = int(st.number_input("Move by (frames, − earlier, + later)", -30, 30, value=3, step=1, key="move_by"))
        m1, m2 = st.columns(2)
        if m1.button(f"Move by {by:+d}", disabled=by == 0):
            _apply(shown, move_event(labels, i, by, n), e.frame + by)
        if m2.button(f"Move to frame {frame}", disabled=frame == e.frame):
            _apply(shown, move_event(labels, i, frame - e.frame, n), frame)
        if st.button("Delete this event"):
            _apply(shown, delete_event(labels, i), e.frame)
        with st.popover("Add a missing event"):
            kind = st.selectbox("Kind", KINDS, format_func=lambda k: KIND_WORDS[k], key="add_kind")
            foot = st.selectbox("Foot", ["left", "right"], key="add_foot")
            at = int(st.number_input("At frame", 0, n - 1, value=frame, key="add_frame"))
            if st.button("Add"):
                _apply(shown, add_event(labels, kind, foot, at, n), at)
    except GaitError as exc:
        st.error(str(exc))
    if shown.edits is not None and st.button("Undo all edits (back to the detected events)"):
        _apply(shown, None)
    name = st.text_input("Reviewed by (your name, for the report and the PDF)", value=shown.reviewed_by)
    if name.strip() != shown.reviewed_by:
        shown.reviewed_by = name.strip()
        st.rerun()
    st.download_button(
        "events.json",
        edits_json(shown.side, shown.clip.name, shown.reviewed_by),
        file_name=f"{Path(shown.clip.name).stem or 'gait'}-events.json",
        mime="application/json",
        help="These events as a labels file: gait analyze VIDEO --events FILE scores them, gait validate reads them",
    )
