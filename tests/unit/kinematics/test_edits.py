"""Events given by a person: re-scoring is exactly a fresh analysis with those events, and edits are recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gait import AnalysisConfig, analyze_pose
from gait.core.types import GaitReport
from gait.synthetic.runner import make_pose
from gait.workflows.history import connect, load_session, save_session
from gait.workflows.labelfile import load_labels
from tests.support.runners import HEALTHY, info_for

CFG = AnalysisConfig(height_cm=175.0)


@pytest.fixture(scope="module")
def runner():
    pose = make_pose(fps=60.0, **HEALTHY).pose
    report, _ = analyze_pose(pose, info_for(pose, 60.0), CFG)
    return pose, report


def _edits_file(tmp_path: Path, events: list[dict]) -> tuple:
    path = tmp_path / "edits.json"
    path.write_text(json.dumps({"events": events}), encoding="utf-8")
    return load_labels(path).events


def test_scoring_the_detected_events_again_changes_nothing(runner, tmp_path: Path) -> None:
    pose, report = runner
    report_file = tmp_path / "report.json"
    report_file.write_text(report.to_json(), encoding="utf-8")  # a report.json is an edits file too
    again, _ = analyze_pose(pose, info_for(pose, 60.0), CFG, load_labels(report_file).events)
    assert again.events == report.events
    assert again.metrics == report.metrics and again.cues == report.cues
    assert all(e.source == "detected" for e in again.events)


def test_a_moved_contact_rescores_that_stride_and_is_marked_edited(runner, tmp_path: Path) -> None:
    pose, report = runner
    given = [{"kind": e.kind, "frame": e.frame, "foot": e.foot} for e in report.events]
    k = next(i for i, e in enumerate(report.events) if e.kind == "contact" and e.time_s > 2.0)
    moved = report.events[k]
    given[k]["frame"] = moved.frame + 3
    edited, _ = analyze_pose(pose, info_for(pose, 60.0), CFG, _edits_file(tmp_path, given))
    new = next(e for e in edited.events if e.kind == "contact" and e.frame == moved.frame + 3)
    assert new.source == "edited" and new.foot == moved.foot
    assert sum(e.source == "edited" for e in edited.events) == 1
    row_before = next(r for r in report.strides if r["contact_frame"] == moved.frame)
    row_after = next(r for r in edited.strides if r["contact_frame"] == moved.frame + 3)
    frame_s = 1.0 / 60.0
    expected = row_before["ground_contact_time_ms"] - 1000.0 * (new.time_s - moved.time_s)
    assert abs(row_after["ground_contact_time_ms"] - expected) <= 1e-6
    assert new.time_s - moved.time_s == pytest.approx(3 * frame_s, abs=frame_s)
    assert any("by hand" in n for n in edited.notes)


def test_a_deleted_contact_is_gone_and_provenance_survives_json_and_history(runner, tmp_path: Path) -> None:
    pose, report = runner
    drop = next(e for e in report.events if e.kind == "contact" and e.time_s > 3.0)
    given = [{"kind": e.kind, "frame": e.frame, "foot": e.foot} for e in report.events if e is not drop]
    given.append({"kind": "contact", "frame": drop.frame + 2, "foot": drop.foot})
    edited, _ = analyze_pose(pose, info_for(pose, 60.0), CFG, _edits_file(tmp_path, given))
    assert not any(e.kind == "contact" and e.frame == drop.frame for e in edited.events)
    back = GaitReport.from_json(edited.to_json())
    assert [e.source for e in back.events] == [e.source for e in edited.events]
    with connect(tmp_path / "h.sqlite3") as conn:
        sid = save_session(conn, "Sam", edited)
        stored = load_session(conn, sid)
    assert [e.source for e in stored.report.events] == [e.source for e in edited.events]
