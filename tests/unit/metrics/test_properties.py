"""Property-based tests: odd signals (NaN gaps, constants, extremes, very short) never raise anything but
GaitError and never give out-of-range values."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gait.core.config import AnalysisConfig
from gait.core.errors import GaitError
from gait.core.types import PoseSequence, VideoInfo
from gait.kinematics.clean import fill_gaps, lowpass, remove_outliers
from gait.kinematics.rhythm import step_period_s
from gait.metrics.geometry import compute_angle_deg, compute_incline_deg, compute_segment_angle_deg

finite = st.floats(-1e6, 1e6, allow_nan=False)
maybe_nan = st.one_of(st.floats(-1e4, 1e4, allow_nan=False), st.just(float("nan")))
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(arrays(np.float64, st.integers(0, 80), elements=maybe_nan), st.integers(1, 10))
def test_fill_gaps_never_invents_ends_and_keeps_known_values(x: np.ndarray, gap: int) -> None:
    out = fill_gaps(x, gap)
    known = np.isfinite(x)
    np.testing.assert_array_equal(out[known], x[known])
    assert out.shape == x.shape


@SETTINGS
@given(arrays(np.float64, st.integers(0, 120), elements=maybe_nan), st.sampled_from([15.0, 30.0, 60.0, 240.0]))
def test_lowpass_and_outliers_keep_shape_and_nan_layout(x: np.ndarray, fps: float) -> None:
    out = lowpass(x, fps, AnalysisConfig().cutoff_for(fps))
    assert out.shape == x.shape
    np.testing.assert_array_equal(np.isnan(out), np.isnan(x))
    clean = remove_outliers(x, 2, 5.0)
    assert clean.shape == x.shape and not (np.isfinite(clean) & ~np.isfinite(x)).any()


@SETTINGS
@given(arrays(np.float64, st.integers(0, 400), elements=maybe_nan), st.sampled_from([25.0, 30.0, 59.94, 120.0]))
def test_step_period_is_none_or_in_range(x: np.ndarray, fps: float) -> None:
    """In the range asked for, or below it only as half of a lag inside it (a rhythm too fast for the range: a
    clip played fast), never anything else."""
    p = step_period_s(x, fps, 0.2, 2.0)
    assert p is None or 0.2 - 1.0 / fps <= p <= 2.0 + 1.0 / fps or 0.2 - 1.0 / fps <= 2 * p * 1.3 <= 2.0 + 1.0 / fps


@SETTINGS
@given(
    arrays(np.float64, 2, elements=finite),
    arrays(np.float64, 2, elements=finite),
    arrays(np.float64, 2, elements=finite),
)
def test_angles_are_in_range(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> None:
    ang = compute_angle_deg(a, b, c)
    assert math.isnan(ang) or 0.0 <= ang <= 180.0
    for v in (compute_segment_angle_deg(a, b), compute_incline_deg(a, b)):
        assert -180.0 <= v <= 180.0


def _info(n: int, fps: float) -> VideoInfo:
    return VideoInfo(
        path="synthetic.mp4",
        fps=fps,
        fps_fraction=f"{fps}/1",
        n_frames=n,
        duration_s=n / fps,
        width=640,
        height=480,
        rotation_deg=0,
        codec="h264",
    )


@st.composite
def odd_poses(draw: st.DrawFn) -> PoseSequence:
    n = draw(st.integers(1, 150))
    fps = draw(st.sampled_from([15.0, 30.0, 60.0]))
    kind = draw(st.sampled_from(["noise", "constant", "nan_gaps", "extreme"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if kind == "constant":
        xy = np.broadcast_to(rng.uniform(0, 480, (1, 33, 2)), (n, 33, 2)).copy()
    elif kind == "extreme":
        xy = rng.choice([-1e6, 0.0, 1e6], size=(n, 33, 2))
    else:
        xy = rng.uniform(0, 480, (n, 33, 2))
    if kind == "nan_gaps":
        xy[rng.uniform(size=n) < 0.4] = np.nan
    world = rng.normal(0, 0.3, (n, 33, 3))
    vis = rng.uniform(0, 1, (n, 33))
    return PoseSequence(
        times_s=np.arange(n) / fps,
        frame_index=np.arange(n),
        image_xy_px=xy,
        world_xyz_m=world,
        visibility=vis,
        presence=vis,
        width=640,
        height=480,
        fps=fps,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(odd_poses(), st.sampled_from(["auto", "side", "rear"]))
def test_analysis_of_odd_poses_raises_only_gait_errors_and_stays_in_range(pose: PoseSequence, view: str) -> None:
    from gait import analyze_pose

    try:
        report, _ = analyze_pose(pose, _info(pose.n_frames, pose.fps), AnalysisConfig(view=view))  # type: ignore[arg-type]
    except GaitError:
        return
    for e in report.events:
        assert 0.0 <= e.time_s <= pose.times_s[-1] + 1e-9
    for m in report.metrics.values():
        if m.value is None:
            continue
        assert math.isfinite(m.value)
        if m.name.endswith("_deg"):
            assert -180.0 <= m.value <= 180.0, m
        if m.name.endswith(("_ms", "_s")):
            assert m.value >= 0.0, m
    cad = report.metrics.get("cadence_spm")
    if cad is not None and cad.value is not None and not 30.0 <= cad.value <= 300.0:
        assert report.quality.warnings, "an implausible cadence must carry a warning"
