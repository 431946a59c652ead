"""Footage checks that lower quality with a specific warning: moving camera, stride out of frame, short clips."""

from __future__ import annotations

import numpy as np
import pytest

from gait import AnalysisConfig, analyze_pose
from gait.synthetic.runner import make_pose
from tests.support.runners import HEALTHY, info_for

CFG = AnalysisConfig(height_cm=175.0)


def _analyse(pose):
    report, _ = analyze_pose(pose, info_for(pose, pose.fps), CFG)
    return report


def test_a_steady_treadmill_runner_gets_no_camera_warning() -> None:
    report = _analyse(make_pose(fps=60.0, **HEALTHY).pose)
    assert not any("moves across" in w or "side of the frame" in w for w in report.quality.warnings)
    assert report.metrics["shank_angle_at_contact_deg"].quality == "good"


def test_a_panning_phone_is_warned_about_and_lowers_quality() -> None:
    pose = make_pose(fps=60.0, **HEALTHY).pose
    xy = pose.image_xy_px.copy()
    xy[..., 0] += np.linspace(-200.0, 200.0, pose.n_frames)[:, None]  # the picture slides 400 px in 12 s
    report = _analyse(pose.with_(image_xy_px=xy))
    assert any("moves across the picture" in w for w in report.quality.warnings), report.quality.warnings
    assert report.metrics["overstride_cm"].quality == "fair"
    assert report.facing == "left"  # the facing comes from the body, not from where the picture moves


def test_a_stride_leaving_the_side_of_the_frame_is_warned_about() -> None:
    pose = make_pose(fps=60.0, **HEALTHY).pose
    xy = pose.image_xy_px.copy()
    xy[..., 0] -= 0.9 * pose.width / 2  # the runner at the left edge: the landing foot leaves the picture
    report = _analyse(pose.with_(image_xy_px=xy))
    assert any("side of the frame" in w for w in report.quality.warnings), report.quality.warnings
    assert report.metrics["shank_angle_at_contact_deg"].quality == "fair"


def test_a_short_clip_warns_and_lowers_every_cue() -> None:
    report = _analyse(make_pose(fps=60.0, duration_s=6.5, **{**HEALTHY, "trunk_lean_deg": 20.0}).pose)
    assert any("only 6 s long" in w for w in report.quality.warnings), report.quality.warnings
    cue = next(c for c in report.cues if c.id == "run_tall")
    assert cue.severity != "flag" and "Severity lowered" in cue.message


def sped_up(start_spm: float, end_spm: float, duration_s: float = 18.0, fps: float = 60.0):
    """A runner whose cadence rises steadily from ``start_spm`` to ``end_spm`` (a time warp of a steady one)."""
    base = HEALTHY["cadence_spm"]
    tp = np.arange(int(duration_s * fps)) / fps
    rate = start_spm / base + (end_spm - start_spm) / base * tp / duration_s
    tau = np.concatenate([[0.0], np.cumsum(0.5 * (rate[1:] + rate[:-1]) / fps)]) + 0.3
    pose = make_pose(fps=fps, duration_s=float(tau[-1]) + 1.0, **HEALTHY).pose

    def warp(arr: np.ndarray) -> np.ndarray:
        flat = arr.reshape(arr.shape[0], -1)
        out = np.stack([np.interp(tau, pose.times_s, flat[:, j]) for j in range(flat.shape[1])], axis=1)
        return out.reshape((tp.size, *arr.shape[1:]))

    return pose.with_(
        times_s=tp,
        frame_index=np.arange(tp.size),
        image_xy_px=warp(pose.image_xy_px),
        world_xyz_m=warp(pose.world_xyz_m),
        visibility=warp(pose.visibility),
        presence=warp(pose.presence),
    )


def test_a_gradual_change_of_pace_is_told_apart_from_slow_motion() -> None:
    report = _analyse(sped_up(156.0, 230.0))
    assert report.metrics["cadence_spm"].value is not None  # not withheld as slow motion
    assert not any("slow motion" in w for w in report.quality.warnings)
    assert any("cadence changes from about" in w for w in report.quality.warnings), report.quality.warnings
    steady = _analyse(sped_up(172.0, 172.0))
    assert not any("cadence changes" in w for w in steady.quality.warnings)


# --- findings ---------------------------------------------------------------------------------------------------


