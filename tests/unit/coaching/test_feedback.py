"""The feedback engine's rules on metric summaries built to show (or not show) each cue."""

from __future__ import annotations

import pytest

from gait.coaching.rules import generate_cues
from gait.coaching.words import DRILLS, EVIDENCE, GRADUAL_LOAD, RED_FLAGS
from gait.core.config import AnalysisConfig
from gait.core.types import MetricSummary
from gait.metrics.registry import REGISTRY
from tests.support.summaries import healthy, summary

CFG = AnalysisConfig()
_R = {name: spec.resolution for name, spec in REGISTRY.items()}


def ids(metrics: dict[str, MetricSummary], activity: str = "running") -> dict[str, str]:
    return {c.id: c.severity for c in generate_cues(metrics, [], CFG, activity)}


def test_healthy_runner_gets_positive_feedback_only() -> None:
    assert ids(healthy()) == {"good_form": "good"}


@pytest.mark.parametrize(
    ("changes", "cue", "severity"),
    [
        # Each value passes its threshold by 1 more than the metric's resolution (gait/metrics/registry.py).
        ({"trunk_lean_deg": CFG.trunk_lean_watch_deg + _R["trunk_lean_deg"] + 1}, "run_tall", "watch"),
        ({"trunk_lean_deg": CFG.trunk_lean_flag_deg + _R["trunk_lean_deg"] + 1}, "run_tall", "flag"),
        ({"trunk_lean_deg": CFG.trunk_lean_min_deg - _R["trunk_lean_deg"] - 1}, "run_tall", "watch"),
        ({"waist_bend_deg": CFG.waist_bend_flag_deg + _R["waist_bend_deg"] + 1}, "lean_from_ankles", "watch"),
        (
            {"shank_angle_at_contact_deg": CFG.shank_angle_watch_deg + _R["shank_angle_at_contact_deg"] + 1},
            "land_under_hips",
            "watch",
        ),
        (
            {"shank_angle_at_contact_deg": CFG.shank_angle_flag_deg + _R["shank_angle_at_contact_deg"] + 1},
            "land_under_hips",
            "flag",
        ),
        ({"hip_extension_deg": CFG.hip_extension_watch_deg - _R["hip_extension_deg"] - 1}, "open_hips", "watch"),
        ({"hip_extension_deg": CFG.hip_extension_flag_deg - _R["hip_extension_deg"] - 1}, "open_hips", "flag"),
        ({"arm_crossover_pct": 80.0}, "quiet_upper_body", "watch"),
    ],
)
def test_each_cue_fires_when_shown(changes: dict[str, float], cue: str, severity: str) -> None:
    m = healthy()
    for k, v in changes.items():
        m[k] = summary(k, v)
    got = ids(m)
    assert got.get(cue) == severity, got
    assert "good_form" not in got


@pytest.mark.parametrize(
    ("changes", "cue"),
    [
        ({"trunk_lean_deg": -0.8}, "run_tall"),  # a round-one report said "your trunk leans 1° backward"
        ({"trunk_lean_deg": 13.5}, "run_tall"),
        ({"shank_angle_at_contact_deg": 9.5}, "land_under_hips"),
        ({"hip_extension_deg": 8.0}, "open_hips"),
        ({"waist_bend_deg": 6.0}, "lean_from_ankles"),
    ],
)
def test_no_cue_from_a_number_inside_the_measurement_resolution(changes: dict[str, float], cue: str) -> None:
    m = healthy()
    for k, v in changes.items():
        m[k] = summary(k, v)
    assert cue not in ids(m)


def test_an_unvalidated_metric_never_drives_a_cue() -> None:
    m = healthy()
    m["torso_rotation_deg"] = summary("torso_rotation_deg", 60.0)  # even if a value were present
    assert "quiet_upper_body" not in ids(m)


