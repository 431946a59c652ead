"""The belt line in the picture: a rolled phone is measured from the toe's path on the belt (synthetic runners
with known roll) and reported; angles against the picture's vertical are lowered only when it must be a roll."""

from __future__ import annotations

import numpy as np
import pytest

from gait import AnalysisConfig, analyze_pose
from gait import landmarks as L
from gait.camera import belt_rise_deg, tilt_finding
from gait.clean import clean_pose
from gait.events import detect_events
from gait.synthetic import make_pose
from gait.types import PoseSequence
from tests.helpers import HEALTHY, info_for


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
    return belt_rise_deg(clean, events.of(kind="contact"), events.of(kind="toe_off"))


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
    from gait.camera import near_far_leg_ratio, perspective_warning

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
