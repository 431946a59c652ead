"""Streamlit front end for gait. Thin: widgets, layout and caching; the analysis lives in the ``gait`` package.

Run with ``streamlit run app.py``.
"""

from __future__ import annotations

import atexit
import json
import os
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from gait import AnalysisConfig, GaitError, analyze_pose
from gait.export import strides_csv
from gait.feedback import TYPICAL_RANGES
from gait.parallel import extract_pose_parallel
from gait.render import render_annotated, render_frame
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

st.set_page_config(page_title="gait - running form analysis", layout="wide")


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
    pose = extract_pose_parallel(
        info, model=model, progress=lambda stage, f: bar.progress(min(f, 1.0), text=STAGES[stage])
    )
    bar.empty()
    return pose


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_render(video_hash: str, settings_key: str, slow: float, _report: GaitReport, _clean: object) -> bytes:
    """Annotated MP4 bytes for one analysis and playback speed."""
    out = workdir() / f"{video_hash[:16]}-{abs(hash(settings_key)) % 10**8}-{slow:g}.mp4"
    bar = st.progress(0.0, text=STAGES["render"])
    render_annotated(
        _report,
        _clean,
        out,
        slow_factor=slow,
        blur_faces=True,  # type: ignore[arg-type]
        progress=lambda stage, f: bar.progress(min(f, 1.0), text=STAGES["render"]),
    )
    bar.empty()
    return out.read_bytes()


def capture_guide() -> None:
    with st.expander("How to film (read before you record)", expanded=False):
        st.markdown(
            "- **Side view**: phone on a stand at hip height, 2.5-4 m away, perpendicular to the belt, landscape; "
            "the whole body and both feet in frame through the stride.\n"
            "- **Rear view** (pelvis and arms): behind the treadmill, centred at pelvis height.\n"
            "- **60 fps or more** (30 fps works for cadence). Slow motion? Enter its capture rate below.\n"
            "- **20-30 s** of steady running after a warm-up; fitted clothes; even light; one person in view."
        )


def settings_form() -> tuple[bool, bool, object, AnalysisConfig]:
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
        view=view,
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


def show_results(data_hash: str, config: AnalysisConfig, report: GaitReport, clean: object) -> None:
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
    for cue in report.cues:
        with st.container(border=True):
            st.markdown(f"#### {cue.title}  \n{SEVERITY_LABEL[cue.severity]}")
            st.write(cue.message)
            if cue.numbers:
                st.caption("Numbers: " + ", ".join(f"{k} = {v}" for k, v in cue.numbers.items()))
            st.markdown("**Drills**\n" + "\n".join(f"- {d}" for d in cue.drills))
            st.caption(f"Evidence: {cue.evidence}")
            if cue.frames:
                with st.expander("Show me"):
                    imgs = st.columns(len(cue.frames))
                    for col, f in zip(imgs, cue.frames, strict=True):
                        col.image(render_frame(report, clean, f, max_side_px=640), caption=f"frame {f}")  # type: ignore[arg-type]

    st.subheader("Metrics")
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
            for s in m.values()
        ]
    )
    st.dataframe(table, hide_index=True, use_container_width=True)

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
        st.altair_chart(chart, use_container_width=True)

    st.subheader("Key frames")
    contacts = [e for e in report.events if e.kind in ("contact", "midstance")]
    picks = [next((e for e in contacts if e.foot == f), None) for f in ("left", "right")]
    mid = next((r for r in report.strides if r.get("midstance_frame") is not None and r.get("contact_frame")), None)
    kcols = st.columns(3)
    if mid is not None:
        kcols[2].image(
            render_frame(report, clean, int(mid["midstance_frame"]), max_side_px=640),  # type: ignore[arg-type]
            caption=f"{mid['foot']} midstance with the trunk lean, frame {mid['midstance_frame']}",
        )
    for col, e in zip(kcols[:2], picks, strict=True):
        if e is not None:
            col.image(
                render_frame(report, clean, e.frame, max_side_px=640),  # type: ignore[arg-type]
                caption=f"{e.foot} foot {e.kind}, frame {e.frame}",
            )

    st.subheader("When to see a professional")
    for a in report.advice:
        st.info(a)

    st.subheader("Downloads")
    d1, d2, d3 = st.columns(3)
    d1.download_button("report.json", report.to_json(), file_name="report.json", mime="application/json")
    d2.download_button("metrics.csv", strides_csv(report), file_name="metrics.csv", mime="text/csv")
    d3.download_button("annotated.mp4", normal, file_name="annotated.mp4", mime="video/mp4")


def main() -> None:
    st.title("gait - running form from a phone video")
    st.write("Upload a treadmill video filmed from the side (or from behind). Everything runs on this computer.")
    capture_guide()
    go, sample, upload, config = settings_form()
    try:
        if go and upload is not None:
            data = upload.getvalue()
            h = sha256_bytes(data)
            run(store_upload(data, upload.name, workdir()), h, config)
        elif go:
            st.warning("Choose a video file first.")
        elif sample:
            data = SAMPLE.read_bytes()
            run(store_upload(data, SAMPLE.name, workdir()), sha256_bytes(data), config)
        if "result" in st.session_state:
            data_hash, _, cfg, report, clean = st.session_state["result"]
            show_results(data_hash, cfg, report, clean)
    except GaitError as exc:
        st.session_state.pop("result", None)
        st.error(f"We could not analyse this video. {exc}")


main()
