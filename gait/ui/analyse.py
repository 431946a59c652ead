"""The analyse page: how to film, the upload form (one clip, or a side and a rear clip of the same run), the
analysis (the same stages as the CLI, :mod:`gait.workflows.analysis`) and its results."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal, cast

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from gait.capture.uploads import VIDEO_EXTENSIONS, sha256_bytes, store_upload
from gait.core.config import AnalysisConfig
from gait.core.errors import GaitError
from gait.core.setting_checks import RANGES
from gait.ui.answer import FORM_DEFAULTS
from gait.ui.common import user_words, workdir
from gait.ui.results import show_results
from gait.ui.state import Clip, current, start

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = Path(os.environ.get("GAIT_SAMPLE_VIDEO") or ROOT / "sample_videos" / "treadmill_side.mp4")
WALKING_SAMPLE = ROOT / "sample_videos" / "sample.mp4"


def capture_guide() -> None:
    """How to film, folded above the upload form."""
    with st.expander("How to film (read before you record)", expanded=False):
        st.markdown(
            "- **Side view**: phone on a stand at hip height, 2.5-4 m away, square to the belt; portrait or "
            "landscape, as long as the whole body and both feet stay in frame through the stride.\n"
            "- **Rear view** (pelvis and arms): behind the treadmill, centred at pelvis height.\n"
            "- **Phone upright**, not tilted up from the floor: with a door, wall or cupboard edge in view, gait "
            "checks how upright it is.\n"
            "- **60 fps or more** (30 fps works for cadence). Slow motion? Enter its capture rate below.\n"
            "- **20-30 s** of steady running after a warm-up; fitted clothes (a hood or loose top hides the "
            "shoulders and hips); even light; one person in view."
        )


#: The form's settings, kept in the session: a value typed once stays across pages and reruns.
KEPT = FORM_DEFAULTS


def _restore_kept() -> None:
    """Give each form widget (key ``form_<name>``) the value typed earlier in this session: Streamlit forgets a
    widget's value when another page is shown; the copy under ``form_kept_<name>`` is not a widget's and stays."""
    for name in KEPT:
        kept = f"form_kept_{name}"
        if f"form_{name}" not in st.session_state and kept in st.session_state:
            st.session_state[f"form_{name}"] = st.session_state[kept]


def settings_form() -> tuple[bool, str | None, UploadedFile | None, UploadedFile | None, AnalysisConfig]:
    """The upload form; returns (analyse pressed, sample chosen, the upload, the rear upload, the settings).

    The sample buttons submit the form too, so what is typed in it (height, belt speed, ...) applies to every way
    of starting an analysis; the values are kept in the session (:data:`KEPT`), so a visit to History keeps them.
    """
    types = [e.lstrip(".") for e in VIDEO_EXTENSIONS]
    _restore_kept()
    with st.form("settings"):
        athlete = st.text_input(
            "Runner's name or ID (optional: on the handout and for saving)",
            placeholder="e.g. Sam R or client 0412",
            key="form_athlete",
        )
        upload = st.file_uploader("Your treadmill video", type=types)
        rear = st.file_uploader(
            "Rear clip of the same run (optional: one report from both views)",
            type=types,
            help="Film from behind the treadmill while the side clip is filmed, or straight after at the same speed.",
        )
        view, height, belt, cap, model = _setting_fields()
        b0, b1, b2, _ = st.columns([1, 1, 1, 2])
        go = b0.form_submit_button("Analyse", type="primary")
        sample: str | None = None
        if b1.form_submit_button("Try the sample video", help="A treadmill run filmed from the side (MIT licence)"):
            sample = "run"
        if WALKING_SAMPLE.is_file() and b2.form_submit_button(
            "Try a walking clip", help="Walking gets a walking analysis"
        ):
            sample = "walk"
    typed = {"athlete": athlete, "view": view, "height": height, "belt": belt, "cap": cap, "model": model}
    for name, value in typed.items():
        st.session_state[f"form_kept_{name}"] = value
    if (go or sample) and athlete.strip():
        st.session_state["save_athlete"] = athlete.strip()  # the save form and the handout use it
    config = AnalysisConfig(
        view=cast(Literal["auto", "side", "rear", "front"], view),
        height_cm=height or None,
        belt_speed_kmh=belt or None,
        capture_fps=None if cap == "not slow motion" else float(cap),
        model=model,
    )
    return go, sample, upload, rear, config


def _setting_fields() -> tuple[str, float | None, float | None, str, str]:
    """The form's settings fields (view, height, belt speed, capture rate, model), inside the open form."""
    c1, c2, c3 = st.columns(3)
    views = ["auto", "side", "rear", "front"]
    view = c1.selectbox("Camera view", views, key="form_view")
    height = c2.number_input(
        "Runner height (cm, optional)",
        min_value=RANGES["height_cm"][0],
        max_value=RANGES["height_cm"][1],
        value=None,
        step=1.0,
        placeholder="e.g. 178",
        key="form_height",
    )
    belt = c3.number_input(
        "Belt speed (km/h, optional)",
        min_value=RANGES["belt_speed_kmh"][0],
        max_value=RANGES["belt_speed_kmh"][1],
        value=None,
        step=0.5,
        placeholder="e.g. 10",
        key="form_belt",
    )
    c4, c5 = st.columns(2)
    caps = ["not slow motion", "120", "240", "480"]
    cap = c4.selectbox("Slow-motion capture rate", caps, key="form_cap")
    models = ["full", "lite", "heavy"]
    model = c5.selectbox(
        "Model quality",
        models,
        key="form_model",
        help="full ships with gait; lite/heavy need their model files in $GAIT_MODEL_DIR",
    )
    return view, height, belt, cap, model


def _clip(data: bytes, name: str) -> Clip:
    """Store an upload (or a sample) privately, under a name the user knows."""
    shown_name = Path(name).name[:120]
    return Clip(path=store_upload(data, name, workdir()), data_hash=sha256_bytes(data), name=shown_name)


def analyse_page() -> None:
    """Upload, analyse, show the results (they survive every later button)."""
    st.title("gait - running form from a phone video")
    st.write("Upload a treadmill video filmed from the side (or from behind). Everything runs on this computer.")
    st.session_state["_progress_slot"] = st.container()
    capture_guide()
    go, sample, upload, rear_upload, config = settings_form()
    clip: Clip | None = None
    try:
        if go and upload is not None:
            clip = _clip(upload.getvalue(), upload.name)
            rear = _clip(rear_upload.getvalue(), rear_upload.name) if rear_upload is not None else None
            start(clip, config, rear)
        elif go:
            st.warning("Choose a video file first.")
        elif sample:
            src = SAMPLE if sample == "run" else WALKING_SAMPLE
            clip = _clip(src.read_bytes(), src.name)
            start(clip, config)
    except GaitError as exc:
        st.session_state.pop("shown", None)
        name = clip.name if clip else (upload.name if upload is not None else "")
        path = clip.path if clip else Path()
        st.error(f"We could not analyse {name or 'this video'}. {user_words(str(exc), path, name)}")
        return
    shown = current()
    if shown is not None:
        try:
            show_results(shown)
        except (GaitError, OSError, ValueError) as exc:
            st.error(f"Part of the results could not be shown ({exc}). The analysis itself is kept.")
