"""What several test modules share: paths to ../shared, the pose cache, synthetic runners, and the CLI as a
subprocess. Test modules import from here (and fixtures come from ``tests/conftest.py``), never from one another.

The pose cache lives in ``.pytest_cache/d/gait-pose/`` and survives sessions. Each entry is keyed on the clip's
sha256, the model file's sha256, the source of the code that computes a pose (``gait/capture/pose.py``, ``video.py``,
``parallel.py``, ``models.py``, ``types.py``), the MediaPipe and PyAV versions and the settings that change a pose
(model, people tracked, workers, capture rate): any change computes it again, so it is never stale.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GAIT_SHARED_DIR", ROOT.parent / "shared"))
CLIPS = SHARED / "clips"
MODELS = SHARED / "models"
TREADMILL = CLIPS / "treadmill_side_male_30fps.mp4"
WALKING = CLIPS / "walking_side_outdoor_sports2d.mp4"
#: Truth from ../shared/clips/MANIFEST.md
TREADMILL_CADENCE_SPM = 168.9
#: The code whose output a cached pose is: any edit there invalidates the cache.
POSE_CODE = (
    "capture/pose.py",
    "capture/video.py",
    "capture/parallel.py",
    "capture/models.py",
    "core/types.py",
    "core/posedata.py",
)


def clip(path: Path) -> Path:
    """Return the clip's path, or skip the test when ../shared/clips is absent (CI has it)."""
    if not path.is_file():
        pytest.skip(f"{path} not available (../shared/clips is absent)")
    return path


# --- the pose cache -----------------------------------------------------------------------------------------------


def pose_key(
    video: Path,
    model: str = "full",
    max_people: int = 2,
    workers: int | None = None,
    capture_fps: float | None = None,
    **extra: Any,
) -> str:
    """Cache key of the pose ``analyze_video`` computes for ``video`` with these settings."""
    import av
    import mediapipe

    from gait.capture.models import file_sha256, resolve_model
    from gait.capture.parallel import available_cores

    parts = {
        "clip": file_sha256(video),
        "model": file_sha256(resolve_model(model)),
        "code": [file_sha256(ROOT / "gait" / name) for name in POSE_CODE],
        "versions": [mediapipe.__version__, av.__version__],
        "max_people": max_people,
        "workers": workers or available_cores(),
        "capture_fps": capture_fps,
        **extra,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]


