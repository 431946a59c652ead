"""The whole pipeline on the real clips in ../shared/clips, against the truth in their MANIFEST.md."""

from __future__ import annotations

import itertools

import numpy as np

from tests.support.paths import TREADMILL_CADENCE_SPM


def _contacts(report):
    return [e for e in report.events if e.kind == "contact"]


def test_treadmill_cadence_matches_truth(treadmill_analysis) -> None:
    report, _ = treadmill_analysis
    cadence = report.metrics["cadence_spm"]
    assert abs(cadence.value - TREADMILL_CADENCE_SPM) <= 1.5, cadence
    assert cadence.quality == "good"
    # About 17 strides per foot in 12 s.
    assert 15 <= sum(e.foot == "left" for e in _contacts(report)) <= 19


def test_treadmill_is_running_side_view_facing_left(treadmill_analysis) -> None:
    report, _ = treadmill_analysis
    assert report.activity == "running"
    assert report.view == "side"
    assert report.facing == "left"  # MANIFEST: the runner faces image-left


def test_treadmill_contacts_strictly_alternate(treadmill_analysis) -> None:
    report, _ = treadmill_analysis
    feet = [e.foot for e in _contacts(report)]
    assert len(feet) >= 30
    assert all(a != b for a, b in itertools.pairwise(feet)), feet


def test_treadmill_events_are_ordered_and_plausible(treadmill_analysis) -> None:
    report, _ = treadmill_analysis
    times = [e.time_s for e in report.events]
    assert times == sorted(times)
    for foot in ("left", "right"):
        ev = [e for e in report.events if e.foot == foot]
        kinds = [e.kind for e in ev]
        # Each contact is followed by its toe-off before the same foot lands again.
        assert all(a != b for a, b in itertools.pairwise(kinds)), kinds
    gct = report.metrics["ground_contact_time_ms"]
    assert 150 <= gct.value <= 400
    assert report.metrics["duty_factor"].value < 0.5


def test_treadmill_lengths_need_height_and_fps_warning(treadmill_analysis) -> None:
    report, _ = treadmill_analysis
    assert report.quality.scale == "height"
    assert report.metrics["overstride_cm"].value is not None
    assert report.metrics["step_length_m"].value is None and "belt speed" in report.metrics["step_length_m"].reason
    assert any("30 fps" in w for w in report.quality.warnings)  # contact times at 30 fps are ±1 frame


def test_walking_clip_is_walking(walking_analysis) -> None:
    report, _ = walking_analysis
    assert report.activity == "walking"
    assert any("walking" in n for n in report.notes)
    contacts = _contacts(report)
    assert len(contacts) >= 6
    cadence = report.metrics["cadence_spm"].value
    assert 80 <= cadence <= 130  # a walk, not a run


def test_walking_clip_follows_the_walker_not_the_jumper(walking_analysis) -> None:
    """The demo shows a man jumping on a box and a woman walking across the lawn: the walker is followed."""
    _, clean = walking_analysis
    xy = clean.raw.image_xy_px
    ok = clean.raw.detected
    # The walker is on the lawn (lower half of the frame); the jumper stands on the box (upper half).
    feet_y = np.nanmedian(xy[ok][:, [29, 30], 1])
    assert feet_y > 0.5 * clean.raw.height
    assert report_has_people_warning(walking_analysis[0])


def report_has_people_warning(report) -> bool:
    return any("more than one person" in w.lower() for w in report.quality.warnings)


def test_report_is_deterministic(treadmill_analysis, tmp_path) -> None:
    from gait import analyze_pose
    from gait.pipeline import stored_pixels, verticals_of

    report, clean = treadmill_analysis
    again, _ = analyze_pose(
        clean.raw, report.video, _config_of(report), None, verticals_of(report), pixels=stored_pixels(report)
    )
    assert again.to_json() == report.to_json()


def _config_of(report):
    from gait import AnalysisConfig

    fields = AnalysisConfig.__dataclass_fields__
    return AnalysisConfig(**{k: v for k, v in report.settings.items() if k in fields})
