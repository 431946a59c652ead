"""Side + rear clips of one run give one report; a mismatched pair is warned about."""

from __future__ import annotations

from gait import AnalysisConfig, analyze_pose
from gait.core.types import GaitReport
from gait.synthetic.runner import make_pose
from gait.workflows.two_views import merge_views
from tests.support.runners import HEALTHY, info_for

CFG = AnalysisConfig(height_cm=175.0)


def _report(**kw) -> GaitReport:
    pose = make_pose(fps=60.0, **kw).pose
    report, _ = analyze_pose(pose, info_for(pose, 60.0), CFG)
    return report


def test_one_report_with_both_views_metrics_and_one_cue_list() -> None:
    side = _report(**{**HEALTHY, "trunk_lean_deg": 20.0})
    rear = _report(view="rear", pelvic_drop_deg=9.0, cadence_spm=HEALTHY["cadence_spm"])
    merged = merge_views(side, rear, CFG)
    assert merged.metrics["shank_angle_at_contact_deg"].value is not None  # from the side clip
    assert merged.metrics["pelvic_drop_deg"].value is not None  # from the rear clip
    assert side.metrics["pelvic_drop_deg"].value is None
    ids = [c.id for c in merged.cues]
    assert "run_tall" in ids and "pelvis_level" in ids and len(ids) == len(set(ids))
    assert not any("differ by more" in w for w in merged.quality.warnings)
    back = GaitReport.from_json(merged.to_json())
    assert back.settings["second_view"]["view"] == "rear" and back.metrics.keys() == merged.metrics.keys()
    assert back.metrics["pelvic_drop_deg"].value == round(merged.metrics["pelvic_drop_deg"].value or 0.0, 6)


def test_two_different_runs_are_warned_about() -> None:
    side = _report(**HEALTHY)
    rear = _report(view="rear", cadence_spm=150.0)
    merged = merge_views(side, rear, CFG)
    assert any("may be two different runs" in w for w in merged.quality.warnings), merged.quality.warnings


def test_the_cli_merges_a_rear_clip_and_refuses_a_second_side_clip(monkeypatch, tmp_path) -> None:
    import argparse

    import pytest

    import gait.pipeline
    from gait.cli.analyze import _with_rear_view
    from gait.core.errors import GaitError

    side = _report(**HEALTHY)
    rear = _report(view="rear", pelvic_drop_deg=9.0, cadence_spm=HEALTHY["cadence_spm"])
    monkeypatch.setattr(gait.pipeline, "analyze_video", lambda *a, **k: (rear, None))
    args = argparse.Namespace(video="side.mp4", rear="rear.mp4", workers=1)
    merged = _with_rear_view(args, CFG, side, tmp_path)
    assert merged.metrics["pelvic_drop_deg"].value is not None
    monkeypatch.setattr(gait.pipeline, "analyze_video", lambda *a, **k: (side, None))
    with pytest.raises(GaitError, match="not a rear view"):
        _with_rear_view(args, CFG, side, tmp_path)
