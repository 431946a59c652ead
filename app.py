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
from gait.history import (
    Session,
    athlete_trend,
    connect,
    delete_session,
    list_athletes,
    list_sessions,
    load_session,
    save_session,
    session_video_sha256,
)
from gait.keyframes import cue_frame_images, print_key_frames, to_jpeg
from gait.metrics.curves import JOINT_LABELS, GaitCurves, curves_csv, curves_rows, stride_curves
from gait.metrics.registry import HEADLINE, REGISTRY, format_value, label
from gait.metrics.spatiotemporal import runner_xy
from gait.parallel import extract_pose_parallel
from gait.pdf import report_pdf
from gait.present import (
    chart_metrics,
    cue_numbers,
    evidence_text,
    mark,
    metric_rows,
    shown_cues,
    walking_note,
)
from gait.ranges import RANGES
from gait.render import render_annotated
from gait.types import GaitReport, PoseSequence
from gait.uploads import VIDEO_EXTENSIONS, private_dir, remove_dir, sha256_bytes, store_upload
from gait.video import probe_video

HERE = Path(__file__).parent
SAMPLE = Path(os.environ.get("GAIT_SAMPLE_VIDEO") or HERE / "sample_videos" / "treadmill_side.mp4")
WALKING_SAMPLE = HERE / "sample_videos" / "sample.mp4"
TREND_METRICS = ("cadence_spm", "shank_angle_at_contact_deg", "trunk_lean_deg", "ground_contact_time_ms")
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


ProgressFn = Callable[[str, float], None]


def _progress_bar(stage: str) -> tuple[ProgressFn, Callable[[], None]]:
    """A progress bar in the slot at the top of the page (visible without scrolling) and how to clear it."""
    slot = st.session_state.get("_progress_slot")
    bar = (slot or st).progress(0.0, text=STAGES[stage])

    def progress(stage_now: str, fraction: float) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=STAGES.get(stage_now, STAGES[stage]))

    return progress, bar.empty


@st.cache_resource(show_spinner=False)
def _store() -> dict[tuple[object, ...], object]:
    """Results of the expensive stages, shared by the sessions of this server (their progress bars are drawn
    outside Streamlit's caches, which cannot replay elements drawn into a block made elsewhere)."""
    return {}


def _remember(key: tuple[object, ...], make: Callable[[], object], keep: int = 8) -> object:
    store = _store()
    if key not in store:
        value = make()
        while len(store) >= keep:
            store.pop(next(iter(store)))
        store[key] = value
    return store[key]


def cached_pose(video_hash: str, path: str, model: str, capture_fps: float | None) -> PoseSequence:
    """Pose of a video, keyed by its content hash (the expensive stage)."""

    def make() -> PoseSequence:
        info = probe_video(path, capture_fps=capture_fps)
        progress, done = _progress_bar("pose")
        try:
            return extract_pose_parallel(info, model=model, progress=progress)
        finally:
            done()

    return cast(PoseSequence, _remember(("pose", video_hash, model, capture_fps), make))


def cached_render(video_hash: str, settings_key: str, slow: float, report: GaitReport, clean: CleanPose) -> bytes:
    """Annotated MP4 bytes for one analysis and playback speed."""

    def make() -> bytes:
        out = workdir() / f"{video_hash[:16]}-{abs(hash(settings_key)) % 10**8}-{slow:g}.mp4"
        progress, done = _progress_bar("render")
        try:
            render_annotated(report, clean, out, slow_factor=slow, blur_faces=True, progress=progress)
        finally:
            done()
        return out.read_bytes()

    return cast(bytes, _remember(("render", video_hash, settings_key, slow), make))


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_key_frames(
    video_hash: str, settings_key: str, _report: GaitReport, _clean: CleanPose
) -> list[tuple[str, bytes]]:
    """Key frames (label, JPEG) cropped to the runner, faces blurred: for the page, the PDF and the history."""
    return print_key_frames(_report, _clean, blur_faces=True)


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_cue_frames(video_hash: str, settings_key: str, _report: GaitReport, _clean: CleanPose) -> dict[int, bytes]:
    """The "show me" frames of every cue as JPEG, rendered in one decoding pass (not once per frame per rerun)."""
    images = cue_frame_images(_report, _clean, max_side_px=960, blur_faces=True)
    return {f: to_jpeg(img) for f, img in images.items()}


