"""Issue #15 through the CLI: nothing wrong said, nothing lost. Silent wrong results, faults (OS errors, temp
files, two runs, SIGTERM), valid footage once misread, hostile input. Inputs are generated here
(tests/support/corpus.py);
the table is tests/CORPUS.md."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from tests.support import corpus
from tests.support.caches import ClipCache, PoseCache
from tests.support.cli import analyse_ok, assert_clean_error, run_cli, run_cli_in_process
from tests.support.paths import TREADMILL, TREADMILL_CADENCE_SPM, clip


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("faults")


@pytest.fixture(scope="module")
def small(work: Path) -> Path:
    """A 3 s clip without a person: enough to get past the probe."""
    return corpus.synthetic_video(work, "small.mp4", n_frames=90, content="gradient")


def assert_usage_error(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    for needle in needles:
        assert needle in last, last


# --- silent wrong results ------------------------------------------------------------------------------------


def test_an_output_never_replaces_the_input(work: Path, small: Path) -> None:
    out = work / "inside"
    out.mkdir()
    video = out / "annotated.mp4"
    video.write_bytes(small.read_bytes())
    before = video.read_bytes()
    assert_clean_error(
        run_cli_in_process("analyze", str(video), "--out", str(out)), "is the input video", "another --out"
    )
    assert video.read_bytes() == before
    # The same file under another name (a hard link): caught by the inode.
    out2 = work / "linked"
    out2.mkdir()
    os.link(small, out2 / "report.json")
    assert_clean_error(
        run_cli_in_process("analyze", str(small), "--out", str(out2)), "report.json", "is the input video"
    )
    assert (out2 / "report.json").read_bytes() == small.read_bytes()


@pytest.mark.parametrize(
    ("option", "value", "needle"),
    [
        ("--height-cm", "1e9", "100-230 cm"),
        ("--height-cm", "0.1", "100-230 cm"),
        ("--height-cm", "inf", "100-230 cm"),
        ("--belt-speed-kmh", "1000", "3-30 km/h"),
        ("--capture-fps", "5", "60-1000 fps"),
        ("--slow", "1000", "1-16"),
    ],
)
def test_absurd_settings_are_refused_before_any_work(work: Path, small: Path, option: str, value: str, needle: str):
    out = work / f"absurd{option}{value}"
    assert_usage_error(run_cli_in_process("analyze", str(small), "--out", str(out), option, value), option, needle)
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--workers", "0"), "1 to"),
        (("--workers", "-5"), "1 to"),
        (("--athlete", ""), "--athlete is empty"),
        (("--athlete", "   "), "--athlete is empty"),
        (("--athlete", "Sam\nSmith"), "line break"),
        (("--athlete", "Sam", "--date", "2026-13-45"), "not a date"),
        (("--pdf", "--date", "tomorrow"), "not a date"),
        (("--date", "2026-12-01"), "give it with --athlete or --pdf"),
    ],
)
def test_bad_run_options_create_nothing(work: Path, small: Path, args: tuple[str, ...], needle: str) -> None:
    out = work / f"opt{abs(hash(args))}"
    assert_clean_error(run_cli_in_process("analyze", str(small), "--out", str(out), *args), needle)
    assert not out.exists()


def test_timestamps_that_jump_back_are_refused(work: Path) -> None:
    """Two clips concatenated: the times restart, and steps would be counted twice as fast."""
    video = corpus.joined_clips(work)
    assert_clean_error(
        run_cli_in_process("analyze", str(video), "--out", str(work / "joined")),
        "jump back by 5.0 s",
        "two clips joined",
    )


def test_a_gap_in_the_timestamps_gets_its_own_message(work: Path) -> None:
    video = corpus.gap_clip(work, gap_s=100.0)
    proc = run_cli_in_process("analyze", str(video), "--out", str(work / "gap"))
    assert_clean_error(proc, "leap forward by 100.0 s", "gap")
    assert "damaged" not in proc.stderr and "slow motion" not in proc.stderr


@pytest.mark.parametrize(("make", "needle"), [(corpus.upside_down, "upside down"), (corpus.wrong_tag, "sideways")])
def test_a_sideways_or_upside_down_runner_is_refused(
    work: Path, pose_cache: PoseCache, clip_cache: ClipCache, make, needle: str
) -> None:
    """Refused after the pose (the orientation is read from it): the pose comes from the pose cache when there."""
    video = clip_cache.make(make, work, clip(TREADMILL), max_s=5.0)
    args = ("--workers", "1", "--max-people", "1")
    with pose_cache.cli(video, work / video.stem, args):
        proc = run_cli_in_process("analyze", str(video), "--out", str(work / video.stem), *args)
    assert_clean_error(proc, needle, "Rotate the video upright")
    assert not (work / video.stem / "report.json").exists()


def test_variable_frame_rate_on_two_workers_keeps_frame_numbers_unique(
    work: Path, pose_cache: PoseCache, clip_cache: ClipCache
) -> None:
    from gait.capture.probe import probe_video
    from gait.capture.video import iter_frames

    video = clip_cache.make(corpus.transcode, work, clip(TREADMILL), "vfr2.mp4", drop_fraction=0.25)
    info = probe_video(video)
    pose = pose_cache.pose(video, workers=2, max_people=1)  # extract_pose_parallel, kept while its code is unchanged
    idx = pose.frame_index
    assert len(np.unique(idx)) == len(idx) and (np.diff(idx) > 0).all()
    # Each index names the frame decoded at that time (what the renderer and key frames read).
    times = {f.index: f.time_s for f in iter_frames(info, max_side_px=64)}
    err_ms = [1000 * abs(times[int(i)] - t) for i, t in zip(idx, pose.times_s, strict=True)]
    assert max(err_ms) < 1.0, max(err_ms)


# --- faults --------------------------------------------------------------------------------------------------


def test_output_location_problems_are_one_line_before_the_pose(work: Path, small: Path) -> None:
    a_file = work / "a_file"
    a_file.write_text("x")
    assert_clean_error(
        run_cli_in_process("analyze", str(small), "--out", str(a_file / "sub")), "Not a directory", "a_file"
    )
    assert_clean_error(
        run_cli_in_process("analyze", str(small), "--out", str(work / ("x" * 300))), "name too long", "shorter"
    )
    out = work / "reportdir"
    (out / "report.json").mkdir(parents=True)
    t0 = time.monotonic()
    assert_clean_error(run_cli_in_process("analyze", str(small), "--out", str(out)), "report.json", "is a folder")
    assert time.monotonic() - t0 < 30
    assert sorted(p.name for p in out.iterdir()) == ["report.json"]  # no pose.npz, no temp files


def test_a_second_run_into_a_busy_output_folder_is_refused(work: Path, small: Path) -> None:
    from gait.outputs.folder import locked_output_dir

    out = work / "busy"
    out.mkdir()
    with locked_output_dir(out):  # another process holds the folder: run the second as a process of its own
        proc = run_cli("analyze", str(small), "--out", str(out))
    assert_clean_error(proc, "another gait run is writing to this folder")
    assert list(out.iterdir()) == []


def test_an_unexpected_error_is_one_line_with_a_log_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from gait import cli
    from gait.cli import commands

    def boom(args: object) -> int:
        raise RuntimeError("something nobody expected\nsecond line")

    monkeypatch.setenv("GAIT_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(commands, "compare", boom)
    assert cli.main(["compare", "a", "b"]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gait: error: unexpected RuntimeError: something nobody expected")
    assert "Traceback" not in err
    logs = list((tmp_path / "logs").glob("gait-error-*.log"))
    assert len(logs) == 1 and str(logs[0]) in lines[0]
    text = logs[0].read_text()
    assert "Traceback" in text and "RuntimeError: something nobody expected" in text and "boom" in text


@pytest.mark.parametrize("stop, status, words", [("term", 143, "stopped (SIGTERM)"), ("int", 130, "interrupted")])
def test_a_stop_wrapped_on_the_way_out_is_a_stop_not_a_bug(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    stop: str,
    status: int,
    words: str,
) -> None:
    """A signal that lands while a class body is set up (as mid ``import matplotlib`` in CI) reaches the CLI as a
    ``RuntimeError`` caused by the stop. It is reported as the stop, with no crash log; a batch does not record it
    as one more broken video and go on."""
    from gait import cli
    from gait.cli import commands
    from gait.core.errors import Terminated
    from gait.workflows import batch

    class Stops:
        def __set_name__(self, owner: type, name: str) -> None:
            raise Terminated() if stop == "term" else KeyboardInterrupt()

    def define_a_class(*args: object, **kwargs: object) -> int:
        type("Plot", (), {"grid": Stops()})  # Python wraps what __set_name__ raises in a RuntimeError
        return 0

    with pytest.raises(RuntimeError):
        define_a_class()
    monkeypatch.setenv("GAIT_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(commands, "compare", define_a_class)
    assert cli.main(["compare", "a", "b"]) == status
    err = capsys.readouterr().err
    assert words in err and "unexpected" not in err
    assert not (tmp_path / "logs").exists()

    import gait
    import gait.pipeline

    monkeypatch.setattr(gait.pipeline, "analyze_video", define_a_class)
    with pytest.raises(Terminated if stop == "term" else KeyboardInterrupt):
        batch.analyze_job(str(tmp_path / "a.mp4"), gait.AnalysisConfig())


def test_labels_counted_at_another_frame_rate_are_refused(work: Path, small: Path) -> None:
    labels = work / "labels-60fps.json"
    labels.write_text(json.dumps({"fps": 60, "events": [{"kind": "contact", "frame": 10, "foot": "left"}]}))
    proc = run_cli_in_process("validate", str(small), "--labels", str(labels), "--quiet")
    assert_clean_error(proc, "60 fps", "plays at 30 fps", "another copy")


@pytest.mark.parametrize("command", ["analyze", "validate"])
@pytest.mark.parametrize(
    ("events", "needle"),
    [
        ([{"kind": "contact", "frame": 100046, "foot": "left"}], "outside the clip, which has 90 frames"),
        ([{"kind": "contact", "frame": 10, "foot": "L"}], '"left" or "right"'),
        ([{"kind": "contact", "frame": float("inf"), "foot": "left"}], "whole number"),
    ],
)
def test_labels_that_cannot_belong_to_the_clip_are_refused_before_the_pose(
    work: Path, small: Path, command: str, events: list, needle: str
) -> None:
    """``analyze --events`` and ``validate`` check the labels against the clip before any pose work (these once
    ended in a ZeroDivisionError or an OverflowError after the whole analysis)."""
    labels = work / f"labels-{command}-{abs(hash(needle))}.json"
    labels.write_text(json.dumps({"events": events}))  # json.dumps writes inf as Infinity, as some tools do
    out = work / f"refused-{command}-{abs(hash(needle))}"
    args = ["--events", str(labels)] if command == "analyze" else ["--labels", str(labels)]
    proc = run_cli_in_process(command, str(small), *args, "--out", str(out), "--quiet")
    assert_clean_error(proc, needle, labels.name)
    assert not (out / "pose.npz").exists() and not (out / "report.json").exists()


@pytest.mark.parametrize("fps", [1.0, 5.0])
def test_a_clip_too_slow_to_follow_a_step_is_refused_for_that_and_leaves_no_folder(work: Path, fps: float) -> None:
    """At 5 fps B-frame reordering once read as "two clips joined", and without B-frames the clip was analysed
    and told to give --capture-fps 120; a refused input also left its new, empty --out folder behind."""
    video = corpus.synthetic_video(work, f"slow-{fps:g}fps.mp4", n_frames=int(20 * fps), fps=fps, content="noise")
    out = work / f"never-made-{fps:g}"
    proc = run_cli_in_process("analyze", str(video), "--out", str(out), "--quiet", "--no-video")
    assert_clean_error(proc, f"{fps:g} frames per second", "at least 12")
    assert not out.exists()


def test_a_file_cut_inside_its_index_is_called_incomplete_not_audio_only(work: Path, small: Path) -> None:
    """Cut 16 bytes into the moov box (the index, written last): no stream is left, and the message said
    "audio only? Record a video, not a voice memo"."""
    data = small.read_bytes()
    cut = work / "cut-in-moov.mp4"
    cut.write_bytes(data[: data.find(b"moov") - 4 + 16])
    proc = run_cli_in_process("analyze", str(cut), "--out", str(work / "cut-out"), "--quiet")
    assert_clean_error(proc, "incomplete or damaged")
    assert "voice memo" not in proc.stderr


def test_a_loop_of_links_is_an_input_error_not_a_bug(work: Path) -> None:
    a, b = work / "loop1.mp4", work / "loop2.mp4"
    for link, target in ((a, b.name), (b, a.name)):
        if not link.is_symlink():
            link.symlink_to(target)
    proc = run_cli_in_process("analyze", str(a), "--out", str(work / "loop-out"), "--quiet")
    assert_clean_error(proc, "loop of links")
    assert not (work / "loop-out").exists()


def test_an_os_error_is_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import errno

    from gait import cli
    from gait.cli import commands

    def full(args: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", "/o/report.json")

    monkeypatch.setattr(commands, "compare", full)
    assert cli.main(["compare", "a", "b"]) == 2
    line = capsys.readouterr().err.strip()
    assert line == (
        "gait: error: /o/report.json: No space left on device. Free some disk space or give --out on another disk."
    )


def _children(pid: int) -> set[int]:
    kids: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            text = (task / "children").read_text().split()
        except FileNotFoundError:  # a thread that ended while we looked
            continue
        kids |= {int(k) for k in text}
    return kids


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().split(") ")[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("engine", ["litert", "mediapipe"])
def test_sigterm_ends_the_workers_and_leaves_no_temp_files(work: Path, engine: str) -> None:
    """Stopped in the middle of the pose pass with two workers: our loop's worker threads, or MediaPipe's worker
    processes, end with the run, which says so without a traceback and leaves nothing half-written."""
    out = work / f"sigterm-{engine}"
    cmd = [sys.executable, "-m", "gait.cli", "analyze", str(clip(TREADMILL)), "--out", str(out), "--workers", "2"]
    proc = subprocess.Popen([*cmd, "--engine", engine], stderr=subprocess.PIPE, text=True)
    kids: set[int] = set()
    deadline = time.monotonic() + 120
    if engine == "mediapipe":
        # With 2 workers the first chunk runs in the main process: one pose worker and the resource tracker.
        while time.monotonic() < deadline and len(kids) < 2:
            time.sleep(0.2)
            kids |= _children(proc.pid)
        assert len(kids) >= 2, kids
    else:
        # Our loop's workers are threads of the one process: wait until they are at work (a few CPU seconds).
        while time.monotonic() < deadline and _cpu_s(proc.pid) < 4.0:
            time.sleep(0.2)
        assert _cpu_s(proc.pid) >= 4.0
    time.sleep(1.0)
    kids |= _children(proc.pid)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert "Traceback" not in err and "stopped (SIGTERM)" in err
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(k) for k in kids):
        time.sleep(0.2)
    assert not [k for k in kids if _alive(k)]
    assert not (out / "report.json").exists()
    assert not out.exists() or not [p.name for p in out.iterdir() if "tmp" in p.name]  # the run made it: removed


# --- valid footage once misread --------------------------------------------------------------------------------


def test_valid_containers_are_read_with_start_relative_times(work: Path, clip_cache: ClipCache) -> None:
    from gait.capture.probe import probe_video
    from gait.capture.video import iter_frames

    late = probe_video(clip_cache.make(corpus.late_start_mkv, work))  # timestamps from 3600 s: a 12 s clip, not 3612 s
    assert abs(late.duration_s - 12.0) < 0.1 and late.n_frames == 360
    frames = list(iter_frames(late, max_side_px=64))
    assert len(frames) == 360 and frames[0].time_s == 0.0
    raw = probe_video(clip_cache.make(corpus.raw_h264, work))  # no container: frames counted from the packets
    assert raw.n_frames == 360 and raw.duration_s > 10
    cover = probe_video(clip_cache.make(corpus.cover_first, work))  # a cover picture first: the clip is chosen
    assert cover.codec == "h264" and cover.n_frames == 300 and (cover.width, cover.height) == (320, 240)
    assert len(list(iter_frames(cover, max_side_px=64))) == 300
    trimmed = probe_video(clip_cache.make(corpus.edit_list_trimmed, work))  # 360 samples, 120 hidden by the edit list
    assert trimmed.n_frames == 240 and abs(trimmed.duration_s - 8.0) < 0.05
    frames = list(iter_frames(trimmed, max_side_px=64))
    assert len(frames) >= 0.95 * trimmed.n_frames  # no "only 240 of 360 frames: damaged" warning


# --- hostile input ------------------------------------------------------------------------------------------------


def test_a_newline_in_a_file_name_stays_on_one_line(work: Path) -> None:
    proc = run_cli_in_process("analyze", str(work / "two\nlines.mp4"), "--out", str(work / "nl"))
    assert_clean_error(proc, "two\\nlines.mp4", "no such file")


def test_a_crafted_pose_cache_is_ignored_not_a_crash(work: Path, small: Path) -> None:
    out = work / "crafted"
    out.mkdir()
    np.savez(out / "pose.npz", meta=np.array(json.dumps([1, 2])), times_s=np.array(["a", "b"]))
    proc = run_cli_in_process("analyze", str(small), "--out", str(out), "--workers", "1", "--no-video")
    assert_clean_error(proc, "no person")  # the cache was set aside and the pose extracted again
    assert not list(out.glob("*.tmp*"))


def test_a_junk_model_bundle_is_one_line(work: Path, small: Path) -> None:
    junk = work / "junk.task"
    import zipfile

    with zipfile.ZipFile(junk, "w") as z:
        z.writestr("hello.txt", "not a model")
    proc = run_cli_in_process(
        "analyze", str(small), "--out", str(work / "junkmodel"), "--model", str(junk), "--workers", "1"
    )
    assert_clean_error(proc, "junk.task")


def test_history_and_compare_on_hostile_input(work: Path, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    assert_usage_error(
        run_cli_in_process("history", "show", "99999999999999999999", "--db", str(db)), "not a session id"
    )
    assert_usage_error(
        run_cli_in_process("history", "delete", "99999999999999999999", "--db", str(db)), "not a session id"
    )
    assert_clean_error(
        run_cli_in_process("history", "pdf", "1", "--out", str(tmp_path), "--db", str(db)), "is a folder"
    )
    rep = tmp_path / "report.json"
    rep.write_text(json.dumps({"schema_version": 1, "metrics": [1, 2]}))
    assert_clean_error(run_cli_in_process("compare", str(rep), str(rep), "--db", str(db)), "metrics are a list")
    rep.write_text(json.dumps({"schema_version": 1, "metrics": {"cadence_spm": {"value": "170"}}, "video": {}}))
    assert_clean_error(run_cli_in_process("compare", str(rep), str(rep), "--db", str(db)), "not a number")
    assert_clean_error(
        run_cli_in_process("compare", "99999999999999999999", str(rep), "--db", str(db)), "not a saved session"
    )


def test_a_newer_schema_history_session_is_one_line(tmp_path: Path, treadmill_report_json: str) -> None:
    from gait.core.types import GaitReport
    from gait.workflows.history import connect, save_session

    db = tmp_path / "h.sqlite3"
    with connect(db) as conn:
        sid = save_session(conn, "Ann", GaitReport.from_json(treadmill_report_json))
    with sqlite3.connect(db) as raw:
        d = json.loads(treadmill_report_json)
        d["schema_version"] = 99
        raw.execute("UPDATE sessions SET report_json = ? WHERE id = ?", (json.dumps(d), sid))
    assert_clean_error(run_cli_in_process("history", "show", str(sid), "--db", str(db)), "newer gait", "Upgrade gait")


@pytest.fixture(scope="module")
def treadmill_report_json() -> str:
    from gait import AnalysisConfig, analyze_pose
    from gait.synthetic.runner import make_pose
    from tests.support.runners import info_for

    pose = make_pose(duration_s=8.0, fps=60.0).pose
    return analyze_pose(pose, info_for(pose), AnalysisConfig(height_cm=175.0))[0].to_json()


def test_batch_bad_scheduler_unreadable_video_and_damaged_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, treadmill_report_json: str
) -> None:
    from gait.core.config import AnalysisConfig
    from gait.workflows import batch

    assert_clean_error(
        run_cli_in_process("batch", str(tmp_path), "--out", str(tmp_path / "o"), "--scheduler", "notaurl"), "notaurl"
    )
    videos = tmp_path / "videos"
    videos.mkdir()
    for name in ("a.mp4", "b.mp4", "c.mp4"):
        (videos / name).write_bytes(name.encode() * 100)
    real_hash = batch.file_sha256

    def unreadable(path: Path, chunk_bytes: int = 1 << 20) -> str:  # chmod 000 (root reads anyway)
        if path.name == "b.mp4":
            raise PermissionError(13, "Permission denied", str(path))
        return real_hash(path, chunk_bytes)

    analysed: list[str] = []

    def fake_job(video: str, config: AnalysisConfig, pdf: bool = False, time_limit_s: float | None = None) -> dict:
        analysed.append(Path(video).name)
        return {"status": "analysed", "report_json": treadmill_report_json, "files": {"metrics.csv": "x\n"}}

    monkeypatch.setattr(batch, "file_sha256", unreadable)
    monkeypatch.setattr(batch, "analyze_job", fake_job)
    out = tmp_path / "out"
    rows = batch.run_batch(videos, out, AnalysisConfig(), processes=1)
    assert [r["status"] for r in rows] == ["analysed", "error", "analysed"]
    assert "b.mp4" in rows[1]["error"] and "Permission denied" in rows[1]["error"]
    assert (out / "summary.csv").read_text().count("\n") == 4
    # Damage one finished result, make the other newer: both are analysed again, nothing crashes.
    jobs = {r["video"]: Path(r["output"]) for r in rows}
    (jobs[str(videos / "a.mp4")] / "report.json").write_text("{ damaged")
    newer = json.loads(treadmill_report_json)
    newer["schema_version"] = 99
    (jobs[str(videos / "c.mp4")] / "report.json").write_text(json.dumps(newer))
    analysed.clear()
    rows = batch.run_batch(videos, out, AnalysisConfig(), processes=1)
    assert analysed == ["a.mp4", "c.mp4"]
    again = batch.run_batch(videos, out, AnalysisConfig(), processes=1)
    assert [r["status"] for r in again] == ["done earlier", "error", "done earlier"]
    # A link to a video that was moved away is an error row, not left out of the count.
    (videos / "d.mp4").symlink_to(tmp_path / "moved-away.mp4")
    rows = batch.run_batch(videos, out, AnalysisConfig(), processes=1)
    assert [Path(r["video"]).name for r in rows] == ["a.mp4", "b.mp4", "c.mp4", "d.mp4"]
    assert rows[3]["status"] == "error" and "d.mp4" in rows[3]["error"], rows[3]


def test_treadmill_cadence_is_unchanged(work: Path, pose_cache: PoseCache) -> None:
    """The checks above do not refuse the real clip (the whole CLI run; its pose from the pose cache: what is
    checked here comes after the pose)."""
    report = analyse_ok(clip(TREADMILL), work / "real", pose_cache=pose_cache)
    assert abs(report["metrics"]["cadence_spm"]["value"] - TREADMILL_CADENCE_SPM) <= 1.5
    assert not [n for n in report["notes"] if "was not used" in n]


def test_sigterm_during_render_leaves_no_temp_video(tmp_path: Path) -> None:
    """The CLI turns SIGTERM into ``Terminated``; raised mid-render, the temp video is removed."""
    from gait import AnalysisConfig, analyze_pose
    from gait.capture.probe import probe_video
    from gait.core.errors import Terminated
    from gait.outputs.annotated_video import render_annotated
    from gait.synthetic.runner import make_pose

    pose = make_pose(duration_s=4.0, fps=30.0).pose
    video = corpus.synthetic_video(
        tmp_path, "clip.mp4", n_frames=pose.n_frames, fps=30.0, size=(pose.width, pose.height), content="gradient"
    )
    report, clean = analyze_pose(pose, probe_video(video), AnalysisConfig(height_cm=175.0))
    out = tmp_path / "out"
    out.mkdir()
    seen: list[float] = []

    def stop_after_a_few_frames(stage: str, fraction: float) -> None:
        seen.append(fraction)
        if len(seen) == 5:
            raise Terminated()

    with pytest.raises(Terminated):
        render_annotated(report, clean, out / "annotated.mp4", progress=stop_after_a_few_frames)
    assert list(out.iterdir()) == []
