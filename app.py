"""Streamlit front end for gait. Thin: widgets, layout and caching; the analysis lives in the ``gait`` package.

Run with ``streamlit run app.py``.
"""

from __future__ import annotations

import atexit
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Literal, cast

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from gait import AnalysisConfig, GaitError, analyze_pose
from gait.clean import CleanPose
from gait.compare import compare_reports
from gait.export import strides_csv
from gait.feedback import TYPICAL_RANGES
from gait.history import (
    Session,
    connect,
    delete_session,
    list_athletes,
    list_sessions,
    load_session,
    save_session,
)
from gait.keyframes import print_key_frames, to_jpeg
from gait.parallel import extract_pose_parallel
from gait.pdf import report_pdf
from gait.render import render_annotated, render_frames
from gait.types import GaitReport, PoseSequence
from gait.uploads import VIDEO_EXTENSIONS, private_dir, remove_dir, sha256_bytes, store_upload
from gait.video import probe_video

SAMPLE = Path(os.environ.get("GAIT_SAMPLE_VIDEO") or Path(__file__).parent / "sample_videos" / "sample.mp4")
SEVERITY_LABEL = {
    "flag": ":red[**FLAG**]",
    "watch": ":orange[**WATCH**]",
    "info": ":blue[**INFO**]",
    "good": ":green[**GOOD**]",
}
STAGES = {
    "probe": "Reading the video",
    "pose": "Finding the body in every frame",
    "analysis": "Measuring",
    "render": "Drawing the annotated video",
}


@st.cache_resource(show_spinner=False)
def workdir() -> Path:
    """One private temp folder for this server's uploads and renders, removed at exit."""
    d = private_dir()
    atexit.register(remove_dir, d)
    return d


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_pose(video_hash: str, path: str, model: str, capture_fps: float | None) -> PoseSequence:
    """Pose of a video, keyed by its content hash (the expensive stage)."""
    info = probe_video(path, capture_fps=capture_fps)
    bar = st.progress(0.0, text=STAGES["pose"])

    def progress(stage: str, fraction: float) -> None:
        bar.progress(min(fraction, 1.0), text=STAGES[stage])

    pose = extract_pose_parallel(info, model=model, progress=progress)
    bar.empty()
    return pose


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_render(video_hash: str, settings_key: str, slow: float, _report: GaitReport, _clean: CleanPose) -> bytes:
    """Annotated MP4 bytes for one analysis and playback speed."""
    out = workdir() / f"{video_hash[:16]}-{abs(hash(settings_key)) % 10**8}-{slow:g}.mp4"
    bar = st.progress(0.0, text=STAGES["render"])

    def progress(stage: str, fraction: float) -> None:
        bar.progress(min(fraction, 1.0), text=STAGES["render"])

    render_annotated(
        _report,
        _clean,
        out,
        slow_factor=slow,
        blur_faces=True,
        progress=progress,
    )
    bar.empty()
    return out.read_bytes()


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_key_frames(
    video_hash: str, settings_key: str, _report: GaitReport, _clean: CleanPose
) -> list[tuple[str, bytes]]:
    """Key frames (label, JPEG) cropped to the runner, faces blurred: for the page, the PDF and the history."""
    return print_key_frames(_report, _clean, blur_faces=True)


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_cue_frames(video_hash: str, settings_key: str, _report: GaitReport, _clean: CleanPose) -> dict[int, bytes]:
    """The "show me" frames of every cue as JPEG, rendered in one decoding pass (not once per frame per rerun)."""
    wanted = sorted({f for cue in _report.cues for f in cue.frames})
    images = render_frames(_report, _clean, wanted, max_side_px=640, blur_faces=True)
    return {f: to_jpeg(img) for f, img in images.items()}


def capture_guide() -> None:
    with st.expander("How to film (read before you record)", expanded=False):
        st.markdown(
            "- **Side view**: phone on a stand at hip height, 2.5-4 m away, perpendicular to the belt, landscape; "
            "the whole body and both feet in frame through the stride.\n"
            "- **Rear view** (pelvis and arms): behind the treadmill, centred at pelvis height.\n"
            "- **60 fps or more** (30 fps works for cadence). Slow motion? Enter its capture rate below.\n"
            "- **20-30 s** of steady running after a warm-up; fitted clothes; even light; one person in view."
        )


