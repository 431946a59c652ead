"""A :class:`Finding` (one footage problem and what it does to the metrics), the :class:`Footage` the checks look
at, and :func:`apply`, which folds findings into every metric's quality. The checks are in :mod:`gait.checks.assess`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from gait.capture.verticals import VerticalPoint
from gait.core import landmarks as L
from gait.core.config import AnalysisConfig
from gait.core.numeric import quiet_nan_warnings
from gait.core.types import GaitEvents, MetricSummary, Quality, VideoInfo
from gait.kinematics.cleaned import CleanPose
from gait.kinematics.pixel_motion import PixelMotion
from gait.kinematics.rhythm import tempo_change_ratio
from gait.metrics.registry import REGISTRY
from gait.metrics.summary import mean_cadence_spm
from gait.metrics.table import StrideTable

#: feet below the picture in more than this share of frames: nothing a foot times is measured
FEET_UNSEEN_FRAC = 0.5
QualityOf = dict[str, tuple[Quality, str | None]]
_ORDER: tuple[Quality, ...] = ("good", "fair", "poor", "unavailable")


@dataclass(frozen=True)
class Finding:
    """One footage problem and its effect on the metrics.

    Attributes
    ----------
    warning : a sentence for people in ``quality.warnings`` (None: no warning).
    affects : metric name → (quality, reason) this finding gives it.
    lower_only : True: a metric's quality is only ever lowered to the given one (a better quality is replaced,
        a worse one kept); False: the quality and reason are set whatever they were (a withheld metric).
    note : a sentence for ``notes`` (information, not a problem).
    """

    warning: str | None = None
    affects: Mapping[str, tuple[Quality, str | None]] = field(default_factory=dict)
    lower_only: bool = True
    note: str | None = None

    def __post_init__(self) -> None:
        """A metric made less than good always says why (``report.json``'s contract: quality with reason)."""
        unexplained = sorted(n for n, (quality, reason) in self.affects.items() if quality != "good" and not reason)
        if unexplained:
            raise ValueError(f"a finding lowers {', '.join(unexplained)} without a reason")

    @classmethod
    def on(
        cls,
        names: Iterable[str],
        quality: Quality,
        reason: str | None,
        warning: str | None = None,
        lower_only: bool = True,
        note: str | None = None,
    ) -> Finding:
        """A finding that gives every metric in ``names`` the same quality and reason."""
        return cls(warning, {n: (quality, reason) for n in names}, lower_only, note)


@dataclass(frozen=True)
class Footage:
    """Everything a check may look at, with the measurements several checks share (computed once)."""

    clean: CleanPose
    events: GaitEvents
    strides: StrideTable
    info: VideoInfo
    config: AnalysisConfig
    verticals: VerticalPoint | None = None  # the scene's vertical vanishing point (gait.capture.scene), if any
    motion: PixelMotion | None = None  # the pixels' own motion (gait.kinematics.pixel_motion), if the frames were read

    @cached_property
    def feet_out_of_frame(self) -> float:
        """Share of detected frames in which a heel or toe is below the bottom of the frame."""
        raw = self.clean.raw
        feet = [L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_TOE, L.RIGHT_TOE]
        if not raw.detected.any():
            return 0.0
        with np.errstate(invalid="ignore"), quiet_nan_warnings():
            return float(np.nanmean(np.nanmax(raw.image_xy_px[:, feet, 1], axis=1) > raw.height))

    @property
    def feet_unseen(self) -> bool:
        """The feet are out of the frame in most of the clip: nothing timed by a foot can be measured."""
        return self.feet_out_of_frame > FEET_UNSEEN_FRAC

    @cached_property
    def duration_s(self) -> float:
        """From the first frame to the end of the last one."""
        p = self.clean.pose
        return float(p.times_s[-1] - p.times_s[0]) + 1.0 / p.fps if p.n_frames > 1 else 0.0

    @cached_property
    def tempo_ratio(self) -> float | None:
        """How many times slower the step rhythm gets part-way through
        (:func:`gait.kinematics.rhythm.tempo_change_ratio`)."""
        return tempo_change_ratio(self.clean, self.config)

    @cached_property
    def cadence_spm(self) -> float:
        """Mean cadence of the strides, in the clip's own clock (NaN without steps)."""
        return mean_cadence_spm(self.strides.column("step_time_s"))

    @cached_property
    def slow_motion(self) -> str | None:
        """Why the clip's clock is not real time (slow motion in part or all of it), None when it is or when
        the feet are unseen (no step rhythm to judge)."""
        if self.feet_unseen:
            return None
        ratio = self.tempo_ratio
        if ratio is not None and ratio >= self.config.tempo_change_max_ratio:
            return (
                f"The step rhythm slows by about {ratio:.1f}x part-way through the clip: part of it plays in slow "
                "motion. Trim the clip to the part at one speed, or export it at real speed, for real times."
            )
        return implausible_cadence(self.cadence_spm, self.events.activity, self.config)


Check = Callable[[Footage], "Finding | None"]


def apply(findings: Iterable[Finding], quality_of: QualityOf | None = None) -> QualityOf:
    """Fold findings, in order, into metric name → (quality, reason) (every registry metric starts good)."""
    q: QualityOf = dict(quality_of) if quality_of is not None else {name: ("good", None) for name in REGISTRY}
    for finding in findings:
        for name, (quality, reason) in finding.affects.items():
            current = q.get(name, ("good", None))[0]
            if not finding.lower_only or _ORDER.index(current) < _ORDER.index(quality):
                q[name] = (quality, reason)
    return q


def runner_height_frac(clean: CleanPose) -> float | None:
    """Median height of the runner's box (nose to lowest foot point) as a fraction of the frame height."""
    xy = clean.raw.image_xy_px[clean.raw.detected]
    if not len(xy):
        return None
    span = np.nanmax(xy[:, :, 1], axis=1) - np.nanmin(xy[:, :, 1], axis=1)
    return float(np.median(span)) / clean.raw.height


def cadence_early_late(events: GaitEvents) -> tuple[float, float]:
    """Cadence (steps/min) over the first and the last third of the contacts (NaN with too few steps)."""
    t = np.array([e.time_s for e in events.events if e.kind == "contact"])
    steps = np.diff(t)
    if steps.size < 6 or not np.all(steps > 0):
        return math.nan, math.nan
    third = max(2, steps.size // 3)
    return 60.0 / float(np.median(steps[:third])), 60.0 / float(np.median(steps[-third:]))


def implausible_cadence(cadence: float, activity: str, config: AnalysisConfig) -> str | None:
    """A warning when the cadence cannot be real time (a slow-motion clip without its capture rate)."""
    if not math.isfinite(cadence):
        return None
    low = config.running_min_cadence_spm if activity == "running" else 60.0
    if cadence < low and not config.capture_fps:
        return (
            f"A cadence of {cadence:.0f} steps/min is implausible for {activity or 'gait'}: this looks like a "
            "slow-motion clip. Give the phone's capture rate, often 120 or 240 fps, to get real times."
        )
    if cadence > config.max_cadence_spm:
        return (
            f"A cadence of {cadence:.0f} steps/min is implausible; check the clip's frame rate and the phone's "
            "capture rate."
        )
    return None


def withhold_missing_flight(metrics: dict[str, MetricSummary], activity: str) -> dict[str, MetricSummary]:
    """Withhold a flight time that does not exist (walking: both feet are down together) or that the events
    cannot resolve (a negative mean while running), instead of reporting a negative time."""
    ft = metrics.get("flight_time_ms")
    if ft is None or ft.value is None:
        return metrics
    if activity == "walking":
        reason = "walking has no flight phase: both feet are on the ground together (double support)"
    elif ft.value < 0:
        reason = "no measurable flight phase: each contact lasts into the next step at this frame rate"
    else:
        return metrics
    withheld = MetricSummary(name=ft.name, value=None, unit=ft.unit, n=ft.n, quality="unavailable", reason=reason)
    return {**metrics, "flight_time_ms": withheld}
