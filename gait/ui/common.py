"""What every page of the app shares: the private work folder, the progress bar, the result store, the pose
cache folder and error messages in the user's words."""

from __future__ import annotations

import atexit
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from gait.capture.uploads import private_dir, remove_dir
from gait.core.config import AnalysisConfig

ProgressFn = Callable[[str, float], None]
STAGES = {
    "probe": "Reading the video",
    "pose": "Finding the body in every frame",
    "analysis": "Measuring",
    "render": "Drawing the annotated video",
}
SEVERITY_LABEL = {
    "flag": ":red[**FLAG**]",
    "watch": ":orange[**WATCH**]",
    "info": ":blue[**INFO**]",
    "good": ":green[**GOOD**]",
}


@st.cache_resource(show_spinner=False)
def workdir() -> Path:
    """One private temp folder for this server's uploads and renders, removed at exit."""
    d = private_dir()
    atexit.register(remove_dir, d)
    return d


def pose_cache_file(data_hash: str, config: AnalysisConfig) -> Path:
    """Where the pose of a video is kept: ``$GAIT_POSE_CACHE_DIR`` when set (it survives restarts), else the
    private work folder. The file's key (:mod:`gait.capture.pose_cache`) decides whether it is reused."""
    root = Path(os.environ.get("GAIT_POSE_CACHE_DIR") or workdir())
    root.mkdir(parents=True, exist_ok=True)
    settings = hashlib.sha256(
        f"{config.model}|{config.max_people}|{config.engine}|{config.capture_fps}".encode()
    ).hexdigest()[:8]
    return root / f"pose-{data_hash[:32]}-{settings}.npz"


def progress_bar(stage: str) -> tuple[ProgressFn, Callable[[], None]]:
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


def remember(key: tuple[object, ...], make: Callable[[], object], keep: int = 8) -> object:
    """``make()`` once per key (the oldest of ``keep`` entries is dropped)."""
    store = _store()
    if key not in store:
        value = make()
        while len(store) >= keep:
            store.pop(next(iter(store)))
        store[key] = value
    return store[key]


def forget(data_hashes: tuple[str, ...]) -> None:
    """Drop every kept result (analysis, render, key frames) of these videos from the server's store."""
    store = _store()
    for key in [k for k in store if any(h in k for h in data_hashes)]:
        store.pop(key, None)


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
