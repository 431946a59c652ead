"""Event sanity (gait/kinematics/event_sanity.py): duplicates are repaired, broken event lists are never read as a gait
(issue 23, failure 1: 37 "contacts", three of them in one frame, averaged into a 158 steps/min cadence)."""

from __future__ import annotations

import math

from gait import AnalysisConfig, analyze_pose
from gait.core.labels import LabelledEvent
from gait.core.types import GaitEvent
from gait.kinematics.event_sanity import event_problems, keep_distinct_steps
from gait.synthetic.runner import make_pose
from tests.support.runners import HEALTHY, info_for

CFG = AnalysisConfig(height_cm=175.0)


def _contact(foot: str, frame: int, fps: float = 30.0) -> GaitEvent:
    return GaitEvent(foot=foot, kind="contact", frame=frame, time_s=frame / fps)  # type: ignore[arg-type]


def _toe_off(foot: str, frame: int, fps: float = 30.0) -> GaitEvent:
    return GaitEvent(foot=foot, kind="toe_off", frame=frame, time_s=frame / fps)  # type: ignore[arg-type]


def _run(n: int, step: int = 11, start: int = 5) -> list[GaitEvent]:
    out = []
    for k in range(n):
        foot = "left" if k % 2 == 0 else "right"
        out += [_contact(foot, start + k * step), _toe_off(foot, start + k * step + 7)]
    return out


def test_keep_distinct_steps_keeps_the_strongest_of_a_cluster() -> None:
    # Three candidates in one frame and one a frame later, then a real step 11 frames on.
    kept = keep_distinct_steps([81.0, 81.0, 81.2, 82.0, 93.0], [50.0, 120.0, 60.0, 80.0, 110.0], min_gap=5.4)
    assert kept == [1, 4]


def test_keep_distinct_steps_leaves_real_steps_alone() -> None:
    pos = [5.0 + 11 * k for k in range(10)]
    assert keep_distinct_steps(pos, [1.0] * 10, min_gap=5.4) == list(range(10))


def test_a_clean_run_has_no_problems() -> None:
    assert event_problems(_run(12), min_step_s=0.18, max_gap_s=0.6) == []


def test_three_contacts_in_one_frame_are_a_problem() -> None:
    events = [*_run(6), _contact("right", 81), _contact("left", 81), _contact("right", 81)]
    problems = event_problems(events, min_step_s=0.18, max_gap_s=0.6)
    assert any("share a frame" in p and "81" in p for p in problems), problems


def test_a_step_shorter_than_any_runners_is_a_problem() -> None:
    events = [*_run(6), _contact("right", 70), _contact("left", 73)]  # 100 ms apart at 30 fps
    problems = event_problems(events, min_step_s=0.18, max_gap_s=0.6)
    assert any("shorter than any runner" in p for p in problems), problems


def test_a_foot_landing_twice_without_lifting_is_a_problem() -> None:
    events = [e for e in _run(12) if e.kind == "contact"]  # no toe-off at all
    problems = event_problems(events, min_step_s=0.18, max_gap_s=0.6)
    assert any("without leaving the belt" in p for p in problems), problems


def test_one_missed_toe_off_is_not_a_broken_clip() -> None:
    events = _run(12)
    events.remove(next(e for e in events if e.kind == "toe_off" and e.frame > 40))
    assert event_problems(events, min_step_s=0.18, max_gap_s=0.6) == []


def test_contacts_in_one_frame_are_never_averaged_into_a_cadence() -> None:
    """Failure 1 of issue 23 in an event list: the cadence is withheld with its reason, not averaged."""
    pose = make_pose(fps=30.0, **HEALTHY).pose
    good, _ = analyze_pose(pose, info_for(pose, pose.fps), CFG)
    assert good.metrics["cadence_spm"].value is not None
    edits = [LabelledEvent(e.kind, e.frame, e.foot) for e in good.events]
    c = [e for e in good.events if e.kind == "contact"][8]
    other = "left" if c.foot == "right" else "right"
    edits += [LabelledEvent("contact", c.frame, other), LabelledEvent("contact", c.frame, c.foot)]
    report, _ = analyze_pose(pose, info_for(pose, pose.fps), CFG, event_edits=tuple(edits))
    cadence = report.metrics["cadence_spm"]
    assert cadence.value is None or math.isnan(cadence.value), cadence
    assert cadence.quality == "unavailable" and "could not be read" in (cadence.reason or ""), cadence
    assert any("share a frame" in w for w in report.quality.warnings), report.quality.warnings
