"""The bad- and odd-input corpus (generated at test time): each input gives either a correct analysis or a
specific error / quality warning that names the problem and what to do. The table is in tests/CORPUS.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.support import corpus
from tests.support.caches import ClipCache, PoseCache
from tests.support.cli import analyse_ok, assert_clean_error, run_cli_in_process
from tests.support.paths import TREADMILL, TREADMILL_CADENCE_SPM, clip


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("corpus")


def test_jpeg_named_mov(work: Path) -> None:
    assert_clean_error(
        run_cli_in_process("analyze", str(corpus.jpeg_as_mov(work)), "--out", str(work / "o")), "still image"
    )


def test_truncated_mp4(work: Path) -> None:
    bad = corpus.truncated(work, clip(TREADMILL))
    assert_clean_error(run_cli_in_process("analyze", str(bad), "--out", str(work / "o")), bad.name, "incomplete copy")


def test_audio_only(work: Path) -> None:
    assert_clean_error(
        run_cli_in_process("analyze", str(corpus.audio_only(work)), "--out", str(work / "o")), "no video stream"
    )


@pytest.mark.parametrize(("n_frames", "name"), [(1, "one_frame.mp4"), (15, "half_second.mp4")])
def test_too_short(work: Path, n_frames: int, name: str) -> None:
    video = corpus.synthetic_video(work, name, n_frames=n_frames, content="gradient")
    assert_clean_error(run_cli_in_process("analyze", str(video), "--out", str(work / "o")), "too short", "20-30 s")


def test_no_person(work: Path, pose_cache: PoseCache) -> None:
    """Refused after the pose (found in no frame): the pose comes from the pose cache when there."""
    video = corpus.synthetic_video(work, "noise.mp4", n_frames=90, content="noise")
    with pose_cache.cli(video, work / "noise", ()):
        proc = run_cli_in_process("analyze", str(video), "--out", str(work / "noise"))
    assert_clean_error(proc, "no person")


def test_corrupt_middle_is_analysed_with_a_warning(work: Path, pose_cache: PoseCache) -> None:
    report = analyse_ok(corpus.corrupt_middle(work, clip(TREADMILL)), work / "corrupt", pose_cache=pose_cache)
    assert any("could be decoded" in w and "damaged" in w for w in report["quality"]["warnings"])
    assert abs(report["metrics"]["cadence_spm"]["value"] - TREADMILL_CADENCE_SPM) <= 3.0
    assert report["metrics"]["cadence_spm"]["quality"] != "good"


def test_feet_cut_off_withholds_foot_metrics(work: Path, pose_cache: PoseCache, clip_cache: ClipCache) -> None:
    video = clip_cache.make(corpus.transcode, work, clip(TREADMILL), "feet_cut.mp4", transform=lambda im: im[:980])
    report = analyse_ok(video, work / "feet", pose_cache=pose_cache)
    assert any("feet are cut off" in w and "Move the phone" in w for w in report["quality"]["warnings"])
    m = report["metrics"]
    assert m["cadence_spm"]["value"] is None and "out of the frame" in m["cadence_spm"]["reason"]
    assert m["trunk_lean_deg"]["value"] is not None
    assert not any(c["id"] == "good_form" for c in report["cues"])


def test_dark_clip(work: Path, pose_cache: PoseCache, clip_cache: ClipCache) -> None:
    video = clip_cache.make(
        corpus.transcode, work, clip(TREADMILL), "dark.mp4", transform=lambda im: (im * 0.12).astype(np.uint8)
    )
    report = analyse_ok(video, work / "dark", pose_cache=pose_cache)
    assert abs(report["metrics"]["cadence_spm"]["value"] - TREADMILL_CADENCE_SPM) <= 1.5


def test_variable_frame_rate(work: Path, pose_cache: PoseCache, clip_cache: ClipCache) -> None:
    video = clip_cache.make(corpus.transcode, work, clip(TREADMILL), "vfr.mp4", drop_fraction=0.25)
    report = analyse_ok(video, work / "vfr", pose_cache=pose_cache)
    assert abs(report["metrics"]["cadence_spm"]["value"] - TREADMILL_CADENCE_SPM) <= 1.5


def test_two_people_side_by_side(work: Path, pose_cache: PoseCache, clip_cache: ClipCache) -> None:
    video = clip_cache.make(
        corpus.transcode, work, clip(TREADMILL), "two.mp4", transform=lambda im: np.hstack([im, im[:, ::-1]])
    )
    report = analyse_ok(video, work / "two", pose_cache=pose_cache)
    assert report["activity"] == "running"
    assert abs(report["metrics"]["cadence_spm"]["value"] - TREADMILL_CADENCE_SPM) <= 1.5
    assert any("More than one person" in w for w in report["quality"]["warnings"])


def test_slow_motion_with_and_without_capture_rate(work: Path, pose_cache: PoseCache, clip_cache: ClipCache) -> None:
    video = clip_cache.make(corpus.slow_motion, work, clip(TREADMILL), factor=8, max_s=4.0)
    report = analyse_ok(video, work / "slow", pose_cache=pose_cache)
    cad = report["metrics"]["cadence_spm"]
    assert cad["value"] is None and "slow-motion" in cad["reason"] and "capture rate" in cad["reason"]
    fixed = analyse_ok(video, work / "slow_fixed", "--capture-fps", "240", pose_cache=pose_cache)
    assert fixed["video"]["capture_fps"] == 240.0
    assert abs(fixed["metrics"]["cadence_spm"]["value"] - TREADMILL_CADENCE_SPM) <= 3.0


def test_4k_input(work: Path, pose_cache: PoseCache, clip_cache: ClipCache) -> None:
    video = clip_cache.make(corpus.transcode, work, clip(TREADMILL), "uhd.mp4", size=(2160, 3840), max_s=5.0)
    report = analyse_ok(video, work / "uhd", pose_cache=pose_cache)
    assert report["video"]["height"] == 3840
    assert abs(report["metrics"]["cadence_spm"]["value"] - TREADMILL_CADENCE_SPM) <= 3.0


def test_input_limits_refuse_long_clips(work: Path) -> None:
    from gait.capture.probe import InputLimits, probe_video
    from gait.core.errors import InputLimitError

    with pytest.raises(InputLimitError, match="Trim it"):
        probe_video(clip(TREADMILL), limits=InputLimits(max_duration_s=5.0))
    with pytest.raises(InputLimitError, match="megapixels"):
        probe_video(clip(TREADMILL), limits=InputLimits(max_pixels=640 * 480))


@pytest.mark.slow
def test_interrupted_run_leaves_no_half_written_report(work: Path, pose_cache: PoseCache) -> None:
    """Kill the CLI mid-pose: no report.json (nor pose.npz) appears; the next run completes."""
    out = work / "killed"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gait.cli",
            "analyze",
            str(clip(TREADMILL)),
            "--out",
            str(out),
            "--quiet",
            "--no-video",
            "--workers",
            "1",
        ]
    )
    try:
        proc.wait(timeout=4)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    assert not (out / "report.json").exists()
    assert not list(out.glob("*.tmp*"))
    assert not (out / "pose.npz").exists()  # so a pose from the cache below hides nothing the kill left
    report = analyse_ok(clip(TREADMILL), out, pose_cache=pose_cache)
    assert report["activity"] == "running"
