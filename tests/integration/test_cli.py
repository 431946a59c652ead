"""The CLI on bad input: exit status 2, one clear line, no traceback; and on a real clip. The missing file, the
usage error and the real clip (the README's command) run ``python -m gait.cli`` as a process of its own; the
other inputs run the same entry point in this process (tests/support/ ``run_cli_in_process``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gait.core.types import SCHEMA_VERSION
from tests.support.cli import assert_clean_error, run_cli, run_cli_in_process
from tests.support.paths import TREADMILL, clip


def test_missing_file(tmp_path: Path) -> None:
    assert_clean_error(
        run_cli("analyze", str(tmp_path / "nope.mp4"), "--out", str(tmp_path / "o")), "nope.mp4", "no such file"
    )


def test_directory(tmp_path: Path) -> None:
    assert_clean_error(run_cli_in_process("analyze", str(tmp_path), "--out", str(tmp_path / "o")), "directory")


def test_zero_byte_file(tmp_path: Path) -> None:
    f = tmp_path / "empty.mp4"
    f.touch()
    assert_clean_error(run_cli_in_process("analyze", str(f), "--out", str(tmp_path / "o")), "empty.mp4", "empty")


def test_text_file_named_mp4(tmp_path: Path) -> None:
    f = tmp_path / "notes.mp4"
    f.write_text("this is not a video\n" * 50)
    assert_clean_error(run_cli_in_process("analyze", str(f), "--out", str(tmp_path / "o")), "notes.mp4", "not a video")


def test_bad_option_value_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_cli("analyze", "x.mp4", "--out", str(tmp_path), "--height-cm", "-3")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "greater than 0" in proc.stderr


@pytest.mark.slow
def test_analyze_real_clip_writes_report_and_csv(tmp_path: Path) -> None:
    video = clip(TREADMILL)
    out = tmp_path / "out"
    proc = run_cli("analyze", str(video), "--out", str(out), "--height-cm", "178", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert "Cadence" in proc.stdout and "cadence_spm" not in proc.stdout and "Traceback" not in proc.stderr
    report = json.loads((out / "report.json").read_text())
    assert report["schema_version"] == SCHEMA_VERSION and report["activity"] == "running"
    assert report["video"]["fps"] == 30.0 and report["video"]["n_frames"] == 360
    rows = (out / "metrics.csv").read_text().splitlines()
    n_contacts = sum(e["kind"] == "contact" for e in report["events"])
    assert len(rows) == 1 + n_contacts and rows[0].startswith("Foot,Landing frame")
    assert (out / "pose.npz").is_file()
    # A second run with other settings reuses the cached pose and changes only what depends on them.
    proc2 = run_cli("analyze", str(video), "--out", str(out), "--quiet")
    assert proc2.returncode == 0, proc2.stderr
    report2 = json.loads((out / "report.json").read_text())
    assert report2["metrics"]["overstride_cm"]["value"] is None
    assert report2["metrics"]["cadence_spm"]["value"] == report["metrics"]["cadence_spm"]["value"]


@pytest.mark.parametrize("model", ["heavyish", "lite"])
def test_unknown_or_missing_model(tmp_path: Path, model: str, monkeypatch: pytest.MonkeyPatch) -> None:
    video = clip(TREADMILL)
    monkeypatch.setenv("GAIT_MODEL_DIR", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    proc = run_cli_in_process("analyze", str(video), "--out", str(tmp_path / "o"), "--model", model)
    assert_clean_error(proc, "model")