def settings_form() -> tuple[bool, bool, UploadedFile | None, AnalysisConfig]:
    with st.form("settings"):
        upload = st.file_uploader("Your treadmill video", type=[e.lstrip(".") for e in VIDEO_EXTENSIONS])
        c1, c2, c3 = st.columns(3)
        view = c1.selectbox("Camera view", ["auto", "side", "rear", "front"])
        height = c2.number_input("Runner height (cm, optional)", min_value=0.0, max_value=250.0, value=0.0, step=1.0)
        belt = c3.number_input("Belt speed (km/h, optional)", min_value=0.0, max_value=30.0, value=0.0, step=0.5)
        c4, c5 = st.columns(2)
        cap = c4.selectbox("Slow-motion capture rate", ["not slow motion", "120", "240", "480"])
        model = c5.selectbox(
            "Model quality",
            ["full", "lite", "heavy"],
            help="full ships with gait; lite/heavy need their model files in $GAIT_MODEL_DIR",
        )
        go = st.form_submit_button("Analyse", type="primary")
    sample = st.button("Try the sample video")
    config = AnalysisConfig(
        view=cast(Literal["auto", "side", "rear", "front"], view),
        height_cm=height or None,
        belt_speed_kmh=belt or None,
        capture_fps=None if cap == "not slow motion" else float(cap),
        model=model,
    )
    return go, sample, upload, config


def run(path: Path, data_hash: str, config: AnalysisConfig) -> None:
    info = probe_video(path, capture_fps=config.capture_fps)
    pose = cached_pose(data_hash, str(path), config.model, config.capture_fps)
    report, clean = analyze_pose(pose, info, config)
    st.session_state["result"] = (data_hash, path, config, report, clean)


def cue_cards(report: GaitReport, frame_image: Callable[[int], bytes | None] | None = None) -> None:
    """One card per cue: severity, why, the numbers, drills, evidence; "Show me" frames when the video is here."""
    for cue in report.cues:
        with st.container(border=True):
            st.markdown(f"#### {cue.title}  \n{SEVERITY_LABEL[cue.severity]}")
            st.write(cue.message)
            if cue.numbers:
                st.caption("Numbers: " + ", ".join(f"{k} = {v}" for k, v in cue.numbers.items()))
            st.markdown("**Drills**\n" + "\n".join(f"- {d}" for d in cue.drills))
            st.caption(f"Evidence: {cue.evidence}")
            if cue.frames and frame_image is not None:
                with st.expander("Show me"):
                    imgs = st.columns(len(cue.frames))
                    for col, f in zip(imgs, cue.frames, strict=True):
                        img = frame_image(f)
                        if img is not None:
                            col.image(img, caption=f"frame {f}")


