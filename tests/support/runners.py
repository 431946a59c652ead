"""Synthetic runners with known geometry (:mod:`gait.synthetic.runner`): the healthy base, runners with one
thing changed, and their analyses.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

#: A runner with no form problem (every cue quiet), the base the other synthetic runners change one thing of.
HEALTHY: dict[str, Any] = dict(
    overstride_cm=14.0,
    knee_flexion_at_contact_deg=25.0,
    contact_time_ms=300.0,
    belt_speed_kmh=9.0,
    trunk_lean_deg=6.0,
    cadence_spm=172.0,
)
#: A runner landing far ahead: shin ≈ 16° at landing, past the 8° watch line by more than the shin's 6° resolution.
OVERSTRIDER: dict[str, Any] = {
    **HEALTHY,
    "overstride_cm": 32.0,
    "knee_flexion_at_contact_deg": 10.0,
    "contact_time_ms": 260.0,
}
#: A runner whose thigh reaches only ~5° behind the trunk at push-off (truth −5.0°): the hip cue, inside what a running
#: stride can show (a thigh further forward is a failed measurement, gait.metrics.plausibility).
HIP_CUE_RUNNER: dict[str, Any] = {**HEALTHY, "contact_time_ms": 250.0}
LEANER: dict[str, Any] = {**HEALTHY, "trunk_lean_deg": 23.0}  # past the 15° flag by more than the 6° resolution


def first_frames(pose: Any, n: int) -> Any:
    """The first ``n`` frames of a PoseSequence (a clip cut short)."""
    per_frame = ("times_s", "frame_index", "image_xy_px", "world_xyz_m", "visibility", "presence")
    return pose.with_(**{name: getattr(pose, name)[:n] for name in per_frame})


def info_for(pose: Any, fps: float | None = None, **overrides: Any) -> Any:
    """The VideoInfo of a synthetic ``pose`` (at its own rate unless ``fps`` is given), with ``overrides``."""
    from gait.core.types import VideoInfo

    fps = pose.fps if fps is None else fps
    base: dict[str, Any] = dict(
        path="synthetic.mp4",
        fps=fps,
        fps_fraction=f"{fps:g}/1",
        n_frames=pose.n_frames,
        duration_s=float(pose.times_s[-1]),
        width=pose.width,
        height=pose.height,
        rotation_deg=0,
        codec="h264",
    )
    return VideoInfo(**{**base, **overrides})


def analyse(config: Any = None, **kw: Any) -> tuple[Any, dict]:
    """(report, truth) of a synthetic runner ``make_pose(**kw)``, by default with a 175 cm height."""
    from gait import AnalysisConfig, analyze_pose
    from gait.synthetic.runner import make_pose

    runner = make_pose(**kw)
    report, _ = analyze_pose(runner.pose, info_for(runner.pose), config or AnalysisConfig(height_cm=175.0))
    return report, runner.truth


@cache
def synthetic_report(name: str) -> Any:
    """The report of the synthetic ``"healthy"``, ``"overstrider"`` or ``"leaner"`` runner at 60 fps (computed once
    per process: reports are frozen)."""
    from gait import AnalysisConfig

    kw = {"healthy": HEALTHY, "overstrider": OVERSTRIDER, "leaner": LEANER}[name]
    return analyse(AnalysisConfig(height_cm=175.0), fps=60.0, **kw)[0]


def cue_flip_explained(a: Any, b: Any, cue_id: str, slack: float = 0.05) -> bool:
    """For a cue given in one report and not the other: True when its number moved across the edge where the
    cue starts to fire (its threshold moved by the metric's resolution) between the two reports. A value at that
    edge flips the cue on any change, however small; anywhere else a cue must not come or go."""
    from gait.metrics.registry import REGISTRY

    cue = next(c for c in (*a.cues, *b.cues) if c.id == cue_id)
    threshold = cue.numbers.get("threshold_deg")
    name = next((n for n in REGISTRY for key in cue.numbers if key.startswith(n)), None)
    if threshold is None or name is None:
        return False
    va, vb = a.metrics[name].value, b.metrics[name].value
    if va is None or vb is None:
        return False
    lo, hi = min(va, vb) - slack, max(va, vb) + slack
    r = REGISTRY[name].resolution
    return any(lo <= edge <= hi for edge in (threshold - r, threshold + r))


def slowed_in_the_middle(factor: float, real_s: tuple[float, float, float] = (8.0, 2.0, 8.0), fps: float = 60.0):
    """A clip whose middle ``real_s[1]`` seconds play ``factor`` × slower (a phone's slow-motion section), at a
    constant frame rate: each frame shows the runner at the real instant of a piecewise-linear time warp."""
    a, b, c = real_s
    from gait.synthetic.runner import make_pose

    pose = make_pose(fps=fps, duration_s=a + b + c + 0.5, **HEALTHY).pose
    n = int((a + factor * b + c) * fps)
    tp = np.arange(n) / fps
    tau = np.where(tp < a, tp, np.where(tp < a + factor * b, a + (tp - a) / factor, tp - (factor - 1) * b))

    def warp(arr: np.ndarray) -> np.ndarray:
        flat = arr.reshape(arr.shape[0], -1)
        out = np.stack([np.interp(tau, pose.times_s, flat[:, j]) for j in range(flat.shape[1])], axis=1)
        return out.reshape((n, *arr.shape[1:]))

    return pose.with_(
        times_s=tp,
        frame_index=np.arange(n),
        image_xy_px=warp(pose.image_xy_px),
        world_xyz_m=warp(pose.world_xyz_m),
        visibility=warp(pose.visibility),
        presence=warp(pose.presence),
    )
