"""The history page: an athlete's saved sessions, their trend, two of them side by side, and a saved analysis
reopened as it was saved (reviewed events and a second view included)."""

from __future__ import annotations

import sqlite3

import pandas as pd
import streamlit as st

from gait.metrics.registry import format_value
from gait.ui.access import current_actor
from gait.ui.athlete_data import athlete_data_panel
from gait.ui.widgets import cue_cards, metrics_table, trend_chart
from gait.workflows.analysis import handout_pdf, rear_video_name, review_line
from gait.workflows.compare import compare_reports
from gait.workflows.history import (
    Session,
    connect,
    delete_session,
    list_athletes,
    list_sessions,
    load_session,
    session_video_sha256,
)
from gait.workflows.review import KIND_WORDS, review_of

DIRECTION_MARK = {"better": "better ✓", "worse": "worse ✗", "same": "same", "changed": "changed", "n/a": "—"}


def history_page() -> None:
    """Saved sessions of an athlete, their trend, and two of them side by side."""
    st.title("History & compare")
    if "erased" in st.session_state:
        st.success(st.session_state.pop("erased"))
    with connect() as conn:
        athletes = list_athletes(conn)
        if not athletes:
            st.info("No saved sessions yet. Analyse a video, then use 'Save to history' under the results.")
            return
        athlete = st.selectbox("Athlete", athletes)
        sessions = _session_table(conn, athlete)
        trend_chart(conn, athlete)
        names = {f"#{s.info.id} · {s.info.recorded_on} · {_video_names(s)}": s.info.id for s in sessions}
        labels = list(names)
        c1, c2 = st.columns(2)
        b_label = c1.selectbox("Before", labels, index=0)
        a_label = c2.selectbox("After", labels, index=len(labels) - 1)
        before, after = load_session(conn, names[b_label]), load_session(conn, names[a_label])
        st.subheader("Compare")
        if before.info.id == after.info.id:
            st.caption("Pick two different sessions to compare.")
        else:
            show_comparison(
                before,
                after,
                session_video_sha256(conn, before.info.id),
                session_video_sha256(conn, after.info.id),
            )
        saved_analysis(after, athlete)
        with st.popover(f"Delete session #{after.info.id}"):
            st.write("This cannot be undone.")
            if st.button("Delete", type="primary"):
                delete_session(conn, after.info.id, current_actor())
                st.rerun()
        athlete_data_panel(conn, athlete)


def _video_names(s: Session) -> str:
    """The session's clip, and its rear clip for a two-view session."""
    rear = rear_video_name(s.report)
    return s.info.video_name + (f" + rear {rear}" if rear else "")


def _session_table(conn: sqlite3.Connection, athlete: str) -> list[Session]:
    """The athlete's sessions as a table (views and reviews shown); returns them, oldest first."""
    sessions = [load_session(conn, info.id) for info in list_sessions(conn, athlete)]
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Session": s.info.id,
                    "Date": s.info.recorded_on,
                    "Video": _video_names(s),
                    "Views": "side + rear" if rear_video_name(s.report) else s.report.view,
                    "Events": "reviewed" if review_of(s.report) else "as detected",
                    "Cadence (steps/min)": format_value("cadence_spm", s.info.cadence_spm, with_unit=False),
                    "Notes": s.info.notes,
                    "Saved by": s.info.saved_by,
                }
                for s in sessions
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    return sessions


def saved_analysis(session: Session, athlete: str) -> None:
    """A saved session reopened: its review (which events a person moved, added or removed), cues, metrics,
    both views' key frames, and its PDF."""
    info, report = session.info, session.report
    st.subheader(f"Session #{info.id} ({info.recorded_on})")
    line = review_line(report)
    if line:
        st.info(line)
    with st.expander("Open the saved analysis: cues and metrics"):
        if info.notes:
            st.caption(f"Notes: {info.notes}")
        rear = rear_video_name(report)
        if rear:
            st.caption(f"Two views: side clip {info.video_name}, rear clip {rear}.")
        for w in report.quality.warnings:
            st.warning(w)
        edited_events_table(session)
        cue_cards(report)
        metrics_table(report)
    st.download_button(
        f"PDF of session #{info.id}",
        lambda: handout_pdf(
            report,
            list(session.key_frames),
            athlete=athlete,
            recorded_on=info.recorded_on,
            notes=info.notes,
            video_name=info.video_name,
        ),
        file_name=f"gait-{athlete}-{info.recorded_on}.pdf",
        mime="application/pdf",
    )


def edited_events_table(session: Session) -> None:
    """The events a person moved (from → to), added and removed."""
    review = review_of(session.report)
    if review is None:
        return
    rows = []
    for change, key in (("moved", "moved"), ("added", "added"), ("removed", "removed")):
        items = review.get(key)
        for r in items if isinstance(items, list) else []:
            frame = f"{r.get('from_frame')} → {r.get('frame')}" if change == "moved" else str(r.get("frame"))
            rows.append(
                {
                    "Change": change,
                    "Foot": str(r.get("foot")),
                    "Event": KIND_WORDS.get(str(r.get("kind")), ""),
                    "Frame": frame,
                }
            )
    if not rows:  # edited without a recorded review: list the events placed by hand
        rows = [
            {"Change": "placed by hand", "Foot": e.foot, "Event": KIND_WORDS.get(e.kind, e.kind), "Frame": str(e.frame)}
            for e in session.report.events
            if e.source == "edited"
        ]
    st.markdown("**Reviewed events**")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def show_comparison(before: Session, after: Session, sha_before: str = "", sha_after: str = "") -> None:
    """Metric deltas, cues resolved/new/persisting and key frames of two sessions."""
    cmp = compare_reports(before.report, after.report, sha_before=sha_before, sha_after=sha_after)
    for w in cmp.warnings:
        st.warning(w)
    r1, r2, r3 = st.columns(3)
    gone = [f"{t} (cue gone, numbers not yet in the ok zone)" for t in cmp.unconfirmed]
    for col, head, items in (
        (r1, "Resolved", list(cmp.resolved)),
        (r2, "New", list(cmp.new)),
        (r3, "Still to work on", [*cmp.persisting, *gone]),
    ):
        col.markdown(f"**{head}**\n" + ("\n".join(f"- {t}" for t in items) if items else "\nnone"))
    rows = [
        {
            "Measure": d.label,
            "Before": "not measured" if d.before is None else format_value(d.name, d.before),
            "After": "not measured" if d.after is None else format_value(d.name, d.after),
            "Change": "" if d.delta is None else ("+" if d.delta > 0 else "") + format_value(d.name, d.delta),
            "Direction": DIRECTION_MARK[d.direction],
            "Work on (screening line)": f"{d.zone_before or '—'} → {d.zone_after or '—'}"
            if d.zone_before or d.zone_after
            else "",
        }
        for d in cmp.deltas
        if d.before is not None or d.after is not None
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(
        "Each session's own judgement (ok → borderline → watch → flag against the screening lines). Better/worse "
        "means the value moved across or towards a line; a change within both sessions' uncertainties reads "
        "'same'; a change while both are ok reads 'changed'."
    )
    st.markdown("**Key frames, before | after**")
    n = max(len(before.key_frames), len(after.key_frames), 1)
    for s in (before, after):
        cols = st.columns(n)
        if not s.key_frames:
            cols[0].caption(f"{s.info.recorded_on}: no key frames saved")
        for col, (caption, jpeg) in zip(cols, s.key_frames, strict=False):
            col.image(jpeg, caption=f"{s.info.recorded_on}: {caption}", width=240)
