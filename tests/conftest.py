"""Shared fixtures: paths to ../shared (clips, models), and the pose of each clip computed once, then cached.

The pose cache lives in ``.pytest_cache/d/gait-pose/`` and survives sessions. Each entry is keyed on the clip's
sha256, the model file's sha256, the source of the code that computes a pose (``gait/pose.py``, ``video.py``,
``parallel.py``, ``models.py``, ``types.py``), the MediaPipe and PyAV versions and the settings that change a pose
(model, people tracked, workers, capture rate): any change computes it again, so it is never stale.
``GAIT_TEST_FRESH_POSE=1`` (or ``-p no:cacheprovider``) uses a cache for this session only.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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
POSE_CODE = ("pose.py", "video.py", "parallel.py", "models.py", "types.py")


def clip(path: Path) -> Path:
    """Return the clip's path, or skip the test when ../shared/clips is absent (CI has it)."""
    if not path.is_file():
        pytest.skip(f"{path} not available (../shared/clips is absent)")
    return path


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

    from gait.models import file_sha256, resolve_model
    from gait.parallel import available_cores

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
    """Poses of videos, computed by the real code once and reused while nothing they depend on changes."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def file(self, video: Path, **settings: Any) -> Path:
        """Where the pose of ``video`` with ``settings`` (see :func:`pose_key`) is kept."""
        return self.root / f"{video.stem}-{pose_key(video, **settings)}.npz"

    def analyze(self, video: Path, config: Any = None, workers: int | None = None) -> Any:
        """``analyze_video(video, config, workers=workers)``, its pose from the cache when there."""
        from gait import AnalysisConfig, analyze_video

        config = config or AnalysisConfig()
        cached = self.file(
            video, model=config.model, max_people=config.max_people, workers=workers, capture_fps=config.capture_fps
        )
        return analyze_video(video, config, pose_cache=cached, workers=workers)

    def pose(self, video: Path, workers: int | None = None, model: str = "full", max_people: int = 2) -> Any:
        """``extract_pose_parallel`` of ``video`` (a PoseSequence), from the cache when there."""
        from gait.parallel import extract_pose_parallel
        from gait.types import PoseSequence
        from gait.video import probe_video

        entry = self.file(video, model=model, max_people=max_people, workers=workers)
        if entry.is_file():
            return PoseSequence.load(entry)
        pose = extract_pose_parallel(probe_video(video), model, workers, num_poses=max_people)
        pose.save(entry)
        return pose

    def seed_cli(self, video: Path, out: Path, args: Sequence[str]) -> Path:
        """Put the cached pose of ``video`` for CLI ``args`` in ``out/pose.npz`` (the CLI reuses it); returns the
        cache entry, to fill with :meth:`keep_cli` after the run when it was missing."""
        entry = self.file(video, cli=list(args))
        out.mkdir(parents=True, exist_ok=True)
        if entry.is_file():
            shutil.copyfile(entry, out / "pose.npz")
        return entry

    @staticmethod
    def keep_cli(entry: Path, out: Path) -> None:
        """Store the pose a CLI run wrote in ``out`` under ``entry``."""
        if not entry.is_file() and (out / "pose.npz").is_file():
            tmp = entry.with_name(entry.name + ".tmp.npz")
            shutil.copyfile(out / "pose.npz", tmp)
            tmp.replace(entry)


@pytest.fixture(scope="session")
def pose_cache(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> PoseCache:
    """The pose cache: persistent under .pytest_cache, or for this session only (see the module docstring)."""
    cache = getattr(request.config, "cache", None)
    if cache is None or os.environ.get("GAIT_TEST_FRESH_POSE"):
        return PoseCache(tmp_path_factory.mktemp("pose-cache"))
    return PoseCache(Path(cache.mkdir("gait-pose")))


@pytest.fixture(scope="session")
def treadmill_analysis(pose_cache: PoseCache):
    """(report, clean) of the treadmill clip with the default model."""
    from gait import AnalysisConfig

    return pose_cache.analyze(clip(TREADMILL), AnalysisConfig(height_cm=178.0))


@pytest.fixture(scope="session")
def walking_analysis(pose_cache: PoseCache):
    """(report, clean) of the walking clip."""
    from gait import AnalysisConfig

    return pose_cache.analyze(clip(WALKING), AnalysisConfig())