def capture_guide() -> None:
    with st.expander("How to film (read before you record)", expanded=False):
        st.markdown(
            "- **Side view**: phone on a stand at hip height, 2.5-4 m away, square to the belt; portrait or "
            "landscape, as long as the whole body and both feet stay in frame through the stride.\n"
            "- **Rear view** (pelvis and arms): behind the treadmill, centred at pelvis height.\n"
            "- **60 fps or more** (30 fps works for cadence). Slow motion? Enter its capture rate below.\n"
            "- **20-30 s** of steady running after a warm-up; fitted clothes; even light; one person in view."
        )


def settings_form() -> tuple[bool, str | None, UploadedFile | None, AnalysisConfig]:
    """The upload form; returns (analyse pressed, sample chosen, the upload, the settings)."""
    with st.form("settings"):
        upload = st.file_uploader("Your treadmill video", type=[e.lstrip(".") for e in VIDEO_EXTENSIONS])
        c1, c2, c3 = st.columns(3)
        view = c1.selectbox("Camera view", ["auto", "side", "rear", "front"])
        height = c2.number_input(
            "Runner height (cm, optional)",
            min_value=RANGES["height_cm"][0],
            max_value=RANGES["height_cm"][1],
            value=None,
            step=1.0,
            placeholder="e.g. 178",
        )
        belt = c3.number_input(
            "Belt speed (km/h, optional)",
            min_value=RANGES["belt_speed_kmh"][0],
            max_value=RANGES["belt_speed_kmh"][1],
            value=None,
            step=0.5,
            placeholder="e.g. 10",
        )
        c4, c5 = st.columns(2)
        cap = c4.selectbox("Slow-motion capture rate", ["not slow motion", "120", "240", "480"])
        model = c5.selectbox(
            "Model quality",
            ["full", "lite", "heavy"],
            help="full ships with gait; lite/heavy need their model files in $GAIT_MODEL_DIR",
        )
        go = st.form_submit_button("Analyse", type="primary")
    b1, b2, _ = st.columns([1, 1, 3])
    sample: str | None = None
    if b1.button("Try the sample video", help="A treadmill run filmed from the side (MIT licence)"):
        sample = "run"
    if WALKING_SAMPLE.is_file() and b2.button("Try a walking clip", help="Walking gets a walking analysis"):
        sample = "walk"
    config = AnalysisConfig(
        view=cast(Literal["auto", "side", "rear", "front"], view),
        height_cm=height or None,
        belt_speed_kmh=belt or None,
        capture_fps=None if cap == "not slow motion" else float(cap),
        model=model,
    )
    return go, sample, upload, config


def user_words(message: str, path: Path, name: str) -> str:
    """An error message with the app's temporary copy replaced by the name of the file the user chose."""
    text = message
    if path.name and text.startswith(f"{path}: "):
        text = text[len(f"{path}: ") :]
    elif name and text.startswith(f"{name}: "):
        text = text[len(f"{name}: ") :]
    if path.name:
        text = text.replace(str(path), name).replace(path.name, name)
    text = text.replace(str(workdir()) + os.sep, "").replace(str(workdir()), "")
    return text[:1].upper() + text[1:]


def run(path: Path, data_hash: str, config: AnalysisConfig, video_name: str) -> None:
    """Analyse a stored video and keep the result in the session (it survives every later button)."""
    info = probe_video(path, capture_fps=config.capture_fps)
    pose = cached_pose(data_hash, str(path), config.model, config.capture_fps)
    report, clean = analyze_pose(pose, info, config)
    st.session_state["result"] = (data_hash, path, config, report, clean)
    st.session_state["video_name"] = video_name
    st.session_state.pop("saved", None)


def cue_cards(report: GaitReport, frame_image: Callable[[int], bytes | None] | None = None) -> None:
    """One card per cue: severity, why, the numbers, drills, evidence; "Show me" frames when the video is here."""
    note = walking_note(report)
    if note:
        st.info(note + " Below are the walking measurements; the running advice is left out.")
    for cue in shown_cues(report):
        with st.container(border=True):
            st.markdown(f"#### {cue.title}  \n{SEVERITY_LABEL[cue.severity]}")
            st.write(cue.message)
            if cue.numbers:
                st.caption("Numbers: " + cue_numbers(cue))
            if cue.drills:
                st.markdown("**Drills**\n" + "\n".join(f"- {d}" for d in cue.drills))
            st.caption(f"Evidence: {evidence_text(cue)}")
            if cue.frames and frame_image is not None:
                with st.expander("Show me"):
                    imgs = st.columns(len(cue.frames))
                    for col, f in zip(imgs, cue.frames, strict=True):
                        img = frame_image(f)
                        if img is not None:
                            col.image(img, caption=f"frame {f}")