def test_a_left_right_difference_inside_the_resolution_is_not_a_cue() -> None:
    m = healthy()
    m["ground_contact_time_ms"] = summary(
        "ground_contact_time_ms", 100.0, left=107.0, right=93.0, asymmetry_pct=14.0, left_right_diff=14.0
    )
    assert "even_sides" not in ids(m)  # 14 ms is inside the 15 ms a phone resolves
    m["ground_contact_time_ms"] = summary(
        "ground_contact_time_ms", 250.0, left=275.0, right=225.0, asymmetry_pct=20.0, left_right_diff=50.0
    )
    assert ids(m).get("even_sides") == "watch"


def test_pelvic_drop_uses_the_worse_side_and_names_it() -> None:
    m = healthy()
    m["pelvic_drop_deg"] = summary("pelvic_drop_deg", 6.0, left=9.0, right=4.0)
    cues = {c.id: c for c in generate_cues(m, [], CFG, "running")}
    assert cues["pelvis_level"].severity == "flag" and "left leg" in cues["pelvis_level"].message
    m["pelvic_drop_deg"] = summary("pelvic_drop_deg", 3.5, left=4.0, right=3.0)
    assert "pelvis_level" not in ids(m)


def test_cadence_cue_needs_overstride_and_is_relative() -> None:
    m = healthy()
    m["cadence_spm"] = summary("cadence_spm", 150.0)
    assert "increase_cadence" not in ids(m)  # low cadence alone is not a fault
    m["shank_angle_at_contact_deg"] = summary(
        "shank_angle_at_contact_deg", CFG.shank_angle_watch_deg + _R["shank_angle_at_contact_deg"] + 1
    )
    cues = {c.id: c for c in generate_cues(m, [], CFG, "running")}
    assert cues["increase_cadence"].numbers["target_spm"] == [158, 165]  # +5-10 % of 150, not "180"
    m["cadence_spm"] = summary("cadence_spm", 178.0)
    assert "increase_cadence" not in ids(m)


def test_heel_strike_alone_is_not_a_fault() -> None:
    m = healthy()
    m["foot_strike_angle_deg"] = summary("foot_strike_angle_deg", 15.0, extra={"pattern": "rearfoot"})
    got = ids(m)
    assert got["heel_strike"] == "info" and "good_form" in got
    m["shank_angle_at_contact_deg"] = summary(
        "shank_angle_at_contact_deg", CFG.shank_angle_watch_deg + _R["shank_angle_at_contact_deg"] + 1
    )
    cues = {c.id: c for c in generate_cues(m, [], CFG, "running")}
    assert "landing ahead" in cues["heel_strike"].message


def test_running_cues_are_not_given_to_walkers() -> None:
    m = healthy()
    m["shank_angle_at_contact_deg"] = summary("shank_angle_at_contact_deg", 20.0)
    assert "land_under_hips" in ids(m, "running")
    assert "land_under_hips" not in ids(m, "walking")


def test_unreliable_data_lowers_severity_and_says_why() -> None:
    m = healthy()
    lean = CFG.trunk_lean_flag_deg + _R["trunk_lean_deg"] + 1  # a flag, were the data reliable
    m["trunk_lean_deg"] = summary("trunk_lean_deg", lean, quality="fair", n=3)
    cues = {c.id: c for c in generate_cues(m, [], CFG, "running")}
    assert cues["run_tall"].severity == "watch"
    assert "lowered" in cues["run_tall"].message and "3" in cues["run_tall"].message


def test_a_poor_number_drives_no_cue_and_no_praise() -> None:
    """Poor quality: the footage cannot support the number (e.g. a bit-rotted file with the pose in 10 % of frames
    read a 75° trunk lean). It is shown with its reason, but neither a cue nor "Good form" rests on it."""
    m = healthy()
    m["trunk_lean_deg"] = summary("trunk_lean_deg", 75.0, quality="poor", n=3, reason="pose found in 10 % of frames")
    got = ids(m)
    assert "run_tall" not in got and "good_form" not in got, got
    m = healthy()
    m["shank_angle_at_contact_deg"] = summary("shank_angle_at_contact_deg", 20.0, quality="poor", reason="10 fps")
    assert "land_under_hips" not in ids(m)


