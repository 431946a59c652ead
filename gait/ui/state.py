"""The analysis the app is showing, kept in the session: run through :mod:`gait.workflows.analysis` (the same stages as
the CLI), re-scored in place when a person edits an event."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import streamlit as st

from gait import pipeline
from gait.core.config import AnalysisConfig
from gait.core.labels import LabelledEvent
from gait.core.types import GaitReport
from gait.kinematics.cleaned import CleanPose
from gait.ui.common import pose_cache_file, progress_bar, remember
from gait.workflows.analysis import merge_rear, rescore, with_review


@dataclass(frozen=True)
class Clip:
    """One analysed clip: where its stored copy is, its content hash and the name the user knows it by."""

    path: Path
    data_hash: str
    name: str


@dataclass
class Shown:
    """The analysis on screen: the side (or only) clip as detected and as reviewed, and an optional rear clip."""

    clip: Clip
    config: AnalysisConfig
    detected: GaitReport
    side: GaitReport
    clean: CleanPose
    edits: tuple[LabelledEvent, ...] | None = None
    rear_clip: Clip | None = None
    rear: GaitReport | None = None
    rear_clean: CleanPose | None = None
    reviewed_by: str = ""
    last_change: tuple[GaitReport, GaitReport] | None = None  # (before, after) of the latest edit
    drawn: GaitReport | None = None  # the report the video and pictures show (None: the current one)

    @property
    def report(self) -> GaitReport:
        """The report of the session: the side analysis with its review, merged with the rear clip if any."""
        side = with_review(self.side, self.detected.events, self.reviewed_by) if self.edited else self.side
        if self.rear is None or self.rear_clip is None:
            return side
        return merge_rear(side, self.rear, self.config, self.rear_clip.name)

    @property
    def edited(self) -> bool:
        """True when the events differ from the detected ones (or a reviewer signed them)."""
        return self.edits is not None or bool(self.reviewed_by.strip())

    def apply(self, edits: tuple[LabelledEvent, ...] | None) -> None:
        """Score ``edits`` (None: back to the detected events) from the cached pose and remember what changed."""
        before = self.report
        if edits is None:
            self.side = self.detected  # the cleaned pose does not depend on the events
        else:
            self.side, self.clean = rescore(self.detected, self.clean, self.config, edits)
        self.edits = edits
        self.last_change = (before, self.report)


def events_key(report: GaitReport) -> str:
    """A short key of a report's events and cues (what the annotated pictures depend on)."""
    text = json.dumps(
        [[e.kind, e.foot, e.frame, e.source] for e in report.events] + [[c.id, c.severity] for c in report.cues]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def analyse(clip: Clip, config: AnalysisConfig) -> tuple[GaitReport, CleanPose]:
    """The analysis of a stored clip, kept per content hash and settings (the pose also on disk)."""

    def make() -> tuple[GaitReport, CleanPose]:
        progress, done = progress_bar("probe")
        try:
            return pipeline.analyze_video(
                clip.path, config, progress=progress, pose_cache=pose_cache_file(clip.data_hash, config)
            )
        finally:
            done()

    key = ("analysis", clip.data_hash, json.dumps(config.to_dict(), sort_keys=True))
    return cast(tuple[GaitReport, CleanPose], remember(key, make))


def start(clip: Clip, config: AnalysisConfig, rear_clip: Clip | None = None) -> Shown:
    """Analyse a clip (and its rear view) and put the result in the session; it survives every later button."""
    side, clean = analyse(clip, config)
    shown = Shown(clip=clip, config=config, detected=side, side=side, clean=clean)
    if rear_clip is not None:
        if side.view != "side":
            from gait.core.errors import GaitError

            raise GaitError(
                f"{clip.name}: looks like a {side.view} view. Put the side-on clip in the first box and the clip "
                "filmed from behind in the rear box."
            )
        rear, rear_clean = analyse(rear_clip, config.with_(view="auto"))
        merge_rear(side, rear, config, rear_clip.name)  # raises when the second clip is not a rear view
        shown = dataclasses.replace(shown, rear_clip=rear_clip, rear=rear, rear_clean=rear_clean)
    st.session_state["shown"] = shown
    st.session_state.pop("saved", None)
    st.session_state.pop("review_i", None)
    return shown


def current() -> Shown | None:
    """The analysis in the session, if any."""
    shown = st.session_state.get("shown")
    return shown if isinstance(shown, Shown) else None
