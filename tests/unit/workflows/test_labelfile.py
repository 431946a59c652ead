"""Labels files from people and other tools: every field is checked before any work, with one line naming the
entry (found by hand: a frame of Infinity, a foot spelled "L", angles as text, an event listed twice)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gait.core.errors import InputFileError
from gait.core.labels import LabelledEvent, Labels
from gait.workflows.labelfile import check_labels_fit, load_labels

GOOD = {
    "fps": 30,
    "events": [
        {"kind": "contact", "frame": 4, "foot": "right"},
        {"kind": "toe_off", "frame": 13, "foot": "right"},
        {"kind": "contact", "frame": 14.0, "foot": "left"},
    ],
    "shank_angles": [{"frame": 14, "foot": "left", "shank_angle_deg": 4.8}],
    "knee_angles": [{"frame": 14, "foot": "left", "knee_flexion_deg": 18.8}],
}


def _write(tmp_path: Path, d: object, raw: str | None = None) -> Path:
    p = tmp_path / "labels.json"
    p.write_text(raw if raw is not None else json.dumps(d), encoding="utf-8")
    return p


def _with(path: str, value: object) -> dict:
    d = json.loads(json.dumps(GOOD))
    key, i, field = path.split(".")
    d[key][int(i)][field] = value
    return d


def test_a_good_file_reads_and_whole_float_frames_are_frames(tmp_path: Path) -> None:
    labels = load_labels(_write(tmp_path, GOOD))
    assert [e.frame for e in labels.events] == [4, 13, 14] and labels.fps == 30.0
    assert labels.knee_angles[0]["knee_flexion_deg"] == 18.8
    bom = _write(tmp_path, None, raw="\ufeff" + json.dumps(GOOD))  # saved by Windows Notepad
    assert len(load_labels(bom).events) == 3


@pytest.mark.parametrize(
    ("path", "value", "words"),
    [
        ("events.0.frame", "Infinity", "whole number"),
        ("events.0.frame", 46.9, "whole number"),
        ("events.0.frame", True, "whole number"),
        ("events.0.frame", "46", "whole number"),
        ("events.0.frame", -3, "not a frame"),
        ("events.0.frame", 10**400, "not a frame"),
        ("events.0.foot", "L", '"left" or "right"'),
        ("events.0.foot", ["left"], '"left" or "right"'),
        ("events.0.kind", "CONTACT", "kind must be one of"),
        ("events.0.kind", "heelstrike", "kind must be one of"),
        ("events.0.uncertainty_frames", "x", "must be a number"),
        ("knee_angles.0.knee_flexion_deg", "abc", "must be a number"),
        ("knee_angles.0.knee_flexion_deg", None, "must be a number"),
        ("knee_angles.0.frame", "x", "whole number"),
        ("shank_angles.0.frame", None, "whole number"),
        ("shank_angles.0.shank_angle_deg", 1e9, "outside"),
    ],
)
def test_a_wrong_entry_is_one_line_naming_it(tmp_path: Path, path: str, value: object, words: str) -> None:
    d = _with(path, value)
    raw = json.dumps(d).replace('"Infinity"', "Infinity") if value == "Infinity" else None
    with pytest.raises(InputFileError) as err:
        load_labels(_write(tmp_path, d, raw))
    message = str(err.value)
    assert words in message and "labels.json" in message and "\n" not in message, message
    assert "event 1" in message or f"{path.split('.')[0]} entry 1" in message, message  # which entry


@pytest.mark.parametrize(
    ("d", "words"),
    [
        ({"events": GOOD["events"] * 2}, "listed twice"),
        ({"events": "contact at 4"}, "must be a list"),
        ({"events": [], "fps": -30}, "outside"),
        ({"events": [], "knee_angles": {"frame": 36}}, "must be a list"),
        ({"contacts_frames": [4, "x"]}, "whole number"),
        ({"frames": [1, 2]}, "no 'events' list"),
    ],
)
def test_a_wrong_file_is_one_line(tmp_path: Path, d: dict, words: str) -> None:
    with pytest.raises(InputFileError, match=words):
        load_labels(_write(tmp_path, d))


def test_labels_must_fit_the_clip_and_events_to_score_need_their_feet() -> None:
    labels = Labels("clip.mp4", 30.0, (LabelledEvent("contact", 100046, "left"),))
    with pytest.raises(InputFileError, match=r"frame 100046 is outside the clip, which has 360 frames \(0-359\)"):
        check_labels_fit(labels, 360, "labels.json")
    unfooted = Labels("clip.mp4", 30.0, (LabelledEvent("contact", 46),))
    check_labels_fit(unfooted, 360, "labels.json")  # validate compares frames; the foot is optional there
    with pytest.raises(InputFileError, match="names no foot"):
        check_labels_fit(unfooted, 360, "events.json", feet_needed=True)
    with pytest.raises(InputFileError, match="no events to score"):
        check_labels_fit(Labels("clip.mp4", None, ()), 360, "events.json", feet_needed=True)
