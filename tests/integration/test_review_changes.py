"""Issue 24, defect 6: what an event edit changed, on the real clip. Moving the first LEFT landing one frame later
must be told as left-foot changes (its contact time, its knee at landing), and no listed change may read the same
before and after."""

from __future__ import annotations

from gait.core.config import AnalysisConfig
from gait.workflows.analysis import rescore
from gait.workflows.review import as_labels, changes, move_event


def test_moving_a_left_landing_lists_left_foot_changes(treadmill_analysis) -> None:
    report, clean = treadmill_analysis
    labels = as_labels(report.events)
    first_left = next(k for k, e in enumerate(labels) if e.kind == "contact" and e.foot == "left")
    moved = move_event(labels, first_left, 1, report.video.n_frames)
    new, _ = rescore(report, clean, AnalysisConfig.from_settings(report.settings), moved)
    listed = changes(report, new)
    assert any(c.what.endswith(", left") for c in listed), listed
    assert all(c.before != c.after for c in listed), listed
    assert not any(c.what.endswith(", right") and "contact" in c.what.lower() for c in listed), listed