def metrics_table(report: GaitReport) -> None:
    """Every metric in words: value, left and right side by side, typical range and an in/out mark."""
    rows = metric_rows(report)
    table = pd.DataFrame(
        [
            {
                "Measure": r.label,
                "Value": r.value,
                "Left": r.left,
                "Right": r.right,
                "Against typical": r.mark,
                "Typical range": r.typical,
                "Note": r.note,
            }
            for r in rows
        ]
    ).set_index("Measure")
    st.table(table)
    if report.activity == "walking":
        st.caption("The typical ranges are for running: a walk is not marked against them.")
        return
    st.caption(
        "✓ typical: inside the typical range · ▲/▼ above/below it · ⚠ watch / ✖ flag: past a screening threshold "
        "by more than the camera resolves · ≈ borderline: past it by less (no cue is given on it). "
        "Typical ranges are approximate and from the sources in the PDF; they screen, they do not diagnose."
    )


def summary_cards(report: GaitReport) -> None:
    """The headline numbers, labelled in words, each with its mark against the typical range."""
    shown = [n for n in HEADLINE if n in report.metrics and report.metrics[n].value is not None][:5]
    if not shown:
        st.caption("No headline numbers could be measured in this clip.")
        return
    walking = report.activity == "walking"
    per_row = 3  # wide enough for "Overstride (% leg length)" and "169 steps/min" at 1366 px
    for start in range(0, len(shown), per_row):
        cols = st.columns(per_row)
        for col, name in zip(cols, shown[start : start + per_row], strict=False):
            spec = REGISTRY[name]
            value = report.metrics[name].value
            col.metric(
                spec.label,
                format_value(name, value),
                delta=None if walking else (mark(name, value) or None),
                delta_color="off",
                delta_arrow="off",
                help=f"{spec.explanation} Typical: {spec.typical_text}.",
            )


def stride_chart(report: GaitReport) -> None:
    """One measure per step over the clip, left and right."""
    rows = pd.DataFrame(report.strides)
    names = chart_metrics(report.strides)
    if not names or "anchor_time_s" not in rows:
        return
    st.subheader("Step by step")
    st.caption(
        "Each point is one step (blue left foot, red right foot) at its time in the clip. A flat band means an "
        "even stride; a lone outlier is often one misread step; two lines apart show a left/right difference."
    )
    name = st.selectbox("Measure", names, index=0, format_func=label)
    spec = REGISTRY[name]
    data = rows[["anchor_time_s", "foot", name]].dropna()
    chart = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("anchor_time_s:Q", title="time in the clip (s)"),
            y=alt.Y(f"{name}:Q", title=f"{spec.label} ({spec.display_unit})", scale=alt.Scale(zero=False)),
            color=alt.Color(
                "foot:N", title="foot", scale=alt.Scale(domain=["left", "right"], range=["#4287f5", "#f55a42"])
            ),
            tooltip=[alt.Tooltip("anchor_time_s:Q", title="time (s)", format=".2f"), "foot:N", f"{name}:Q"],
        )
    )
    if spec.typical is not None and report.activity != "walking":
        band = pd.DataFrame([{"lo": spec.typical[0], "hi": spec.typical[1]}])
        chart = alt.Chart(band).mark_rect(opacity=0.12, color="green").encode(y="lo:Q", y2="hi:Q") + chart
    st.altair_chart(chart, width="stretch")


def gait_curves(report: GaitReport, clean: CleanPose) -> GaitCurves | None:
    """The gait-cycle curves of a side-view analysis (None from behind, where the angles are not sagittal)."""
    if report.view != "side":
        return None
    curves = stride_curves(runner_xy(clean), clean.pose.times_s, report.events)
    return None if curves.is_empty() else curves


