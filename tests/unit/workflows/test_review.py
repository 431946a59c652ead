"""Reviewing events: the edit operations, re-scoring exactly as a fresh analysis given those events, the review
recorded in the report (JSON, history, PDF), the changes shown, and the key-frame pick."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from gait import AnalysisConfig, analyze_pose
from gait.core.errors import GaitError
from gait.core.types import GaitReport
from gait.outputs.keyframes import select_key_frames
from gait.synthetic.runner import make_pose
from gait.workflows.analysis import contact_choice, handout_pdf, rescore, review_line, save_row, with_review
from gait.workflows.history import connect, load_session
from gait.workflows.labelfile import load_labels
from gait.workflows.review import add_event, as_labels, changes, delete_event, edits_json, move_event, stride_contact_ms
from tests.support.runners import HEALTHY, info_for

CFG = AnalysisConfig(height_cm=175.0)
FPS = 60.0


@pytest.fixture(scope="module")
def runner():
    pose = make_pose(fps=FPS, **HEALTHY).pose
    report, clean = analyze_pose(pose, info_for(pose, FPS), CFG)
    return pose, report, clean


def _index(report: GaitReport, kind: str, after_s: float) -> int:
    return next(i for i, e in enumerate(report.events) if e.kind == kind and e.time_s > after_s)


def test_rescoring_an_edit_is_exactly_a_fresh_analysis_given_those_events(runner, tmp_path: Path) -> None:
    pose, report, clean = runner
    labels = as_labels(report.events)
    k = _index(report, "contact", 2.0)
    edits = move_event(labels, k, 3, pose.n_frames)
    edits = delete_event(edits, _index(report, "toe_off", 5.0))
    rescored, _ = rescore(report, clean, CFG, edits)
    # A fresh analysis of the same pose, given the exported file (the CLI's --events reader).
    path = tmp_path / "events.json"
    path.write_text(edits_json(rescored, "run.mp4", "Dr Lee"), encoding="utf-8")
    fresh, _ = analyze_pose(pose, info_for(pose, FPS), CFG, load_labels(path).events)
    assert rescored.events == fresh.events and rescored.strides == fresh.strides
    assert rescored.metrics == fresh.metrics and rescored.cues == fresh.cues
    assert rescored.metrics != report.metrics  # the edit did change something
    assert json.loads(path.read_text())["method"] == "reviewed in the gait app by Dr Lee"


def test_a_move_shortens_its_steps_contact_time_by_the_moved_time(runner) -> None:
    pose, report, clean = runner
    k = _index(report, "contact", 2.0)
    moved = report.events[k]
    edited, _ = rescore(report, clean, CFG, move_event(as_labels(report.events), k, 3, pose.n_frames))
    new = next(e for e in edited.events if e.kind == "contact" and e.frame == moved.frame + 3)
    before, after = stride_contact_ms(report, moved), stride_contact_ms(edited, new)
    assert before is not None and after is not None
    assert after == pytest.approx(before - 1000.0 * (new.time_s - moved.time_s), abs=1e-6)
    shown = changes(report, edited)
    assert shown and all(c.before != c.after for c in shown)
    assert not changes(report, report)


def test_the_review_is_recorded_and_survives_json_history_and_the_pdf(runner, tmp_path: Path) -> None:
    pose, report, clean = runner
    labels = as_labels(report.events)
    k = _index(report, "contact", 2.0)
    edits = move_event(labels, k, -2, pose.n_frames)
    gone = report.events[_index(report, "contact", 6.0)]
    edits = delete_event(edits, edits.index(next(e for e in edits if e.frame == gone.frame and e.kind == "contact")))
    edits = add_event(edits, "toe_off", "left", 5, pose.n_frames)
    edited, _ = rescore(report, clean, CFG, edits)
    reviewed = with_review(edited, report.events, " Dr Lee ")
    review = reviewed.settings["review"]
    assert review["reviewed_by"] == "Dr Lee"
    assert review["moved"] == [
        {
            "kind": "contact",
            "foot": report.events[k].foot,
            "from_frame": report.events[k].frame,
            "frame": report.events[k].frame - 2,
        }
    ]
    assert review["added"] == [{"kind": "toe_off", "foot": "left", "frame": 5}]
    assert review["removed"] == [{"kind": "contact", "foot": gone.foot, "frame": gone.frame}]
    line = review_line(reviewed)
    assert line == "Events reviewed by Dr Lee: 1 moved, 1 added, 1 removed; the rest are as detected."
    back = GaitReport.from_json(reviewed.to_json())
    assert back.settings["review"] == review and [e.source for e in back.events] == [e.source for e in edited.events]
    with connect(tmp_path / "h.sqlite3") as conn:
        stored = load_session(conn, save_row(conn, "Sam", reviewed, []))
    assert review_line(stored.report) == line and stored.report.events == back.events
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(handout_pdf(reviewed, [], video_name="run.mp4"))
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Events reviewed by Dr Lee: 1 moved, 1 added, 1" in " ".join(text.split())
    pdf.write_bytes(handout_pdf(report, [], video_name="run.mp4"))
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "reviewed" not in text  # not reviewed: not said


def test_edit_operations_refuse_what_cannot_be_in_words(runner) -> None:
    pose, report, _ = runner
    labels = as_labels(report.events)
    with pytest.raises(GaitError, match="no event number"):
        move_event(labels, len(labels), 1, pose.n_frames)
    with pytest.raises(GaitError, match="outside the clip"):
        add_event(labels, "contact", "left", pose.n_frames + 5, pose.n_frames)
    first = labels[0]
    with pytest.raises(GaitError, match="already has"):
        add_event(labels, first.kind, str(first.foot), first.frame, pose.n_frames)
    assert move_event(labels, 0, -10_000, pose.n_frames)[0].frame == 0  # kept inside the clip


def test_the_key_frame_a_person_picks_goes_into_the_pdf(runner) -> None:
    _, report, _ = runner
    rows = [r for r in report.strides if r["foot"] == "left"]
    typical = dict(select_key_frames(report))
    pick = next(r["contact_frame"] for r in rows if r["contact_frame"] not in typical.values())
    chosen = select_key_frames(report, contact_choice(report, pick))
    assert any(f == pick and label.startswith("Left foot contact") for label, f in chosen)
    assert [f for label, f in chosen if label.startswith("Right")] == [
        f for label, f in select_key_frames(report) if label.startswith("Right")
    ]
    with pytest.raises(GaitError, match="not a foot contact"):
        contact_choice(report, pick + 1)


def test_the_cli_wants_events_with_a_reviewer_and_a_pdf_with_a_key_frame(tmp_path: Path, capsys) -> None:
    from gait.cli.entry import main

    video = tmp_path / "run.mp4"
    video.write_bytes(b"not read: the arguments are checked first")
    assert main(["analyze", str(video), "--out", str(tmp_path / "o"), "--reviewed-by", "Dr Lee"]) == 2
    assert "--reviewed-by names who reviewed the events: give it together with --events" in capsys.readouterr().err
    assert main(["analyze", str(video), "--out", str(tmp_path / "o"), "--key-frame", "40"]) == 2
    assert "together with --pdf" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()  # nothing was started


def test_changes_list_only_what_a_reader_sees_change(runner) -> None:
    import dataclasses

    _, report, _ = runner
    cue = next(c for c in report.cues if c.numbers)
    key, value = next((k, v) for k, v in cue.numbers.items() if isinstance(v, float))
    nudged = dataclasses.replace(cue, numbers={**cue.numbers, key: value + 1e-4})  # below the shown precision
    after = dataclasses.replace(report, cues=tuple(nudged if c.id == cue.id else c for c in report.cues))
    assert changes(report, after) == []
    moved = dataclasses.replace(cue, numbers={**cue.numbers, key: value + 5.0})
    after = dataclasses.replace(report, cues=tuple(moved if c.id == cue.id else c for c in report.cues))
    (change,) = changes(report, after)
    assert change.before != change.after and cue.title in change.what