def test_unmeasured_metric_never_triggers() -> None:
    m = healthy()
    m["trunk_lean_deg"] = summary("trunk_lean_deg", None, quality="unavailable")
    assert "run_tall" not in ids(m)


def test_asymmetry_cue() -> None:
    m = healthy()
    m["ground_contact_time_ms"] = summary(
        "ground_contact_time_ms", 250.0, left=275.0, right=225.0, asymmetry_pct=20.0, left_right_diff=50.0
    )
    cues = {c.id: c for c in generate_cues(m, [], CFG, "running")}
    assert cues["even_sides"].severity == "watch" and "left" in cues["even_sides"].message


def test_every_cue_has_evidence_and_one_to_three_drills() -> None:
    for cid, drills in DRILLS.items():
        assert 1 <= len(drills) <= 3 and EVIDENCE[cid]
    assert "numbness" in RED_FLAGS and "1-2 weeks" in RED_FLAGS and "10 %" in GRADUAL_LOAD


def test_key_frames_pick_the_most_extreme_strides() -> None:
    from gait.coaching.engine import key_frames

    rows = [{"trunk_lean_midstance_deg": v, "midstance_frame": f} for v, f in [(5, 10), (20, 30), (15, 50), (9, 70)]]
    assert key_frames(rows, "trunk_lean_midstance_deg", "midstance_frame", k=2) == (30, 50)


def test_walking_gets_no_running_cues() -> None:
    m = healthy()
    m["trunk_lean_deg"] = summary("trunk_lean_deg", 20.0)
    assert ids(m, activity="walking") == {}
    assert "run_tall" in ids(m, activity="running")


def test_the_landing_drill_asks_for_more_cadence_only_below_the_typical_range() -> None:
    m = healthy()
    m["shank_angle_at_contact_deg"] = summary("shank_angle_at_contact_deg", 15.0)
    m["cadence_spm"] = summary("cadence_spm", 169.0)
    cue = next(c for c in generate_cues(m, [], CFG, "running") if c.id == "land_under_hips")
    assert not any("cadence" in d for d in cue.drills) and 1 <= len(cue.drills) <= 3
    m["cadence_spm"] = summary("cadence_spm", 150.0)
    cue = next(c for c in generate_cues(m, [], CFG, "running") if c.id == "land_under_hips")
    assert any("cadence" in d for d in cue.drills)


def test_the_hip_cue_shows_toe_off_frames() -> None:
    from tests.support.runners import HIP_CUE_RUNNER, analyse

    report, _ = analyse(fps=60.0, **HIP_CUE_RUNNER)
    cue = next(c for c in report.cues if c.id == "open_hips")
    toe_offs = {e.frame for e in report.events if e.kind == "toe_off"}
    assert cue.frames and set(cue.frames) <= toe_offs


def test_a_value_within_the_resolution_of_a_threshold_is_marked_borderline_not_watch() -> None:
    from gait.metrics.assessment import SCREENING_MARK
    from gait.metrics.assessment import mark_for as mark

    MARK_BORDERLINE, MARK_ZONE = SCREENING_MARK["borderline"], SCREENING_MARK

    assert mark("shank_angle_at_contact_deg", 8.3, CFG) == MARK_BORDERLINE  # the sample's shin: no cue either
    assert mark(
        "shank_angle_at_contact_deg", CFG.shank_angle_watch_deg + _R["shank_angle_at_contact_deg"] + 0.5, CFG
    ).startswith(MARK_ZONE["watch"])
    r = _R["hip_extension_deg"]
    # Past watch (10°) but within the resolution of flag (5°): watch, not flag.
    assert mark("hip_extension_deg", CFG.hip_extension_flag_deg - r + 1, CFG).startswith(MARK_ZONE["watch"])
    assert mark("hip_extension_deg", CFG.hip_extension_flag_deg - r - 1, CFG).startswith(MARK_ZONE["flag"])
    assert mark("hip_extension_deg", CFG.hip_extension_watch_deg - r + 1, CFG).startswith(MARK_BORDERLINE)
    m = healthy()
    m["shank_angle_at_contact_deg"] = summary("shank_angle_at_contact_deg", 8.3)
    assert "land_under_hips" not in ids(m)


