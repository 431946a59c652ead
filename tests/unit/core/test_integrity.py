"""Nothing wrong said, nothing lost (issue #15), without the pose model: the pose cache's key, option ranges,
body orientation, hostile pose files and reports. Every input is generated here (see tests/CORPUS.md)."""

from __future__ import annotations

import copy
import errno
import json
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gait import AnalysisConfig
from gait.capture.orientation import OrientationError, check_orientation, orientation_of
from gait.capture.pose_cache import cache_key, covers_clip, load_cached_pose, save_cached_pose
from gait.core.errors import PoseFileError, ReportFileError
from gait.core.setting_checks import RANGES, SettingError, check_range, check_workers
from gait.core.types import PoseSequence, VideoInfo, load_report, report_from_text
from gait.synthetic.runner import make_pose
from tests.support.runners import info_for

SHA = "ab" * 32


#: A synthetic clip with a name and a size on disk (the pose cache's key reads both).
CLIP = dict(path="clip.mp4", file_size_bytes=1000)


@pytest.fixture(scope="module")
def runner() -> PoseSequence:
    return make_pose(duration_s=6.0, fps=30.0).pose


# --- the pose cache -------------------------------------------------------------------------------------------


KEY_CHANGES = st.sampled_from(
    [
        ("sha256", "cd" * 32),
        ("file_size_bytes", 1001),
        ("n_frames", 7),
        ("capture_fps", 240.0),
        ("rotation_deg", 90),
        ("model", "lite"),
        ("max_people", 1),
        ("engine", "the other engine"),
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(change=KEY_CHANGES, fps=st.sampled_from([24.0, 30.0, 59.94, 60.0]), n=st.integers(1, 100_000))
def test_cache_key_changes_with_anything_that_changes_the_pose(change: tuple[str, object], fps: float, n: int) -> None:
    info = VideoInfo("a.mp4", fps, f"{fps}/1", n, n / fps, 720, 1280, 0, "h264", None, 5000)
    config = AnalysisConfig(max_people=2)
    key = cache_key(info, config, SHA)
    assert key == cache_key(info, config, SHA)  # deterministic
    assert json.loads(json.dumps(key)) == key  # stored in the pose file's JSON metadata
    name, value = change
    if name == "sha256":
        other = cache_key(info, config, str(value))
    elif name == "engine":
        other = cache_key(info, config.with_(engine="mediapipe" if config.engine == "litert" else "litert"), SHA)
    elif name in ("model", "max_people"):
        other = cache_key(info, config.with_(**{name: value}), SHA)
    else:
        if name == "n_frames" and value == n:
            value = n + 1
        other = cache_key(VideoInfo(**{**info.__dict__, name: value}), config, SHA)
    assert other != key, change
    # settings that do not change the pose do not invalidate the cache
    assert cache_key(info, config.with_(height_cm=180.0, belt_speed_kmh=10.0), SHA) == key
    litert = config.with_(engine="litert")  # the detector's cadence changes our loop's pose, not MediaPipe's
    mediapipe = config.with_(engine="mediapipe")
    assert cache_key(info, litert.with_(detect_every_frames=1), SHA) != cache_key(info, litert, SHA)
    assert cache_key(info, mediapipe.with_(detect_every_frames=1), SHA) == cache_key(info, mediapipe, SHA)


def test_a_pose_cached_by_an_earlier_version_of_our_loop_is_made_again(
    tmp_path: Path, runner: PoseSequence, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change to our loop's crops moves its landmarks: its revision is in the key, so an old cache is not read."""
    import gait.capture.pose_cache as pc

    info = info_for(runner, **CLIP)
    litert = AnalysisConfig(engine="litert")
    path = tmp_path / "pose.npz"
    save_cached_pose(runner, path, cache_key(info, litert, SHA))
    assert load_cached_pose(path, cache_key(info, litert, SHA), info)[0] is not None
    monkeypatch.setattr(pc, "LITERT_REVISION", pc.LITERT_REVISION + 1)
    assert load_cached_pose(path, cache_key(info, litert, SHA), info)[0] is None
    mediapipe = AnalysisConfig(engine="mediapipe")  # MediaPipe's poses do not depend on our loop's revision
    save_cached_pose(runner, path, cache_key(info, mediapipe, SHA))
    assert load_cached_pose(path, cache_key(info, mediapipe, SHA), info)[0] is not None


def test_a_foreign_or_partial_cache_is_ignored_with_a_note(tmp_path: Path, runner: PoseSequence) -> None:
    info = info_for(runner, **CLIP)
    key = cache_key(info, AnalysisConfig(), SHA)
    cache = tmp_path / "pose.npz"
    save_cached_pose(runner, cache, key)
    pose, note = load_cached_pose(cache, key, info)
    assert pose is not None and note == ""
    np.testing.assert_array_equal(pose.times_s, runner.times_s)
    # Another video (same model, same fps: the old check matched on these only).
    other = cache_key(info, AnalysisConfig(), "cd" * 32)
    pose, note = load_cached_pose(cache, other, info)
    assert pose is None and "another video" in note
    # A cache without a key (written by an older gait).
    runner.save(cache)
    pose, note = load_cached_pose(cache, key, info)
    assert pose is None and "no video key" in note
    # The first half only.
    half = runner.n_frames // 2
    part = runner.with_(
        **{
            k: getattr(runner, k)[:half]
            for k in ("times_s", "frame_index", "image_xy_px", "world_xyz_m", "visibility", "presence")
        }
    )
    assert not covers_clip(part, info) and covers_clip(runner, info)
    save_cached_pose(part, cache, key)
    pose, note = load_cached_pose(cache, key, info)
    assert pose is None and "only part" in note
    # A damaged file.
    cache.write_bytes(b"PK\x03\x04 not really")
    pose, note = load_cached_pose(cache, key, info)
    assert pose is None and "cannot be read" in note


def test_analyze_video_does_not_reuse_another_clips_pose(
    tmp_path: Path, runner: PoseSequence, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`analyze a.mp4 --out o` then `analyze b.mp4 --out o`: b's pose is extracted, not a's reused."""
    from gait import pipeline
    from tests.support import corpus

    a = corpus.synthetic_video(tmp_path, "running.mp4", n_frames=180, content="gradient")
    b = corpus.synthetic_video(tmp_path, "walking.mp4", n_frames=180, content="dark")
    calls: list[str] = []

    def fake_extract(info: VideoInfo, **kw: object) -> PoseSequence:
        calls.append(Path(info.path).name)
        return runner

    monkeypatch.setattr(pipeline, "extract_pose_parallel", fake_extract)
    monkeypatch.setattr(pipeline, "check_orientation", lambda pose, info: None)
    cache = tmp_path / "o" / "pose.npz"
    cache.parent.mkdir()
    pipeline.analyze_video(a, pose_cache=cache)
    report_b, _ = pipeline.analyze_video(b, pose_cache=cache)
    assert calls == ["running.mp4", "walking.mp4"]
    assert any("was not used" in n and "another video" in n for n in report_b.notes)
    assert not any("pose.npz" in n for n in report_b.notes)  # the app's cache has a hash for a name: never shown
    pipeline.analyze_video(b, pose_cache=cache)  # the same clip again: reused
    assert calls == ["running.mp4", "walking.mp4"]
    pipeline.analyze_video(b, AnalysisConfig(model="lite"), pose_cache=cache)  # another model: extracted again
    assert calls[-1] == "walking.mp4" and len(calls) == 3


def test_saving_a_pose_leaves_no_temp_file_on_failure(
    tmp_path: Path, runner: PoseSequence, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = np.savez_compressed

    def full_disk(file: object, **arrays: object) -> None:
        real(file, **arrays)  # the temp file exists by now ...
        raise OSError(errno.ENOSPC, "No space left on device", str(file))

    monkeypatch.setattr(np, "savez_compressed", full_disk)
    with pytest.raises(OSError, match="No space"):
        runner.save(tmp_path / "pose.npz")
    assert list(tmp_path.iterdir()) == []


# --- option ranges ---------------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    setting=st.sampled_from(["height_cm", "belt_speed_kmh", "capture_fps"]),
    value=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**12), 10**12)),
)
def test_every_user_setting_has_a_plausible_range(setting: str, value: float) -> None:
    lo, hi, unit, _ = RANGES[setting]
    inside = np.isfinite(value) and lo <= value <= hi
    if inside:
        assert getattr(AnalysisConfig(**{setting: value}), setting) == value
        assert check_range(setting, value) == float(value)
    else:
        with pytest.raises(SettingError) as err:
            AnalysisConfig(**{setting: value})
        msg = str(err.value)
        assert f"{lo:g}-{hi:g} {unit}" in msg and "--" + setting.replace("_", "-") in msg
        assert isinstance(err.value, ValueError)  # Python API callers can catch a ValueError


@pytest.mark.parametrize(
    ("kw", "needle"),
    [
        ({"height_cm": 1e9}, "100-230 cm"),
        ({"height_cm": 0.1}, "100-230 cm"),
        ({"belt_speed_kmh": 1000.0}, "3-30 km/h"),
        ({"capture_fps": 5.0}, "60-1000 fps"),
        ({"max_people": 0}, "1-3"),
        ({"view": "top"}, "auto, side"),
        ({"model": ""}, "--model is empty"),
        ({"engine": "opencv"}, "mediapipe, litert"),
        ({"detect_every_frames": 0}, "1-300 frames"),
        ({"detect_every_frames": 2.5}, "whole number"),
        ({"cutoff_hz": float("nan")}, "finite"),
    ],
)
def test_absurd_settings_are_refused_in_the_python_api(kw: dict[str, object], needle: str) -> None:
    with pytest.raises(SettingError, match=needle):
        AnalysisConfig(**kw)  # type: ignore[arg-type]
    with pytest.raises(SettingError, match=needle):
        AnalysisConfig().with_(**kw)


@given(workers=st.integers(-(10**6), 10**6), cores=st.integers(1, 256))
def test_workers_are_capped_at_the_cores(workers: int, cores: int) -> None:
    if workers < 1:
        with pytest.raises(SettingError, match=f"1 to {cores}"):
            check_workers(workers, cores)
    else:
        assert check_workers(workers, cores) == min(workers, cores)
    assert check_workers(None, cores) is None


# --- body orientation ----------------------------------------------------------------------------------------


def _turned(pose: PoseSequence, quarter_turns: int) -> PoseSequence:
    """The pose as it looks when the picture is turned by ``quarter_turns`` × 90° counter-clockwise."""
    w, h = pose.width, pose.height
    x, y = pose.image_xy_px[..., 0], pose.image_xy_px[..., 1]
    k = quarter_turns % 4
    if k == 0:
        nx, ny, nw, nh = x, y, w, h
    elif k == 1:
        nx, ny, nw, nh = y, w - x, h, w
    elif k == 2:
        nx, ny, nw, nh = w - x, h - y, w, h
    else:
        nx, ny, nw, nh = h - y, x, h, w
    return pose.with_(image_xy_px=np.stack([nx, ny], axis=-1), width=nw, height=nh)


@pytest.mark.parametrize(("turns", "found"), [(0, "upright"), (1, "sideways"), (2, "upside_down"), (3, "sideways")])
def test_a_sideways_or_upside_down_body_is_refused(runner: PoseSequence, turns: int, found: str) -> None:
    pose = _turned(runner, turns)
    assert orientation_of(pose) == found
    if found == "upright":
        check_orientation(pose, info_for(pose, **CLIP))
        return
    with pytest.raises(OrientationError) as err:
        check_orientation(pose, info_for(pose, **CLIP, rotation_deg=90 if turns % 2 else 0))
    msg = str(err.value)
    assert ("upside down" if found == "upside_down" else "sideways") in msg
    assert "clip.mp4" in msg and "Rotate the video upright" in msg
    assert ("rotation tag (90°)" in msg) if turns % 2 else ("no rotation tag" in msg)


def test_a_leaning_runner_is_upright(runner: PoseSequence) -> None:
    assert orientation_of(make_pose(duration_s=4.0, fps=30.0, trunk_lean_deg=25.0).pose) == "upright"


# --- hostile pose files ------------------------------------------------------------------------------------------


def _npz(path: Path, **arrays: np.ndarray) -> Path:
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type]
    return path


def _arrays(pose: PoseSequence) -> dict[str, np.ndarray]:
    names = ("times_s", "frame_index", "image_xy_px", "world_xyz_m", "visibility", "presence")
    return {k: getattr(pose, k) for k in names}


def _meta(**changes: object) -> np.ndarray:
    meta = {"version": 1, "width": 720, "height": 1280, "fps": 30.0, "n_people_max": 1, "model": "full", **changes}
    return np.array(json.dumps(meta))


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda d, p: _npz(d / "a.npz", meta=np.array(json.dumps([1, 2])), **_arrays(p)), "is a list"),
        (lambda d, p: _npz(d / "b.npz", meta=_meta(width=None), **_arrays(p)), "width is None"),
        (lambda d, p: _npz(d / "c.npz", meta=_meta(fps="fast"), **_arrays(p)), "fps is 'fast'"),
        (lambda d, p: _npz(d / "d.npz", meta=_meta(version=99), **_arrays(p)), "version 99"),
        (lambda d, p: _npz(d / "e.npz", meta=_meta(), **{**_arrays(p), "times_s": p.times_s.astype(str)}), "times_s"),
        (lambda d, p: _npz(d / "f.npz", meta=_meta(), **{**_arrays(p), "visibility": p.visibility[:5]}), "visibility"),
        (lambda d, p: _npz(d / "g.npz", meta=_meta(), times_s=p.times_s), "no frame_index"),
        (lambda d, p: _npz(d / "h.npz", meta=_meta(), **{**_arrays(p), "times_s": p.times_s[::-1].copy()}), "times"),
        (lambda d, p: (d / "folder.npz").mkdir() or d / "folder.npz", "is a folder"),
        (lambda d, p: (d / "text.npz").write_text("hello") and d / "text.npz", "cannot be read"),
    ],
)
def test_a_crafted_pose_file_is_refused_with_one_clear_message(
    tmp_path: Path, runner: PoseSequence, make, needle: str
) -> None:
    path = make(tmp_path, runner)
    with pytest.raises(PoseFileError) as err:
        PoseSequence.load(path)
    msg = str(err.value)
    assert needle in msg and str(path) in msg and "delete it" in msg
    assert "\n" not in msg


def test_a_truncated_pose_file_is_refused(tmp_path: Path, runner: PoseSequence) -> None:
    good = tmp_path / "good.npz"
    runner.save(good)
    cut = tmp_path / "cut.npz"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(PoseFileError, match="cannot be read"):
        PoseSequence.load(cut)


def test_a_zip_bomb_is_refused_before_anything_large_is_allocated(tmp_path: Path) -> None:
    """A small file that would expand to 600 MB: refused from the zip directory, with little memory used."""
    bomb = tmp_path / "bomb.npz"
    n = 600 * 1024**2 // 8
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("meta.npy", _npy_bytes(_meta()))
        for name in ("frame_index", "image_xy_px", "world_xyz_m", "visibility", "presence"):
            z.writestr(f"{name}.npy", _npy_bytes(np.zeros(1)))
        with z.open("times_s.npy", "w", force_zip64=True) as f:
            header = np.lib.format.header_data_from_array_1_0(np.zeros(1))
            header["shape"] = (n,)
            np.lib.format.write_array_header_1_0(f, header)
            zeros = bytes(1 << 22)
            for _ in range(n * 8 // len(zeros)):
                f.write(zeros)
    assert bomb.stat().st_size < 3 * 1024**2
    tracemalloc.start()
    try:
        with pytest.raises(PoseFileError, match=r"over the .* byte limit"):
            PoseSequence.load(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024**2, peak


def _npy_bytes(arr: np.ndarray) -> bytes:
    import io

    buf = io.BytesIO()
    np.save(buf, arr)
    return buf.getvalue()


# --- hostile report.json (compare, batch resume, history) -----------------------------------------------------


@pytest.fixture(scope="module")
def report_dict(runner: PoseSequence) -> dict:
    from gait import analyze_pose

    pose = make_pose(duration_s=8.0, fps=60.0).pose
    report, _ = analyze_pose(pose, info_for(pose, **CLIP), AnalysisConfig(height_cm=175.0))
    return report.to_dict()


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


def _paths(d: object, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(d, dict):
        for k, v in d.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(d, list):
        for i, v in enumerate(d[:2]):
            out += _paths(v, (*prefix, i))
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_damaged_report_is_refused_or_read_never_a_crash(report_dict: dict, data: st.DataObject) -> None:
    """Replace any one value of a valid report.json with any JSON: the loader either returns a report whose
    metric values are numbers (what compare computes with) or raises ReportFileError, nothing else."""
    from gait.workflows.compare import compare_reports, comparison_text

    d = copy.deepcopy(report_dict)
    where = data.draw(st.sampled_from(_paths(d)))
    target = d
    for k in where[:-1]:
        target = target[k]
    target[where[-1]] = data.draw(JSON)
    try:
        report = report_from_text(json.dumps(d), "x/report.json")
    except ReportFileError as exc:
        assert str(exc).startswith("x/report.json: ") and "\n" not in str(exc)
        return
    for m in report.metrics.values():
        assert m.value is None or isinstance(m.value, (int, float))
    comparison_text(compare_reports(report, report))


def test_a_report_saved_with_a_byte_order_mark_reads(tmp_path: Path, report_dict: dict) -> None:
    p = tmp_path / "report.json"
    p.write_text("\ufeff" + json.dumps(report_dict), encoding="utf-8")  # as Windows Notepad saves it
    assert load_report(p).metrics["cadence_spm"].value == report_dict["metrics"]["cadence_spm"]["value"]


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (lambda d: d.update(metrics=[1, 2]), "metrics are a list"),
        (lambda d: d["metrics"]["cadence_spm"].update(value="170"), "not a number"),
        (lambda d: d.update(schema_version=99), "newer gait"),
        (lambda d: d.pop("video"), "no video section"),
        (lambda d: d["metrics"]["cadence_spm"].update(value=1e308), "not a number any measurement"),
        (lambda d: d["metrics"]["cadence_spm"].update(value=float("nan")), "not a number any measurement"),
        (lambda d: d["metrics"]["trunk_lean_deg"].update(value=float("inf")), "not a number any measurement"),
        (lambda d: d["metrics"]["cadence_spm"].update(value=-169.0), "cannot be negative"),
    ],
)
def test_compare_refuses_a_crafted_report(tmp_path: Path, report_dict: dict, change, needle: str) -> None:
    d = copy.deepcopy(report_dict)
    change(d)
    p = tmp_path / "report.json"
    p.write_text(json.dumps(d))
    with pytest.raises(ReportFileError, match=needle):
        load_report(p)
    from gait.cli.entry import main

    assert main(["compare", str(p), str(p)]) == 2


# --- landmark confidence at contact (motion blur) ----------------------------------------------------------------


@pytest.mark.parametrize(("vis", "expected"), [(1.0, "good"), (0.6, "fair"), (0.3, "poor")])
def test_blurred_legs_at_contact_lower_the_quality_of_contact_values(vis: float, expected: str) -> None:
    """The model's visibility of the lower legs around each contact drops (motion blur): every value measured at
    contact is then at most fair, with a warning; the rest keeps its quality."""
    from gait import analyze_pose
    from gait.checks.leg_visibility import CONTACT_PHASE_METRICS

    runner = make_pose(duration_s=10.0, fps=60.0)
    pose = runner.pose
    visibility = pose.visibility.copy()
    legs = [25, 26, 27, 28, 29, 30, 31, 32]
    for foot in ("left", "right"):
        for t in runner.truth["contacts"][foot]:
            near = np.abs(pose.times_s - t) <= 2.5 / 60.0
            visibility[np.ix_(near, legs)] = vis
    report, _ = analyze_pose(pose.with_(visibility=visibility), info_for(pose, **CLIP), AnalysisConfig(height_cm=175.0))
    blurred = [w for w in report.quality.warnings if "blurred or hard to see" in w]
    assert bool(blurred) == (expected != "good")
    for name in CONTACT_PHASE_METRICS:
        m = report.metrics.get(name)
        if m is not None and m.quality != "unavailable":
            assert m.quality == expected, (name, m.quality)
    assert report.metrics["trunk_lean_deg"].quality == "good"