def curves_chart(curves: GaitCurves) -> None:
    """Hip, knee, ankle and trunk angle over the stride, left and right: mean line, ± SD band, toe-off rule."""
    st.subheader("Gait cycle")
    n = curves.n_strides
    st.caption(
        f"Angles over one stride, from a foot's landing (0 %) to its next landing (100 %): mean of {n['left']} left "
        f"and {n['right']} right strides, the band is ± 1 SD; the dashed line is toe-off. Side-view (2-D) angles: "
        "compare a runner with themselves over time rather than with lab norms, so no typical band is drawn."
    )
    data = pd.DataFrame(curves_rows(curves))
    data["lo"], data["hi"] = data["mean"] - data["sd"], data["mean"] + data["sd"]
    data["angle"] = data["joint"].map(JOINT_LABELS)
    data["toe_off"] = data["foot"].map(curves.toe_off_pct)
    colour = alt.Color("foot:N", title="foot", scale=alt.Scale(domain=["left", "right"], range=["#4287f5", "#f55a42"]))
    x = alt.X("pct:Q", title="% of stride", scale=alt.Scale(domain=[0, 100]))
    base = alt.Chart()
    band = base.mark_area(opacity=0.18).encode(x=x, y=alt.Y("lo:Q", title="degrees"), y2="hi:Q", color=colour)
    line = base.mark_line().encode(
        x=x,
        y=alt.Y("mean:Q", title="degrees"),
        color=colour,
        tooltip=["foot:N", alt.Tooltip("pct:Q", title="% of stride"), alt.Tooltip("mean:Q", format=".1f")],
    )
    toe = base.mark_rule(strokeDash=[4, 3]).encode(x="mean(toe_off):Q", color=colour)
    chart = (
        alt.layer(band, line, toe, data=data)
        .properties(height=170, width=300)
        .facet(facet=alt.Facet("angle:N", title=None, sort=list(JOINT_LABELS.values())), columns=2)
        .resolve_scale(y="independent")
    )
    st.altair_chart(chart)


def show_results(data_hash: str, config: AnalysisConfig, report: GaitReport, clean: CleanPose, video_name: str) -> None:
    st.subheader("Summary")
    st.caption(
        f"{video_name} · {report.view} view"
        + (f", facing {report.facing}" if report.facing else "")
        + f" · {report.activity} · pose found in {report.quality.pose_detected_pct:.0f}% of frames"
    )
    summary_cards(report)
    for w in report.quality.warnings:
        st.warning(w)
    for n in report.notes:
        if n != walking_note(report):
            st.caption(n)

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
    curves = gait_curves(report, clean)
    if curves is not None:
        curves_chart(curves)
    stride_chart(report)

    st.subheader("Key frames")
    frames = cached_key_frames(data_hash, key, report, clean)
    if frames:
        for col, (caption, jpeg) in zip(st.columns(len(frames)), frames, strict=True):
            col.image(jpeg, caption=caption)
    else:
        st.caption("No strides were found, so there are no key frames.")

    st.subheader("When to see a professional")
    for a in report.advice:
        st.info(a)

    st.subheader("Downloads")
    stem = Path(video_name).stem or "gait"
    d1, d2, d3, d4, d5 = st.columns(5)
    d1.download_button("report.json", report.to_json(), file_name=f"{stem}-report.json", mime="application/json")
    d2.download_button("metrics.csv", strides_csv(report), file_name=f"{stem}-metrics.csv", mime="text/csv")
    d3.download_button("annotated.mp4", normal, file_name=f"{stem}-annotated.mp4", mime="video/mp4")
    athlete = str(st.session_state.get("save_athlete") or "").strip() or None
    d4.download_button(
        "report.pdf",
        report_pdf(report, frames, athlete=athlete, video_name=video_name, curves=curves),
        file_name=f"{stem}-report.pdf",
        mime="application/pdf",
    )
    if curves is not None:
        d5.download_button("curves.csv", curves_csv(curves), file_name=f"{stem}-curves.csv", mime="text/csv")
    save_form(report, frames, data_hash, video_name)


def save_form(report: GaitReport, frames: list[tuple[str, bytes]], data_hash: str, video_name: str) -> None:
    """Save the analysis to the athlete history; a problem is said next to its field and the results stay."""
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
            with connect() as conn:
                sid = save_session(
                    conn,
                    athlete,
                    report,
                    recorded_on=day.isoformat(),
                    notes=notes,
                    key_frames=tuple(frames),
                    video_name=video_name,
                    video_sha256=data_hash,
                )
        except GaitError as exc:
            done.error(f"Not saved: {exc} Your results are still here.")
            return
        st.session_state["saved"] = (sid, athlete.strip())
    if "saved" in st.session_state:
        sid, who = st.session_state["saved"]
        done.success(f"Saved as session {sid} of {who}. Open 'History & compare' in the sidebar to follow progress.")


