"""The belt line in the picture: a rolled phone is measured from the toe's path on the belt (synthetic runners
with known roll) and reported; angles against the picture's vertical are lowered only when it must be a roll."""

from __future__ import annotations

import re

import numpy as np
import pytest

from gait import AnalysisConfig, analyze_pose
from gait.capture.verticals import PHONE_FOCAL_LONG_SIDE, VerticalPoint
from gait.checks.camera import belt_rise_deg, tilt_finding
from gait.core import landmarks as L
from gait.core.types import PoseSequence
from gait.kinematics.clean import clean_pose
from gait.kinematics.contacts import detect_events
from gait.metrics.measure import stride_table
from gait.synthetic.runner import make_pose
from tests.support.runners import HEALTHY, info_for


def rolled(pose: PoseSequence, rise_deg: float, facing_sign: float = 1.0) -> PoseSequence:
    """``pose`` as a phone rolled so that a level belt rises ``rise_deg`` towards the runner's front."""
    c = np.array([pose.width / 2, pose.height / 2])
    a = -np.radians(rise_deg) * facing_sign  # image y points down: this lifts the front (x+ when facing right)
    rot = np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]])
    xy = (pose.image_xy_px - c) @ rot.T + c
    return pose.with_(image_xy_px=xy)


def measured(pose: PoseSequence) -> float | None:
    clean = clean_pose(pose, AnalysisConfig())
    events = detect_events(clean, AnalysisConfig())
    return belt_rise_deg(clean, stride_table(clean, events, AnalysisConfig()).stances)


@pytest.mark.parametrize("rise_deg", [0.0, 4.0, -6.0, 12.0])
def test_the_belt_angle_of_a_rolled_phone_is_measured(rise_deg: float) -> None:
    pose = make_pose(fps=60.0, duration_s=12.0, **HEALTHY).pose
    got = measured(rolled(pose, rise_deg))
    assert got is not None and abs(got - rise_deg) <= 1.0, got


def test_the_belt_angle_does_not_depend_on_which_way_the_runner_faces() -> None:
    pose = make_pose(fps=60.0, duration_s=12.0, **HEALTHY).pose
    mirrored = pose.with_(image_xy_px=pose.image_xy_px * np.array([-1.0, 1.0]) + np.array([pose.width, 0.0]))
    got = measured(rolled(mirrored, -6.0, facing_sign=-1.0))
    assert got is not None and abs(got + 6.0) <= 1.0, got


def test_only_what_must_be_a_roll_lowers_the_angles() -> None:
    assert tilt_finding(2.0, 3.0, 8.5) is None
    note = tilt_finding(6.0, 3.0, 8.5)
    assert note is not None and not note[1] and "inclined" in note[0]  # an incline or a roll: a note
    for rise in (-5.0, 13.0):
        warning = tilt_finding(rise, 3.0, 8.5)
        assert warning is not None and warning[1] and "tilted" in warning[0]


def test_a_close_phone_is_seen_in_the_near_leg_looking_longer() -> None:
    from gait.checks.camera import near_far_leg_ratio, perspective_warning

    pose = make_pose(fps=60.0, duration_s=8.0, **HEALTHY).pose
    cfg = AnalysisConfig()
    level = near_far_leg_ratio(clean_pose(pose, cfg))
    assert level is not None and level < 1.02  # the synthetic camera is orthographic
    # The near (left) leg's points 9 % farther from its hip, as a phone 2 m away shows it.
    xy = pose.image_xy_px.copy()
    s = L.SIDE["left"]
    for j in (s["knee"], s["ankle"], s["heel"], s["toe"]):
        xy[:, j] = xy[:, s["hip"]] + 1.09 * (xy[:, j] - xy[:, s["hip"]])
    close = near_far_leg_ratio(clean_pose(pose.with_(image_xy_px=xy), cfg))
    assert close is not None and abs(close - 1.09) < 0.02, close
    warning = perspective_warning(close, cfg.perspective_max_leg_ratio)
    assert warning is not None and "9 %" in warning and perspective_warning(level, 1.08) is None