def metrics_table(report: GaitReport) -> None:
    """Every metric with L/R, asymmetry, n, quality and its typical range."""
    table = pd.DataFrame(
        [
            {
                "metric": s.name,
                "value": s.value,
                "unit": s.unit,
                "left": s.left,
                "right": s.right,
                "asymmetry %": s.asymmetry_pct,
                "n": s.n,
                "quality": s.quality,
                "typical": TYPICAL_RANGES.get(s.name, ""),
                "note": s.reason or "",
            }
            for s in report.metrics.values()
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")


def show_results(data_hash: str, config: AnalysisConfig, report: GaitReport, clean: CleanPose) -> None:
    m = report.metrics
    st.subheader("Summary")
    cols = st.columns(4)
    for col, name in zip(
        cols, ("cadence_spm", "ground_contact_time_ms", "trunk_lean_deg", "overstride_leg_pct"), strict=True
    ):
        v = m.get(name)
        col.metric(name, "n/a" if v is None or v.value is None else f"{v.value:.1f} {v.unit}")
    st.caption(
        f"View: {report.view}"
        + (f", facing {report.facing}" if report.facing else "")
        + f" · activity: {report.activity} · pose found in {report.quality.pose_detected_pct:.0f}% of frames"
    )
    for w in report.quality.warnings:
        st.warning(w)

    key = json.dumps(config.to_dict(), sort_keys=True)
    st.subheader("Annotated video")
    v1, v2 = st.columns(2)
    normal = cached_render(data_hash, key, 1.0, report, clean)
    v1.video(normal, format="video/mp4")
    v1.caption("Real time")
    v2.video(cached_render(data_hash, key, 4.0, report, clean), format="video/mp4")
    v2.caption("Slowed 0.25×")

    st.subheader("What to work on")
    cue_images = cached_cue_frames(data_hash, key, report, clean)
    cue_cards(report, cue_images.get)
    st.subheader("Metrics")
    metrics_table(report)

    st.subheader("Per stride")
    rows = pd.DataFrame(report.strides)
    numeric = [c for c in rows.columns if c.endswith(("_deg", "_ms", "_spm", "_pct", "_cm")) and rows[c].notna().any()]
    if numeric and "anchor_time_s" in rows:
        metric = st.selectbox("Metric", numeric, index=0)
        chart = (
            alt.Chart(rows)
            .mark_line(point=True)
            .encode(
                x=alt.X("anchor_time_s:Q", title="time (s)"),
                y=alt.Y(f"{metric}:Q", scale=alt.Scale(zero=False)),
                color=alt.Color("foot:N", scale=alt.Scale(domain=["left", "right"], range=["#4287f5", "#f55a42"])),
            )
        )
        st.altair_chart(chart, width="stretch")

    st.subheader("Key frames")
    frames = cached_key_frames(data_hash, key, report, clean)
    if frames:
        for col, (label, jpeg) in zip(st.columns(len(frames)), frames, strict=True):
            col.image(jpeg, caption=label)
    else:
        st.caption("No strides were found, so there are no key frames.")

    st.subheader("When to see a professional")
    for a in report.advice:
        st.info(a)

    st.subheader("Downloads")
    d1, d2, d3, d4 = st.columns(4)
    d1.download_button("report.json", report.to_json(), file_name="report.json", mime="application/json")
    d2.download_button("metrics.csv", strides_csv(report), file_name="metrics.csv", mime="text/csv")
    d3.download_button("annotated.mp4", normal, file_name="annotated.mp4", mime="video/mp4")
    d4.download_button("report.pdf", report_pdf(report, frames), file_name="report.pdf", mime="application/pdf")
    save_form(report, frames)


def save_form(report: GaitReport, frames: list[tuple[str, bytes]]) -> None:
    """Save the analysis to the athlete history."""
    st.subheader("Save to history")
    with st.form("save"):
        c1, c2 = st.columns(2)
        athlete = c1.text_input("Athlete name or ID")
        day = c2.date_input("Date of the run")
        notes = st.text_area("Notes", height=68)
        if st.form_submit_button("Save to history"):
            with connect() as conn:
                sid = save_session(
                    conn,
                    athlete,
                    report,
                    recorded_on=day.isoformat(),
                    notes=notes,
                    key_frames=tuple(frames),
                    video_name=st.session_state.get("video_name"),
                    video_sha256=st.session_state["result"][0],
                )
            st.success(f"Saved as session {sid} of {athlete.strip()}. Open 'History & compare' to follow progress.")


DIRECTION_MARK = {"better": "better ✓", "worse": "worse ✗", "same": "same", "changed": "changed", "n/a": "n/a"}


def history_page() -> None:
    """Saved sessions of an athlete, and two of them side by side."""
    st.title("History & compare")
    with connect() as conn:
        athletes = list_athletes(conn)
        if not athletes:
            st.info("No saved sessions yet. Analyse a video, then use 'Save to history' under the results.")
            return
        athlete = st.selectbox("Athlete", athletes)
        sessions = list_sessions(conn, athlete)
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "id": s.id,
                        "date": s.recorded_on,
                        "video": s.video_name,
                        "cadence": s.cadence_spm,
                        "notes": s.notes,
                    }
                    for s in sessions
                ]
            ),
            hide_index=True,
            width="stretch",
        )
        names = {f"#{s.id} · {s.recorded_on} · {s.video_name}": s.id for s in sessions}
        labels = list(names)
        c1, c2 = st.columns(2)
        b_label = c1.selectbox("Before", labels, index=0)
        a_label = c2.selectbox("After", labels, index=len(labels) - 1)
        before, after = load_session(conn, names[b_label]), load_session(conn, names[a_label])
        st.subheader("Compare")
        if before.info.id == after.info.id:
            st.caption("Pick two different sessions to compare.")
        else:
            show_comparison(before, after)
        st.subheader(f"Session #{after.info.id} ({after.info.recorded_on})")
        with st.expander("Open the saved analysis: cues and metrics"):
            if after.info.notes:
                st.caption(f"Notes: {after.info.notes}")
            for w in after.report.quality.warnings:
                st.warning(w)
            cue_cards(after.report)
            metrics_table(after.report)
        p1, p2 = st.columns(2)
        p1.download_button(
            f"PDF of session #{after.info.id}",
            report_pdf(after.report, list(after.key_frames), athlete, after.info.recorded_on, after.info.notes),
            file_name=f"gait-{athlete}-{after.info.recorded_on}.pdf",
            mime="application/pdf",
        )
        with p2.popover(f"Delete session #{after.info.id}"):
            st.write("This cannot be undone.")
            if st.button("Delete", type="primary"):
                delete_session(conn, after.info.id)
                st.rerun()


