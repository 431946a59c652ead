"""The results of an analysis on the page: summary, annotated videos (both views), cues, metrics, key frames,
downloads and the save form. The pictures come from :mod:`gait.workflows.analysis`, like the CLI's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import cast

import streamlit as st

from gait.core.errors import GaitError
from gait.core.types import GaitReport
from gait.kinematics.cleaned import CleanPose
from gait.metrics.curves import curves_csv
from gait.outputs.fileset import assessments_csv, strides_csv
from gait.outputs.keyframes import cue_frame_images, to_jpeg
from gait.outputs.wording import walking_note
from gait.ui.access import current_actor
from gait.ui.answer import answer_panel, next_customer_button
from gait.ui.common import progress_bar, remember, workdir
from gait.ui.state import Shown, events_key
from gait.ui.widgets import cue_cards, curves_chart, gait_curves, metrics_table, stride_chart, summary_cards
from gait.workflows.analysis import REAR_PREFIX, handout_pdf, key_frames, save_row, write_annotated
from gait.workflows.history import connect


def cached_render(data_hash: str, slow: float, report: GaitReport, clean: CleanPose) -> bytes:
    """Annotated MP4 bytes for one analysis and playback speed."""
    key = events_key(report)

    def make() -> bytes:
        out = workdir() / f"{data_hash[:16]}-{key}-{slow:g}.mp4"
        progress, done = progress_bar("render")
        try:
            write_annotated(report, clean, out, slow_factor=slow, blur_faces=True, progress=progress)
        finally:
            done()
        return out.read_bytes()

    return cast(bytes, remember(("render", data_hash, key, slow), make))


def cached_key_frames(
    data_hash: str, report: GaitReport, clean: CleanPose, chosen: dict[str, int] | None = None, prefix: str = ""
) -> list[tuple[str, bytes]]:
    """Key frames (label, JPEG) cut to the runner, faces blurred: for the page, the PDF and the history."""
    pick = tuple(sorted((chosen or {}).items()))
    make = lambda: key_frames(report, clean, blur_faces=True, contact_frames=chosen, prefix=prefix)  # noqa: E731
    return cast(list[tuple[str, bytes]], remember(("key", data_hash, events_key(report), pick), make, keep=16))


def cached_cue_frames(data_hash: str, report: GaitReport, clean: CleanPose) -> dict[int, bytes]:
    """The "show me" frames of every cue as JPEG, rendered in one decoding pass (not once per frame per rerun)."""

    def make() -> dict[int, bytes]:
        images = cue_frame_images(report, clean, max_side_px=960, blur_faces=True)
        return {f: to_jpeg(img) for f, img in images.items()}

    return cast(dict[int, bytes], remember(("cues", data_hash, events_key(report)), make, keep=16))


def all_key_frames(shown: Shown, report: GaitReport) -> list[tuple[str, bytes]]:
    """The key frames of the session (both views for two), with the contact a person picked for the PDF."""
    frames = cached_key_frames(shown.clip.data_hash, report, shown.clean, st.session_state.get("key_pick"))
    if shown.rear is not None and shown.rear_clip is not None and shown.rear_clean is not None:
        frames = frames + cached_key_frames(shown.rear_clip.data_hash, shown.rear, shown.rear_clean, None, REAR_PREFIX)
    return frames


def _first_time(report: GaitReport, kind: str) -> float:
    """The time of the first left event of ``kind`` (0 when there is none): where synchronised playback starts."""
    times = [e.time_s for e in report.events if e.kind == kind and e.foot == "left"]
    return max(0.0, min(times) - 0.1) if times else 0.0


def videos(shown: Shown) -> None:
    """The annotated videos; with a rear clip, both views, each starting at a left-foot step (in step phase)."""
    drawn = shown.drawn or shown.report
    st.subheader("Annotated video")
    if shown.drawn is not None and events_key(shown.drawn) != events_key(shown.report):
        st.info("The video and the pictures still show the events as they were before your edits.")
        if st.button("Redraw the video and pictures with the edited events"):
            shown.drawn = None
            st.rerun()
    if shown.rear is None or shown.rear_clean is None or shown.rear_clip is None:
        v1, v2 = st.columns(2)
        v1.video(cached_render(shown.clip.data_hash, 1.0, drawn, shown.clean), format="video/mp4")
        v1.caption("Real time")
        v2.video(cached_render(shown.clip.data_hash, 4.0, drawn, shown.clean), format="video/mp4")
        v2.caption("Slowed 0.25×")
        return
    side_start, rear_start = _first_time(drawn, "contact"), _first_time(shown.rear, "midstance")
    slow = st.toggle("Slow motion (0.25×)", key="two_view_slow")
    factor = 4.0 if slow else 1.0
    v1, v2 = st.columns(2)
    v1.video(cached_render(shown.clip.data_hash, factor, drawn, shown.clean), start_time=side_start * factor, width=420)
    v1.caption(f"Side: {shown.clip.name}, from the first left landing ({side_start:.2f} s)")
    rear_video = cached_render(shown.rear_clip.data_hash, factor, shown.rear, shown.rear_clean)
    v2.video(rear_video, start_time=rear_start * factor, width=420)
    v2.caption(f"Rear: {shown.rear_clip.name}, from the first left midstance ({rear_start:.2f} s)")
    st.caption("Both start at a left-foot step, so press play on both together to see the same phase of the stride.")


def show_results(shown: Shown) -> None:
    """Everything about the analysis in the session: the answer first (one screen), the video, then the detail;
    the expert panels (the full table, the event review) below."""
    from gait.ui.review import review_panel

    report = shown.report
    st.subheader("Summary")
    rear = f" + rear view ({shown.rear_clip.name})" if shown.rear_clip else ""
    st.caption(
        f"{shown.clip.name} · {report.view} view"
        + (f", facing {report.facing}" if report.facing else "")
        + rear
        + f" · {report.activity} · pose found in {report.quality.pose_detected_pct:.0f}% of frames"
    )
    answer_panel(report)
    p1, p2, _ = st.columns([1, 1, 2])
    p1.download_button(
        "Handout (PDF)",
        handout(shown, report),
        file_name=f"{_stem(shown)}-report.pdf",
        mime="application/pdf",
        type="primary",
        key="handout_top",
    )
    with p2:
        next_customer_button()
    summary_cards(report)
    for w in report.quality.warnings:
        st.warning(w)
    for n in report.notes:
        if n != walking_note(report):
            st.caption(n)
    videos(shown)
    drawn = shown.drawn or report
    st.subheader("What to work on")
    frames = cached_cue_frames(shown.clip.data_hash, drawn, shown.clean).get if drawn is report else None
    cue_cards(report, frames, shown.last_change[0] if shown.last_change else None)
    st.subheader("Metrics")
    with st.expander("Every measurement: value, good to, work on, among runners", expanded=False):
        metrics_table(report)
    curves = gait_curves(report, shown.clean)
    if curves is not None:
        curves_chart(curves)
    stride_chart(report)
    key_frame_section(shown, report)
    if report.view == "side":
        review_panel(shown)  # expert: step through the detected events and correct them
    st.subheader("When to see a professional")
    for a in report.advice:
        st.info(a)
    downloads(shown, report)
    save_form(shown, report)


def _stem(shown: Shown) -> str:
    return Path(shown.clip.name).stem or "gait"


def handout(shown: Shown, report: GaitReport) -> Callable[[], bytes]:
    """The PDF handout, made when its button is pressed (the same PDF as the CLI's and the batch's)."""
    athlete = str(st.session_state.get("save_athlete") or "").strip() or None

    def pdf() -> bytes:
        frames = all_key_frames(shown, report)
        return handout_pdf(report, frames, athlete=athlete, video_name=shown.clip.name, clean=shown.clean)

    return pdf


def key_frame_section(shown: Shown, report: GaitReport) -> None:
    """The key frames, and which contact goes into the PDF and the history."""
    st.subheader("Key frames")
    contacts = [e for e in report.events if e.kind == "contact"]
    options = ["the most typical ones (chosen by gait)"] + [
        f"{e.foot} landing at frame {e.frame} ({e.time_s:.2f} s)" for e in contacts
    ]
    pick = st.selectbox("Contact frame for the PDF", options, key="key_pick_label")
    chosen = None if pick == options[0] else contacts[options.index(pick) - 1]
    st.session_state["key_pick"] = {chosen.foot: chosen.frame} if chosen is not None else None
    if shown.drawn is not None and events_key(shown.drawn) != events_key(report):
        st.caption("The key frames follow your edits once the pictures are redrawn (button above the video).")
        frames: list[tuple[str, bytes]] = []
    else:
        frames = all_key_frames(shown, report)
    if frames:
        for start in range(0, len(frames), 3):
            cols = st.columns(3)
            for col, (caption, jpeg) in zip(cols, frames[start : start + 3], strict=False):
                col.image(jpeg, caption=caption)
    elif not contacts:
        st.caption("No strides were found, so there are no key frames.")


def downloads(shown: Shown, report: GaitReport) -> None:
    """report.json, metrics.csv, the annotated video, the PDF (made when pressed) and the curves."""
    st.subheader("Downloads")
    stem = _stem(shown)
    d1, d2, d3, d4, d5, d6 = st.columns(6)
    d1.download_button("report.json", report.to_json(), file_name=f"{stem}-report.json", mime="application/json")
    d2.download_button("metrics.csv", strides_csv(report), file_name=f"{stem}-metrics.csv", mime="text/csv")
    d6.download_button("assessments.csv", assessments_csv(report), file_name=f"{stem}-assessments.csv", mime="text/csv")
    drawn = shown.drawn or report
    d3.download_button(
        "annotated.mp4",
        lambda: cached_render(shown.clip.data_hash, 1.0, drawn, shown.clean),
        file_name=f"{stem}-annotated.mp4",
        mime="video/mp4",
    )
    d4.download_button("report.pdf", handout(shown, report), file_name=f"{stem}-report.pdf", mime="application/pdf")
    curves = gait_curves(report, shown.clean)
    if curves is not None:
        d5.download_button("curves.csv", curves_csv(curves), file_name=f"{stem}-curves.csv", mime="text/csv")


def save_form(shown: Shown, report: GaitReport) -> None:
    """Save the analysis (as reviewed) to the athlete history; a problem is said next to its field."""
    st.subheader("Save to history")
    with st.form("save"):
        c1, c2 = st.columns(2)
        athlete = c1.text_input("Athlete name or ID", key="save_athlete", placeholder="e.g. Sam R or client 0412")
        name_msg = c1.empty()
        day = c2.date_input("Date of the run")
        notes = st.text_area("Notes", height=68)
        submitted = st.form_submit_button("Save to history")
        done = st.empty()
    if submitted:
        if not athlete.strip():
            name_msg.error("Type the athlete's name or ID here, then press Save again.")
            return
        try:
            frames = all_key_frames(shown, report)
            with connect() as conn:
                sid = save_row(
                    conn,
                    athlete,
                    report,
                    frames,
                    recorded_on=day.isoformat(),
                    notes=notes,
                    video_name=shown.clip.name,
                    video_sha256=shown.clip.data_hash,
                    saved_by=current_actor(),
                )
        except GaitError as exc:
            done.error(f"Not saved: {exc} Your results are still here.")
            return
        st.session_state["saved"] = (sid, athlete.strip())
    if "saved" in st.session_state:
        sid, who = st.session_state["saved"]
        done.success(f"Saved as session {sid} of {who}. Open 'History & compare' in the sidebar to follow progress.")