def test_a_rolled_phone_is_reported_and_lowers_trunk_lean_and_shin_angle() -> None:
    pose = rolled(make_pose(fps=60.0, duration_s=12.0, **HEALTHY).pose, -6.0)
    report, _ = analyze_pose(pose, info_for(pose, 60.0), AnalysisConfig(height_cm=175.0))
    assert any("phone is tilted" in w for w in report.quality.warnings), report.quality.warnings
    for name in ("trunk_lean_deg", "shank_angle_at_contact_deg"):
        assert report.metrics[name].quality != "good" and "tilted" in (report.metrics[name].reason or "")
    assert report.metrics["knee_flexion_at_contact_deg"].quality == "good"  # an angle between segments


def test_a_level_phone_gets_no_tilt_warning() -> None:
    pose = make_pose(fps=60.0, duration_s=12.0, **HEALTHY).pose
    report, _ = analyze_pose(pose, info_for(pose, 60.0), AnalysisConfig(height_cm=175.0))
    assert not any("tilted" in w or "belt rises" in w for w in [*report.quality.warnings, *report.notes])


# --- a phone pitched up or down: the scene's verticals (gait.capture.verticals) ---------------------------------------


def pitched(pose: PoseSequence, pitch_deg: float, shift_x_px: float) -> tuple[PoseSequence, VerticalPoint]:
    """``pose`` moved ``shift_x_px`` sideways (and up by as much as the pitch will bring it down) in the picture of
    a level phone, then seen by the same phone pitched up by ``pitch_deg`` (a turn of the camera maps its
    pictures by the homography K R K⁻¹), with the vertical vanishing point the scene's upright edges would show."""
    w, h = pose.width, pose.height
    f = PHONE_FOCAL_LONG_SIDE * max(w, h)
    shift_px = (shift_x_px, -f * np.tan(np.radians(pitch_deg)))
    k = np.array([[f, 0.0, w / 2], [0.0, f, h / 2], [0.0, 0.0, 1.0]])
    t = np.radians(pitch_deg)
    r = np.array([[1.0, 0.0, 0.0], [0.0, np.cos(t), np.sin(t)], [0.0, -np.sin(t), np.cos(t)]])
    hom = k @ r @ np.linalg.inv(k)
    xy = pose.image_xy_px + np.asarray(shift_px)
    p = np.concatenate([xy, np.ones((*xy.shape[:2], 1))], axis=-1) @ hom.T
    v = k @ r @ np.array([0.0, 1.0, 0.0])  # where the level phone's parallel verticals go
    vp = VerticalPoint(tuple(v / np.linalg.norm(v)), n_segments=20, length_heights=3.0, rms_deg=0.3, width=w, height=h)
    return pose.with_(image_xy_px=p[..., :2] / p[..., 2:]), vp


def test_a_pitched_phone_is_read_from_the_scene_and_its_error_at_the_runner_told() -> None:
    cfg = AnalysisConfig(height_cm=175.0)
    pose = make_pose(fps=60.0, duration_s=12.0, **HEALTHY).pose
    tilted_pose, vp = pitched(pose, 20.0, 0.28 * pose.width)  # the runner right of the middle
    level_pose, _ = pitched(pose, 0.0, 0.28 * pose.width)  # the same place in a level phone's picture
    level, _ = analyze_pose(level_pose, info_for(pose, 60.0), cfg)
    assert vp.pitch_deg() == pytest.approx(20.0, abs=0.01)
    report, _ = analyze_pose(tilted_pose, info_for(tilted_pose, 60.0), cfg, None, vp)
    # What the pitch really does to the trunk lean measured against the picture's vertical:
    error = report.metrics["trunk_lean_deg"].value - level.metrics["trunk_lean_deg"].value
    assert abs(error) > 3.0
    warning = next(w for w in report.quality.warnings if "looks up about 20°" in w)
    told = re.search(r"trunk lean reads about (\d+)° too far (\w+)", warning)
    assert told is not None, warning
    assert float(told.group(1)) == pytest.approx(abs(error), abs=1.0)
    assert told.group(2) == ("forward" if error > 0 else "backward")
    shin = report.metrics["shank_angle_at_contact_deg"].value - level.metrics["shank_angle_at_contact_deg"].value
    told = re.search(r"shin angle about (\d+)° too (\w+)", warning)
    assert told is not None and float(told.group(1)) == pytest.approx(abs(shin), abs=1.0), (warning, shin)
    assert told.group(2) == ("large" if shin > 0 else "small")
    for name in ("trunk_lean_deg", "shank_angle_at_contact_deg"):
        assert report.metrics[name].quality != "good" and "vertical leans" in (report.metrics[name].reason or "")
    assert report.metrics["knee_flexion_at_contact_deg"].quality == "good"  # an angle between segments
    assert not any("belt" in n for n in [*report.notes, *report.quality.warnings])  # the scene settles it