def show_comparison(before: Session, after: Session) -> None:
    """Metric deltas, cues resolved/new/persisting and key frames of two sessions."""
    cmp = compare_reports(before.report, after.report)
    for w in cmp.warnings:
        st.warning(w)
    r1, r2, r3 = st.columns(3)
    for col, head, items in (
        (r1, "Resolved", cmp.resolved),
        (r2, "New", cmp.new),
        (r3, "Still to work on", cmp.persisting),
    ):
        col.markdown(f"**{head}**\n" + ("\n".join(f"- {t}" for t in items) if items else "\nnone"))
    rows = [
        {
            "metric": d.name,
            "before": None if d.before is None else round(d.before, 2),
            "after": None if d.after is None else round(d.after, 2),
            "change": None if d.delta is None else round(d.delta, 2),
            "unit": d.unit,
            "direction": DIRECTION_MARK[d.direction],
            "zone": f"{d.zone_before} → {d.zone_after}" if d.zone_before or d.zone_after else "",
        }
        for d in cmp.deltas
        if d.before is not None or d.after is not None
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(
        "Better/worse is judged against the screening thresholds; changes within the camera's resolution read 'same'."
    )
    st.markdown("**Key frames, before | after**")
    n = max(len(before.key_frames), len(after.key_frames), 1)
    for s in (before, after):
        cols = st.columns(n)
        if not s.key_frames:
            cols[0].caption(f"{s.info.recorded_on}: no key frames saved")
        for col, (label, jpeg) in zip(cols, s.key_frames, strict=False):
            col.image(jpeg, caption=f"{s.info.recorded_on}: {label}", width=240)


def main() -> None:
    st.set_page_config(page_title="gait - running form analysis", layout="wide")
    page = st.sidebar.radio("Page", ["Analyse a video", "History & compare"])
    if page == "History & compare":
        try:
            history_page()
        except GaitError as exc:
            st.error(f"The history could not be used. {exc}")
        return
    st.title("gait - running form from a phone video")
    st.write("Upload a treadmill video filmed from the side (or from behind). Everything runs on this computer.")
    capture_guide()
    go, sample, upload, config = settings_form()
    try:
        if go and upload is not None:
            data = upload.getvalue()
            h = sha256_bytes(data)
            run(store_upload(data, upload.name, workdir()), h, config)
            st.session_state["video_name"] = Path(upload.name).name[:120]
        elif go:
            st.warning("Choose a video file first.")
        elif sample:
            data = SAMPLE.read_bytes()
            run(store_upload(data, SAMPLE.name, workdir()), sha256_bytes(data), config)
            st.session_state["video_name"] = SAMPLE.name
        if "result" in st.session_state:
            data_hash, _, cfg, report, clean = st.session_state["result"]
            show_results(data_hash, cfg, report, clean)
    except GaitError as exc:
        st.session_state.pop("result", None)
        st.error(f"We could not analyse this video. {exc}")


# Streamlit runs this file as "__main__"; the pose worker processes (spawned) import it as "__mp_main__" and must
# not build the page.
if __name__ == "__main__":
    main()
