"""Inputs that must not hang a batch (issue 23, failure 5): a link to /dev/zero, a FIFO, a file that cannot be
opened and a folder named like a video sit beside a good video; the batch finishes with one row each. And one
video's analysis stops at its time limit.

Tests run as root, so ``chmod 000`` does not stop a read: the unreadable inputs are a link loop (``open`` fails
with ELOOP for root too) and a folder named ``folder.mp4`` (``open``/``read`` fail with EISDIR).
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gait.capture.input_files import can_time_limit, check_input_file
from gait.core.errors import InputFileError
from tests.support import corpus
from tests.support.caches import ClipCache
from tests.support.cli import run_cli
from tests.support.paths import TREADMILL, clip

BAD_NAMES = ("zero.mp4", "pipe.mp4", "loop.mp4", "folder.mp4", "empty.mov")


def bad_inputs(d: Path) -> Path:
    """A folder of inputs that are not video files: each would block, never end, or fail to open."""
    d.mkdir(parents=True, exist_ok=True)
    (d / "zero.mp4").symlink_to("/dev/zero")
    os.mkfifo(d / "pipe.mp4")
    (d / "loop.mp4").symlink_to(d / "loop.mp4")  # a link to itself: open fails (ELOOP), even for root
    (d / "folder.mp4").mkdir()
    (d / "empty.mov").write_bytes(b"")
    return d


def test_check_input_file_refuses_each_bad_input_quickly(tmp_path: Path) -> None:
    d = bad_inputs(tmp_path / "in")
    words = {
        "zero.mp4": "device",
        "pipe.mp4": "FIFO",
        "loop.mp4": "loop of links",
        "folder.mp4": "folder",
        "empty.mov": "empty",
    }
    t0 = time.monotonic()
    for name, word in words.items():
        with pytest.raises(InputFileError, match=word):
            check_input_file(d / name)
    assert time.monotonic() - t0 < 2.0
    good = d / "ok.mp4"
    good.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"x" * 100)
    assert check_input_file(good) == 112


def test_batch_rows_for_bad_inputs_without_analysis(tmp_path: Path) -> None:
    """Every bad input is found and gets its own error row; run in a child process so that a hang fails."""
    d = bad_inputs(tmp_path / "in")
    out = tmp_path / "out"
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from gait.workflows.batch import run_batch; "
            "rows = run_batch(sys.argv[1], sys.argv[2], processes=1); "
            "print('|'.join(r['status'] for r in rows))",
            str(d),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "|".join(["error"] * len(BAD_NAMES))
    with (out / "summary.csv").open(newline="") as f:
        rows = {Path(r["video"]).name: r for r in csv.DictReader(f)}
    assert set(rows) == set(BAD_NAMES)
    assert "FIFO" in rows["pipe.mp4"]["error"] and "device" in rows["zero.mp4"]["error"]


@pytest.mark.slow
def test_batch_over_hostile_folder_finishes_with_one_row_each(tmp_path: Path, clip_cache: ClipCache) -> None:
    """The issue's case through the command: /dev/zero, a FIFO, unreadable inputs and a good video, < 2 min."""
    d = bad_inputs(tmp_path / "in")
    clip_cache.make(corpus.transcode, d, clip(TREADMILL), "runner.mp4", max_s=3.0)
    out = tmp_path / "out"
    t0 = time.monotonic()
    try:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "gait.cli",
                "batch",
                str(d),
                "--out",
                str(out),
                "--processes",
                "1",
                "--quiet",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("gait batch did not finish within 2 minutes")
    assert time.monotonic() - t0 < 120
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    assert f"{len(BAD_NAMES) + 1} videos: 1 analysed, 0 done earlier, {len(BAD_NAMES)} failed" in proc.stdout
    with (out / "summary.csv").open(newline="") as f:
        rows = {Path(r["video"]).name: r for r in csv.DictReader(f)}
    assert set(rows) == {*BAD_NAMES, "runner.mp4"}
    assert rows["runner.mp4"]["status"] == "analysed"
    assert all(rows[n]["status"] == "error" and rows[n]["error"] for n in BAD_NAMES)


@pytest.mark.slow
def test_time_limit_ends_one_video_not_the_batch(tmp_path: Path, clip_cache: ClipCache) -> None:
    if not can_time_limit():
        pytest.skip("SIGALRM time limits need the main thread of a POSIX process")
    from gait.workflows.batch import run_batch

    d = tmp_path / "in"
    d.mkdir()
    clip_cache.make(corpus.transcode, d, clip(TREADMILL), "runner.mp4", max_s=3.0)
    corpus.text_as_mp4(d)
    t0 = time.monotonic()
    rows = run_batch(d, tmp_path / "out", processes=1, time_limit_s=0.5)
    assert time.monotonic() - t0 < 60
    by_name = {Path(r["video"]).name: r for r in rows}
    assert by_name["runner.mp4"]["status"] == "error" and "time limit of 0.5 s" in by_name["runner.mp4"]["error"]
    assert by_name["notes.mp4"]["status"] == "error" and "time limit" not in by_name["notes.mp4"]["error"]
    assert run_cli("batch", str(d), "--out", str(tmp_path / "o2"), "--time-limit", "-3").returncode == 2