def test_a_lowering_finding_never_raises_a_quality_and_a_setting_one_overrides() -> None:
    from gait.checks.assess import Finding, apply

    start = {"a": ("good", None), "b": ("poor", None), "c": ("fair", "why")}
    lowered = apply([Finding.on(("a", "b", "c"), "fair", "blur")], start)
    assert lowered == {"a": ("fair", "blur"), "b": ("poor", None), "c": ("fair", "why")}
    withheld = apply([Finding.on(("a",), "unavailable", "x", lower_only=False)], lowered)
    assert withheld["a"] == ("unavailable", "x")
    assert apply([Finding.on(("a",), "good", "y", lower_only=False)], withheld)["a"] == ("good", "y")


def test_each_check_is_a_pure_function_of_the_footage_and_a_new_one_plugs_in() -> None:
    from gait.checks.assess import CHECKS, Finding, Footage, assess
    from gait.kinematics.clean import clean_pose
    from gait.kinematics.contacts import detect_events
    from gait.metrics.measure import stride_table

    pose = make_pose(fps=30.0, duration_s=12.0, **HEALTHY).pose
    clean = clean_pose(pose, CFG)
    events = detect_events(clean, CFG)
    footage = Footage(clean, events, stride_table(clean, events, CFG), info_for(pose, 30.0), CFG)
    q, warnings, _ = assess(footage)
    assert q["ground_contact_time_ms"][0] == "fair" and "30 fps" in (q["ground_contact_time_ms"][1] or "")
    assert any("30 fps" in w for w in warnings)
    assert q["pelvic_drop_deg"][0] == "unavailable"  # a side view has no pelvic drop

    def check_tilted(f: Footage) -> Finding | None:
        return Finding.on(("trunk_lean_deg",), "poor", "tilted phone", "The phone is tilted.")

    q2, warnings2, _ = assess(footage, (*CHECKS, check_tilted))
    assert q2["trunk_lean_deg"] == ("poor", "tilted phone") and warnings2[-1] == "The phone is tilted."
    assert q2["cadence_spm"] == q["cadence_spm"]


def test_a_finding_cannot_lower_a_metric_without_saying_why() -> None:
    import pytest

    from gait.checks.findings import Finding

    with pytest.raises(ValueError, match="overstride_cm without a reason"):
        Finding.on(["overstride_cm"], "fair", None, "a warning")
    assert Finding.on(["overstride_cm"], "good", None).affects  # raising it back needs no reason


def test_every_metric_below_good_says_why_on_hostile_synthetic_clips() -> None:
    short = make_pose(fps=60.0, duration_s=3.0, **HEALTHY).pose  # too few strides, too short
    gaps = make_pose(fps=60.0, **HEALTHY).pose
    xy = gaps.image_xy_px.copy()
    xy[::3] = np.nan  # the runner lost in a third of the frames
    low = make_pose(fps=60.0, **HEALTHY).pose
    feet = low.image_xy_px.copy()
    feet[..., 1] += 0.12 * low.height  # the feet below the bottom of the picture
    for pose in (short, gaps.with_(image_xy_px=xy), low.with_(image_xy_px=feet)):
        report = _analyse(pose)
        lowered = {n: m.reason for n, m in report.metrics.items() if m.quality != "good"}
        assert lowered, report.quality.warnings
        assert all(lowered.values()), {n: r for n, r in lowered.items() if not r}


@pytest.mark.parametrize("fps", [12.0, 20.0])
def test_below_24_fps_the_values_read_at_one_instant_are_poor_and_drive_no_cue(fps: float) -> None:
    """A frame longer than the landing: shin, knee, foot angle, overstride, hip extension and the contact times
    cannot be read (the treadmill clip at 10 fps read its shin angle -12° instead of 8°); cadence still can."""
    from gait import AnalysisConfig
    from gait.checks.assess import INSTANT_METRICS
    from tests.support.runners import OVERSTRIDER, analyse

    report, _ = analyse(AnalysisConfig(), fps=fps, **OVERSTRIDER)
    for name in INSTANT_METRICS:
        m = report.metrics[name]
        assert m.quality in ("poor", "unavailable"), (name, m.quality)
        assert m.quality == "unavailable" or f"{fps:.0f} fps" in (m.reason or ""), (name, m.reason)
    assert report.metrics["cadence_spm"].quality != "poor"
    on_instants = {"land_under_hips", "open_hips", "heel_strike"}
    assert not {c.id for c in report.cues} & on_instants
    assert any("a frame lasts" in w for w in report.quality.warnings)
    at_30, _ = analyse(AnalysisConfig(), fps=30.0, **OVERSTRIDER)
    assert at_30.metrics["shank_angle_at_contact_deg"].quality != "poor"
    assert {c.id for c in at_30.cues} & on_instants  # the same runner filmed at 30 fps gets them