def test_a_value_is_called_typical_only_as_far_as_its_resolution_allows() -> None:
    from gait.metrics.assessment import TYPICAL_MARK
    from gait.metrics.assessment import mark_for as mark

    MARK_IN, MARK_HIGH, MARK_LOW = TYPICAL_MARK["typical"], TYPICAL_MARK["above"], TYPICAL_MARK["below"]

    lo, hi = REGISTRY["cadence_spm"].typical or (0.0, 0.0)
    r = _R["cadence_spm"]
    assert mark("cadence_spm", (lo + hi) / 2, CFG) == MARK_IN
    assert mark("cadence_spm", hi + r / 2, CFG) == ""  # above the range, within its resolution
    assert mark("cadence_spm", hi + r + 0.5, CFG) == MARK_HIGH
    assert mark("cadence_spm", lo - r - 0.5, CFG).endswith(MARK_LOW)  # (a low cadence is also a screening watch)
    # Vertical bounce: typical 7-12 % of the leg, but the hip landmarks are good to 6 %: the treadmill sample's
    # 15.1 % (the head says 10.0 %) is not called above most runners, nor anything in the range typical.
    assert mark("vertical_oscillation_leg_pct", 15.1, CFG) == ""
    assert mark("vertical_oscillation_leg_pct", 9.5, CFG) == ""
    assert mark("trunk_lean_deg", 8.0, CFG) == ""


def test_no_praise_while_a_number_reads_watch_and_the_heel_strike_note_says_why_it_is_fine() -> None:
    """The sample runner: overstride past its watch line (it reads "⚠ watch" in the table) but landing with a bent
    knee and the shin near vertical, so no stride cue; the praise must not say all is inside the ranges."""
    from gait.metrics.assessment import SCREENING_MARK as MARK_ZONE
    from gait.metrics.assessment import mark_for as mark

    m = healthy()
    over = CFG.overstride_watch_leg_pct + _R["overstride_leg_pct"] + 3
    m["overstride_leg_pct"] = summary("overstride_leg_pct", over)
    m["foot_strike_angle_deg"] = summary("foot_strike_angle_deg", 19.0, extra={"pattern": "rearfoot"})
    assert mark("overstride_leg_pct", over, CFG) == MARK_ZONE["watch"]
    cues = {c.id: c for c in generate_cues(m, [], CFG, "running")}
    assert "land_under_hips" not in cues and "good_form" not in cues, list(cues)
    note = cues["heel_strike"].message
    assert f"{over:.0f} % of your leg length ahead" in note and "close under you" not in note
    # The knee is credited only when it is bent clearly past the straight-knee line, by more than the knee angle's
    # resolution (at 30 fps the stride rows read it ~7° more bent than hand-placed joints: it straightens fast just
    # before landing, and a fraction of a frame moves it); otherwise only the shin is.
    clearly_bent = CFG.straight_knee_at_contact_deg + _R["knee_flexion_at_contact_deg"] + 1
    for knee, credited in ((clearly_bent, True), (CFG.straight_knee_at_contact_deg - 2, False)):
        m["knee_flexion_at_contact_deg"] = summary("knee_flexion_at_contact_deg", knee)
        cues = {c.id: c for c in generate_cues(m, [], CFG, "running")}
        note = cues["heel_strike"].message
        assert ("knee bent" in note) is credited, note
        assert "shin near vertical" in note and "land_under_hips" not in cues
    assert "good_form" in ids(healthy())  # the healthy runner is still praised


