"""The pose cache and the generated-clip cache: each real or generated clip's pose computed by the real code once,
for all workers, and reused while nothing it depends on changes.

The pose cache lives in ``.pytest_cache/d/gait-pose/`` and survives sessions. Each entry is keyed on the clip's
sha256, the model file's sha256, the source of the code that computes a pose (:data:`POSE_CODE`), the MediaPipe and
PyAV versions and the settings that change a pose (model, people tracked, workers, capture rate): any change
computes it again, so it is never stale.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.support.paths import ROOT

#: The code (under ``gait/``) whose output a cached pose is: any edit there computes every pose again.
POSE_CODE = (
    "capture/pose.py",
    "capture/video.py",
    "capture/probe.py",
    "capture/parallel.py",
    "capture/detections.py",
    "capture/chunks.py",
    "capture/models.py",
    "core/types.py",
    "core/posedata.py",
    "capture/engine_litert.py",
    "capture/tracking.py",
)


def pose_key(
    video: Path,
    model: str = "full",
    max_people: int = 2,
    workers: int | None = None,
    capture_fps: float | None = None,
    engine: str | None = None,
    **extra: Any,
) -> str:
    """Cache key of the pose ``analyze_video`` computes for ``video`` with these settings."""
    import importlib.metadata

    import av
    import mediapipe

    from gait import AnalysisConfig
    from gait.capture.chunks import available_cores
    from gait.capture.models import file_sha256, resolve_model

    parts = {
        "clip": file_sha256(video),
        "model": file_sha256(resolve_model(model)),
        "code": [file_sha256(ROOT / "gait" / name) for name in POSE_CODE],
        "versions": [mediapipe.__version__, av.__version__, importlib.metadata.version("ai-edge-litert")],
        "max_people": max_people,
        "workers": workers or available_cores(),
        "capture_fps": capture_fps,
        "engine": engine or AnalysisConfig.engine,
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
            video,
            model=config.model,
            max_people=config.max_people,
            workers=workers,
            capture_fps=config.capture_fps,
            engine=config.engine,
            **({"detect_every": config.detect_every_frames} if config.engine == "litert" else {}),
        )
        with self.locked(cached):
            return analyze_video(video, config, pose_cache=cached, workers=workers)

    def pose(
        self,
        video: Path,
        workers: int | None = None,
        model: str = "full",
        max_people: int = 2,
        engine: str | None = None,
    ) -> Any:
        """``extract_pose_parallel`` of ``video`` (a PoseSequence), from the cache when there."""
        from gait import AnalysisConfig
        from gait.capture.parallel import extract_pose_parallel
        from gait.capture.pose_cache import cache_key, save_cached_pose
        from gait.capture.probe import probe_video
        from gait.core.types import PoseSequence

        engine = engine or AnalysisConfig.engine
        entry = self.file(video, model=model, max_people=max_people, workers=workers, engine=engine)
        with self.locked(entry):
            if entry.is_file():
                return PoseSequence.load(entry)
            info = probe_video(video)
            pose = extract_pose_parallel(info, model, workers, num_poses=max_people, engine=engine)
            # With gait's own key, so that :meth:`analyze` (which shares this entry) can use it too.
            config = AnalysisConfig(model=model, max_people=max_people, engine=engine)
            save_cached_pose(pose, entry, cache_key(info, config))
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
    """Clips generated by :mod:`tests.support.corpus`, made once and reused while nothing they are made from changes.

    Re-encoding the real clip (a 4K copy, two runners side by side, slow motion, ...) takes 5-30 s a clip; the
    encoder is deterministic, so the same recipe gives the same bytes (which is also why their poses hit the pose
    cache). An entry is keyed on the recipe (the corpus function, the sha256 of every input file, the code of any
    transform, the other arguments), the source of ``tests/support/corpus.py`` and the PyAV / FFmpeg versions: any
    change
    makes the clip again. Entries sit next to the pose cache, under the same per-entry file lock."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def key(self, make: Any, *args: Any, **kwargs: Any) -> str:
        """Cache key of ``make(folder, *args, **kwargs)``."""
        import av

        from gait.capture.models import file_sha256

        parts = {
            "recipe": f"{make.__module__}.{make.__qualname__}",
            "corpus": file_sha256(ROOT / "tests" / "support" / "corpus.py"),
            "args": _fingerprint(list(args)),
            "kwargs": _fingerprint(kwargs),
            "versions": [av.__version__, {k: list(v) for k, v in sorted(av.library_versions.items())}],
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]

    def make(self, make: Any, folder: Path, *args: Any, **kwargs: Any) -> Path:
        """``make(folder, *args, **kwargs)`` (a :mod:`tests.support.corpus` function writing one clip into ``folder``):
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