def trend_chart(conn: object, athlete: str) -> None:
    """The athlete's key numbers over the saved sessions."""
    import sqlite3

    data = pd.DataFrame(athlete_trend(cast(sqlite3.Connection, conn), athlete, TREND_METRICS))
    if data.empty or data["recorded_on"].nunique() < 1:
        return
    data["measure"] = [
        f"{REGISTRY[m].label} ({REGISTRY[m].display_unit})" if REGISTRY[m].display_unit else REGISTRY[m].label
        for m in data["metric"]
    ]
    st.subheader("Trend")
    chart = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("recorded_on:T", title="date of the run"),
            y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
            tooltip=["recorded_on:T", "measure:N", alt.Tooltip("value:Q", format=".1f"), "id:Q"],
        )
        .properties(height=150)
        .facet(facet=alt.Facet("measure:N", title=None), columns=2)
        .resolve_scale(y="independent")
    )
    st.altair_chart(chart)


DIRECTION_MARK = {"better": "better ✓", "worse": "worse ✗", "same": "same", "changed": "changed", "n/a": "—"}


def history_page() -> None:
    """Saved sessions of an athlete, their trend, and two of them side by side."""
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
                        "Session": s.id,
                        "Date": s.recorded_on,
                        "Video": s.video_name,
                        "Cadence (steps/min)": format_value("cadence_spm", s.cadence_spm, with_unit=False),
                        "Notes": s.notes,
                    }
                    for s in sessions
                ]
            ),
            hide_index=True,
            width="stretch",
        )
        trend_chart(conn, athlete)
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
            show_comparison(
                before,
                after,
                session_video_sha256(conn, before.info.id),
                session_video_sha256(conn, after.info.id),
            )
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
            report_pdf(
                after.report,
                list(after.key_frames),
                athlete,
                after.info.recorded_on,
                after.info.notes,
                video_name=after.info.video_name,
            ),
            file_name=f"gait-{athlete}-{after.info.recorded_on}.pdf",
            mime="application/pdf",
        )
        with p2.popover(f"Delete session #{after.info.id}"):
            st.write("This cannot be undone.")
            if st.button("Delete", type="primary"):
                delete_session(conn, after.info.id)
                st.rerun()


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
            "Zone": f"{d.zone_before or '—'} → {d.zone_after or '—'}" if d.zone_before or d.zone_after else "",
        }
        for d in cmp.deltas
        if d.before is not None or d.after is not None
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(
        "Better/worse means the value moved across or towards a screening threshold (ok → watch → flag); changes "
        "within the camera's resolution read 'same'; a change while both are ok reads 'changed'."
    )
    st.markdown("**Key frames, before | after**")
    n = max(len(before.key_frames), len(after.key_frames), 1)
    for s in (before, after):
        cols = st.columns(n)
        if not s.key_frames:
            cols[0].caption(f"{s.info.recorded_on}: no key frames saved")
        for col, (caption, jpeg) in zip(cols, s.key_frames, strict=False):
            col.image(jpeg, caption=f"{s.info.recorded_on}: {caption}", width=240)


def analyse_page() -> None:
    st.title("gait - running form from a phone video")
    st.write("Upload a treadmill video filmed from the side (or from behind). Everything runs on this computer.")
    st.session_state["_progress_slot"] = st.container()
    capture_guide()
    go, sample, upload, config = settings_form()
    name, path = "", Path()
    try:
        if go and upload is not None:
            data = upload.getvalue()
            name = Path(upload.name).name[:120]
            path = store_upload(data, upload.name, workdir())
            run(path, sha256_bytes(data), config, name)
        elif go:
            st.warning("Choose a video file first.")
        elif sample:
            src = SAMPLE if sample == "run" else WALKING_SAMPLE
            data = src.read_bytes()
            name = src.name
            path = store_upload(data, src.name, workdir())
            run(path, sha256_bytes(data), config, name)
    except GaitError as exc:
        st.session_state.pop("result", None)
        st.error(f"We could not analyse {name or 'this video'}. {user_words(str(exc), path, name)}")
        return
    if "result" in st.session_state:
        data_hash, _, cfg, report, clean = st.session_state["result"]
        try:
            show_results(data_hash, cfg, report, clean, st.session_state.get("video_name", "your video"))
        except (GaitError, OSError, ValueError) as exc:
            st.error(f"Part of the results could not be shown ({exc}). The analysis itself is kept.")


def main() -> None:
    st.set_page_config(page_title="gait - running form analysis", layout="wide")
    page = st.sidebar.radio("Page", ["Analyse a video", "History & compare"])
    if page == "History & compare":
        try:
            history_page()
        except GaitError as exc:
            st.error(f"The history could not be used. {exc}")
        return
    analyse_page()


# Streamlit runs this file as "__main__"; the pose worker processes (spawned) import it as "__mp_main__" and must
# not build the page.
if __name__ == "__main__":
    main()