def test_the_heel_strike_note_never_says_close_under_you_without_a_measured_overstride() -> None:
    m = healthy()
    m["foot_strike_angle_deg"] = summary("foot_strike_angle_deg", 19.0, extra={"pattern": "rearfoot"})
    del m["overstride_leg_pct"]
    note = {c.id: c for c in generate_cues(m, [], CFG, "running")}["heel_strike"].message
    assert "close under you" not in note and "ahead of your hips" not in note
    m = healthy()
    m["foot_strike_angle_deg"] = summary("foot_strike_angle_deg", 19.0, extra={"pattern": "rearfoot"})
    m["overstride_leg_pct"] = summary("overstride_leg_pct", 40.0)
    del m["shank_angle_at_contact_deg"]
    note = {c.id: c for c in generate_cues(m, [], CFG, "running")}["heel_strike"].message
    assert "40 % of your leg length ahead" in note and "fine" not in note


def test_the_heel_strike_note_calls_the_shin_near_vertical_only_when_it_clearly_is() -> None:
    """The sample runner's shin (8°) sits on the 8° watch line, which the table marks borderline: the note must not
    call it near vertical, only not clearly past the line."""
    m = healthy()
    m["foot_strike_angle_deg"] = summary("foot_strike_angle_deg", 19.0, extra={"pattern": "rearfoot"})
    m["overstride_leg_pct"] = summary("overstride_leg_pct", CFG.overstride_watch_leg_pct + _R["overstride_leg_pct"] + 3)
    for shank, near_vertical in (
        (CFG.shank_angle_watch_deg + 0.3, False),
        (CFG.shank_angle_watch_deg - _R["shank_angle_at_contact_deg"] - 1, True),
    ):
        m["shank_angle_at_contact_deg"] = summary("shank_angle_at_contact_deg", shank)
        cues = {c.id: c for c in generate_cues(m, [], CFG, "running")}
        assert "land_under_hips" not in cues
        note = cues["heel_strike"].message
        assert ("shin near vertical" in note) is near_vertical, note
        assert near_vertical or f"not clearly past the {CFG.shank_angle_watch_deg:g}°" in note, note


def test_an_overstride_within_the_noise_of_its_watch_line_is_neither_close_under_you_nor_too_far() -> None:
    m = healthy()
    m["foot_strike_angle_deg"] = summary("foot_strike_angle_deg", 19.0, extra={"pattern": "rearfoot"})
    res = _R["overstride_leg_pct"]
    for over, words in (
        (CFG.overstride_watch_leg_pct + res - 1, f"close to the {CFG.overstride_watch_leg_pct:g} %"),
        (CFG.overstride_watch_leg_pct - res + 1, f"close to the {CFG.overstride_watch_leg_pct:g} %"),
        (CFG.overstride_watch_leg_pct - res - 1, "close under you"),
    ):
        m["overstride_leg_pct"] = summary("overstride_leg_pct", over)
        note = {c.id: c for c in generate_cues(m, [], CFG, "running")}["heel_strike"].message
        assert words in note, (over, note)
        assert ("close under you" in note) is (words == "close under you"), note


def test_praise_names_the_numbers_that_sit_on_a_screening_line() -> None:
    m = healthy()
    assert "inside the screening lines" in _good(m) and "clearly" not in _good(m)
    m["overstride_leg_pct"] = summary("overstride_leg_pct", CFG.overstride_watch_leg_pct + _R["overstride_leg_pct"] / 2)
    m["overstride_cm"] = summary("overstride_cm", 100.0)  # clear of every line it has (none): not named twice
    message = _good(m)
    assert "your overstride sits on a screening line" in message, message


def _good(m: dict[str, MetricSummary]) -> str:
    return {c.id: c for c in generate_cues(m, [], CFG, "running")}["good_form"].message