def test_a_level_phone_whose_scene_shows_verticals_gets_nothing_to_say() -> None:
    pose = make_pose(fps=60.0, duration_s=12.0, **HEALTHY).pose
    _, vp = pitched(pose, 0.0, 0.0)
    report, _ = analyze_pose(pose, info_for(pose, 60.0), AnalysisConfig(height_cm=175.0), None, vp)
    said = [*report.quality.warnings, *report.notes]
    assert not any("phone looks" in s or "upright edges" in s or "belt" in s for s in said), said
    assert report.metrics["trunk_lean_deg"].quality == "good"


def test_a_pitched_phone_with_the_runner_in_the_middle_is_a_note() -> None:
    pose = make_pose(fps=60.0, duration_s=12.0, **HEALTHY).pose
    tilted_pose, vp = pitched(pose, 15.0, pose.width / 2 - float(np.nanmedian(pose.image_xy_px[..., 0])))
    report, _ = analyze_pose(tilted_pose, info_for(tilted_pose, 60.0), AnalysisConfig(height_cm=175.0), None, vp)
    assert any("looks up about 15°" in n and "angles against the vertical stand" in n for n in report.notes)
    assert not any("upright edges" in w for w in report.quality.warnings)
    assert report.metrics["trunk_lean_deg"].quality == "good"


def test_a_rolled_phone_behind_the_runner_lowers_the_pelvic_drop_it_skews() -> None:
    cfg = AnalysisConfig(height_cm=175.0)
    pose = make_pose(fps=60.0, duration_s=12.0, view="rear", pelvic_drop_deg=5.0, **HEALTHY).pose
    level, _ = analyze_pose(pose, info_for(pose, 60.0), cfg, None, _parallel_verticals(pose, 0.0))
    assert not any("rolled" in w for w in level.quality.warnings)
    assert level.metrics["pelvic_drop_deg"].quality == "good"
    rolled_pose = rolled(pose, 3.0)
    report, _ = analyze_pose(rolled_pose, info_for(rolled_pose, 60.0), cfg, None, _parallel_verticals(pose, 3.0))
    drop, before = report.metrics["pelvic_drop_deg"], level.metrics["pelvic_drop_deg"]
    # What the roll really does: one leg's drop up by about the roll, the other's down, the mean kept.
    assert abs((drop.left - drop.right) - (before.left - before.right)) == pytest.approx(6.0, abs=1.0)
    assert drop.value == pytest.approx(before.value, abs=0.5)
    warning = next(w for w in report.quality.warnings if "rolled about 3°" in w)
    assert "up to 6°" in warning
    assert drop.quality == "fair" and "rolled" in (drop.reason or "")


def _parallel_verticals(pose: PoseSequence, roll_deg: float) -> VerticalPoint:
    """The vanishing point of a level phone's verticals turned by ``roll_deg`` as :func:`rolled` turns the
    picture (parallel lines: a point at infinity)."""
    a = -np.radians(roll_deg)
    rot = np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]])
    up = rot @ np.array([0.0, -1.0])
    return VerticalPoint((float(up[0]), float(up[1]), 0.0), 20, 3.0, 0.3, pose.width, pose.height)