class PoseCache:
    """Poses of videos, computed by the real code once and reused while nothing they depend on changes.

    Entries are computed under a file lock: with several pytest-xdist workers the first computes a pose and the
    others wait for it and read it, so each pose is computed once per session however the tests are spread."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @staticmethod
    @contextmanager
    def locked(entry: Path) -> Iterator[None]:
        """Hold ``entry``'s lock (one process at a time computes or reads it)."""
        entry.parent.mkdir(parents=True, exist_ok=True)
        with open(entry.with_name(entry.name + ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def file(self, video: Path, **settings: Any) -> Path:
        """Where the pose of ``video`` with ``settings`` (see :func:`pose_key`) is kept."""
        return self.root / f"{video.stem}-{pose_key(video, **settings)}.npz"

    def entry_for(self, video: Path, **settings: Any) -> Path:
        """:meth:`file`, or an entry with the same key kept under another file name (the same bytes copied)."""
        own = self.file(video, **settings)
        return own if own.is_file() else next(self.root.glob(f"*-{pose_key(video, **settings)}.npz"), own)

    def analyze(self, video: Path, config: Any = None, workers: int | None = None) -> Any:
        """``analyze_video(video, config, workers=workers)``, its pose from the cache when there."""
        from gait import AnalysisConfig, analyze_video

        config = config or AnalysisConfig()
        cached = self.file(
            video, model=config.model, max_people=config.max_people, workers=workers, capture_fps=config.capture_fps
        )
        with self.locked(cached):
            return analyze_video(video, config, pose_cache=cached, workers=workers)

    def pose(self, video: Path, workers: int | None = None, model: str = "full", max_people: int = 2) -> Any:
        """``extract_pose_parallel`` of ``video`` (a PoseSequence), from the cache when there."""
        from gait import AnalysisConfig
        from gait.capture.parallel import extract_pose_parallel
        from gait.capture.pose_cache import cache_key, save_cached_pose
        from gait.capture.video import probe_video
        from gait.core.types import PoseSequence

        entry = self.file(video, model=model, max_people=max_people, workers=workers)
        with self.locked(entry):
            if entry.is_file():
                return PoseSequence.load(entry)
            info = probe_video(video)
            pose = extract_pose_parallel(info, model, workers, num_poses=max_people)
            # With gait's own key, so that :meth:`analyze` (which shares this entry) can use it too.
            save_cached_pose(pose, entry, cache_key(info, AnalysisConfig(model=model, max_people=max_people)))
            return pose

    @contextmanager
    def cli(self, video: Path, out: Path, args: Sequence[str]) -> Iterator[None]:
        """Around a run of ``gait analyze VIDEO --out OUT ARGS``: before it, put the cached pose in
        ``out/pose.npz`` (the CLI checks it with its own cache key and reuses it); after it, keep the pose the run
        wrote when the cache had none."""
        entry = self.file(video, cli=list(args))
        with self.locked(entry):
            out.mkdir(parents=True, exist_ok=True)
            if entry.is_file():
                shutil.copyfile(entry, out / "pose.npz")
            yield
            if not entry.is_file() and (out / "pose.npz").is_file():
                tmp = entry.with_name(entry.name + f".{os.getpid()}.tmp.npz")
                shutil.copyfile(out / "pose.npz", tmp)
                tmp.replace(entry)


def _fingerprint(value: Any) -> Any:
    """A JSON-able stand-in for an argument of a clip recipe: a file's sha256, a function's code, else its repr."""
    from gait.capture.models import file_sha256

    if isinstance(value, Path) and value.is_file():
        return {"file_sha256": file_sha256(value)}
    code = getattr(value, "__code__", None)
    if code is not None:
        cells = [c.cell_contents for c in value.__closure__ or ()]
        return {"code": _code_fingerprint(code), "closure": [_fingerprint(c) for c in cells]}
    if isinstance(value, (list, tuple)):
        return [_fingerprint(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _fingerprint(v) for k, v in sorted(value.items())}
    return repr(value)


def _code_fingerprint(code: Any) -> list[Any]:
    """What a code object does (bytecode, constants, names), recursively: equal exactly for the same source."""
    consts = [_code_fingerprint(c) if hasattr(c, "co_code") else repr(c) for c in code.co_consts]
    return [code.co_code.hex(), consts, list(code.co_names)]


class ClipCache:
    """Clips generated by :mod:`tests.corpus`, made once and reused while nothing they are made from changes.

    Re-encoding the real clip (a 4K copy, two runners side by side, slow motion, ...) takes 5-30 s a clip; the
    encoder is deterministic, so the same recipe gives the same bytes (which is also why their poses hit the pose
    cache). An entry is keyed on the recipe (the corpus function, the sha256 of every input file, the code of any
    transform, the other arguments), the source of ``tests/corpus.py`` and the PyAV / FFmpeg versions: any change
    makes the clip again. Entries sit next to the pose cache, under the same per-entry file lock."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def key(self, make: Any, *args: Any, **kwargs: Any) -> str:
        """Cache key of ``make(folder, *args, **kwargs)``."""
        import av

        from gait.capture.models import file_sha256

        parts = {
            "recipe": f"{make.__module__}.{make.__qualname__}",
            "corpus": file_sha256(ROOT / "tests" / "corpus.py"),
            "args": _fingerprint(list(args)),
            "kwargs": _fingerprint(kwargs),
            "versions": [av.__version__, {k: list(v) for k, v in sorted(av.library_versions.items())}],
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]

    def make(self, make: Any, folder: Path, *args: Any, **kwargs: Any) -> Path:
        """``make(folder, *args, **kwargs)`` (a :mod:`tests.corpus` function writing one clip into ``folder``):
        the same file in ``folder``, copied from the cache when it holds the clip, else made and kept."""
        entry_dir = self.root / self.key(make, *args, **kwargs)
        with PoseCache.locked(entry_dir.with_suffix(".clip")):
            made = (
                next((p for p in entry_dir.iterdir() if not p.name.startswith(".")), None)
                if entry_dir.is_dir()
                else None
            )
            if made is None:
                tmp = entry_dir.with_name(entry_dir.name + f".{os.getpid()}.tmp")
                shutil.rmtree(tmp, ignore_errors=True)
                tmp.mkdir(parents=True)
                made = make(tmp, *args, **kwargs)
                for other in tmp.iterdir():  # what the recipe wrote on the way (a part it joined, a still it renamed)
                    if other != made:
                        other.unlink()
                tmp.replace(entry_dir)  # atomic: an entry is complete or absent
                made = entry_dir / made.name
            target = folder / made.name
            shutil.copyfile(made, target)
            return target


# --- synthetic runners (gait.synthetic.runner)

#: A runner with no form problem (every cue quiet), the base the other synthetic runners change one thing of.
HEALTHY: dict[str, Any] = dict(
    overstride_cm=14.0,
    knee_flexion_at_contact_deg=25.0,
    contact_time_ms=300.0,
    belt_speed_kmh=9.0,
    trunk_lean_deg=6.0,
    cadence_spm=172.0,
)
OVERSTRIDER: dict[str, Any] = {
    **HEALTHY,
    "overstride_cm": 26.0,
    "knee_flexion_at_contact_deg": 10.0,
    "contact_time_ms": 260.0,
}
LEANER: dict[str, Any] = {**HEALTHY, "trunk_lean_deg": 23.0}  # past the 15° flag by more than the 6° resolution


def first_frames(pose: Any, n: int) -> Any:
    """The first ``n`` frames of a PoseSequence (a clip cut short)."""
    per_frame = ("times_s", "frame_index", "image_xy_px", "world_xyz_m", "visibility", "presence")
    return pose.with_(**{name: getattr(pose, name)[:n] for name in per_frame})


def info_for(pose: Any, fps: float | None = None, **overrides: Any) -> Any:
    """The VideoInfo of a synthetic ``pose`` (at its own rate unless ``fps`` is given), with ``overrides``."""
    from gait.core.types import VideoInfo

    fps = pose.fps if fps is None else fps
    base: dict[str, Any] = dict(
        path="synthetic.mp4",
        fps=fps,
        fps_fraction=f"{fps:g}/1",
        n_frames=pose.n_frames,
        duration_s=float(pose.times_s[-1]),
        width=pose.width,
        height=pose.height,
        rotation_deg=0,
        codec="h264",
    )
    return VideoInfo(**{**base, **overrides})


def analyse(config: Any = None, **kw: Any) -> tuple[Any, dict]:
    """(report, truth) of a synthetic runner ``make_pose(**kw)``, by default with a 175 cm height."""
    from gait import AnalysisConfig, analyze_pose
    from gait.synthetic.runner import make_pose

    runner = make_pose(**kw)
    report, _ = analyze_pose(runner.pose, info_for(runner.pose), config or AnalysisConfig(height_cm=175.0))
    return report, runner.truth


@cache
def synthetic_report(name: str) -> Any:
    """The report of the synthetic ``"healthy"``, ``"overstrider"`` or ``"leaner"`` runner at 60 fps (computed once
    per process: reports are frozen)."""
    from gait import AnalysisConfig

    kw = {"healthy": HEALTHY, "overstrider": OVERSTRIDER, "leaner": LEANER}[name]
    return analyse(AnalysisConfig(height_cm=175.0), fps=60.0, **kw)[0]


def cue_flip_explained(a: Any, b: Any, cue_id: str, slack: float = 0.05) -> bool:
    """For a cue given in one report and not the other: True when its number moved across the edge where the
    cue starts to fire (its threshold moved by the metric's resolution) between the two reports. A value at that
    edge flips the cue on any change, however small; anywhere else a cue must not come or go."""
    from gait.metrics.registry import REGISTRY

    cue = next(c for c in (*a.cues, *b.cues) if c.id == cue_id)
    threshold = cue.numbers.get("threshold_deg")
    name = next((n for n in REGISTRY for key in cue.numbers if key.startswith(n)), None)
    if threshold is None or name is None:
        return False
    va, vb = a.metrics[name].value, b.metrics[name].value
    if va is None or vb is None:
        return False
    lo, hi = min(va, vb) - slack, max(va, vb) + slack
    r = REGISTRY[name].resolution
    return any(lo <= edge <= hi for edge in (threshold - r, threshold + r))


# --- the CLI as a user runs it ------------------------------------------------------------------------------------


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m gait.cli ARGS`` in a new process: its exit status, stdout and stderr. For the tests of the
    command itself (the README's command, exit statuses, signals, two runs at once); the others use
    :func:`run_cli_in_process`, which skips the ~2 s of interpreter start and imports."""
    return subprocess.run(
        [sys.executable, "-m", "gait.cli", *args], capture_output=True, text=True, timeout=600, cwd=cwd
    )


#: The warning filters of a fresh interpreter (``python -m gait.cli``): what a user of the command would see.
_DEFAULT_WARNING_FILTERS: tuple[tuple[str, type[Warning], str], ...] = (
    ("default", DeprecationWarning, "__main__"),
    ("ignore", DeprecationWarning, ""),
    ("ignore", PendingDeprecationWarning, ""),
    ("ignore", ImportWarning, ""),
    ("ignore", ResourceWarning, ""),
)


def run_cli_in_process(*args: str) -> subprocess.CompletedProcess[str]:
    """``gait ARGS`` run by :func:`gait.cli.entry.main` in this process, as :func:`run_cli` runs it in a new one: the
    same exit status, and everything written to stdout and stderr, from Python (``sys.stdout``) and from native
    code (file descriptors 1 and 2) alike, with the warning filters and environment of a fresh interpreter (the
    environment is restored afterwards)."""
    import contextlib
    import io
    import tempfile
    import warnings

    from gait.cli.entry import main

    py_out, py_err = io.StringIO(), io.StringIO()
    environ = dict(os.environ)
    sys.stdout.flush()
    sys.stderr.flush()
    with tempfile.TemporaryFile() as fd_out, tempfile.TemporaryFile() as fd_err:
        saved = os.dup(1), os.dup(2)
        os.dup2(fd_out.fileno(), 1)
        os.dup2(fd_err.fileno(), 2)
        try:
            with contextlib.redirect_stdout(py_out), contextlib.redirect_stderr(py_err), warnings.catch_warnings():
                warnings.resetwarnings()
                for action, category, module in reversed(_DEFAULT_WARNING_FILTERS):
                    warnings.filterwarnings(action, category=category, module=module)  # type: ignore[arg-type]
                try:
                    code = main(list(args))
                except SystemExit as exc:  # argparse's usage errors and --help
                    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
                    if isinstance(exc.code, str):
                        print(exc.code, file=sys.stderr)
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
            os.environ.clear()
            os.environ.update(environ)
        fd_out.seek(0)
        fd_err.seek(0)
        stdout = py_out.getvalue() + fd_out.read().decode(errors="replace")
        stderr = py_err.getvalue() + fd_err.read().decode(errors="replace")
    return subprocess.CompletedProcess(["gait", *args], code, stdout, stderr)


def analyse_ok(video: Path, out: Path, *extra: str, pose_cache: PoseCache | None = None) -> dict:
    """``gait analyze VIDEO --out OUT --quiet --no-video EXTRA`` succeeds (run in this process,
    :func:`run_cli_in_process`); its report. With ``pose_cache`` the pose comes from there when it holds one (see
    :meth:`PoseCache.cli`): the CLI runs every other stage."""
    args = ("--quiet", "--no-video", *extra)
    if pose_cache is None:
        proc = run_cli_in_process("analyze", str(video), "--out", str(out), *args)
    else:
        with pose_cache.cli(video, out, args):
            proc = run_cli_in_process("analyze", str(video), "--out", str(out), *args)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return json.loads((out / "report.json").read_text())


def assert_clean_error(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    """Exit status 2 and one ``gait: error:`` line holding each needle (case-insensitive), no traceback."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("gait: error: ")
    assert "Traceback" not in proc.stderr + proc.stdout
    for needle in needles:
        assert needle.lower() in lines[0].lower(), lines[0]


def slowed_in_the_middle(factor: float, real_s: tuple[float, float, float] = (8.0, 2.0, 8.0), fps: float = 60.0):
    """A clip whose middle ``real_s[1]`` seconds play ``factor`` × slower (a phone's slow-motion section), at a
    constant frame rate: each frame shows the runner at the real instant of a piecewise-linear time warp."""
    a, b, c = real_s
    from gait.synthetic.runner import make_pose

    pose = make_pose(fps=fps, duration_s=a + b + c + 0.5, **HEALTHY).pose
    n = int((a + factor * b + c) * fps)
    tp = np.arange(n) / fps
    tau = np.where(tp < a, tp, np.where(tp < a + factor * b, a + (tp - a) / factor, tp - (factor - 1) * b))

    def warp(arr: np.ndarray) -> np.ndarray:
        flat = arr.reshape(arr.shape[0], -1)
        out = np.stack([np.interp(tau, pose.times_s, flat[:, j]) for j in range(flat.shape[1])], axis=1)
        return out.reshape((n, *arr.shape[1:]))

    return pose.with_(
        times_s=tp,
        frame_index=np.arange(n),
        image_xy_px=warp(pose.image_xy_px),
        world_xyz_m=warp(pose.world_xyz_m),
        visibility=warp(pose.visibility),
        presence=warp(pose.presence),
    )
