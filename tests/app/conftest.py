"""The app tests' pose cache: the app keeps poses in ``$GAIT_POSE_CACHE_DIR``; this folder is filled with the
real clip's pose from the test pose cache (computed by the real code once, see ``tests/conftest.py``), so the app
runs every stage after the pose model, with the CLI's checks, without running the model again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.caches import PoseCache
from tests.support.paths import ROOT, TREADMILL, WALKING, clip

SAMPLE = ROOT / "sample_videos" / "treadmill_side.mp4"
WALKING_SAMPLE = ROOT / "sample_videos" / "sample.mp4"


def seed_pose(folder: Path, video: Path, pose: object) -> Path:
    """Put ``pose`` in ``folder`` where the app looks for the pose of ``video`` (default settings)."""
    from gait.capture.pose_cache import cache_key, save_cached_pose
    from gait.capture.probe import probe_video
    from gait.capture.uploads import sha256_bytes
    from gait.core.config import AnalysisConfig
    from gait.ui.common import pose_cache_file

    config = AnalysisConfig()
    info = probe_video(video)
    digest = sha256_bytes(video.read_bytes())
    target = folder / pose_cache_file(digest, config).name
    save_cached_pose(pose, target, cache_key(info, config, digest))  # type: ignore[arg-type]
    return target


@pytest.fixture(scope="session")
def app_pose_dir(pose_cache: PoseCache, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pose folder for the app holding the sample clip's pose."""
    folder = tmp_path_factory.mktemp("app-poses")
    video = clip(TREADMILL)
    pose = pose_cache.pose(video)
    for v in {video, SAMPLE} if SAMPLE.is_file() else {video}:
        seed_pose(folder, v, pose)
    if WALKING.is_file() and WALKING_SAMPLE.is_file():  # the "Try a walking clip" button
        seed_pose(folder, WALKING_SAMPLE, pose_cache.pose(WALKING))
    return folder


@pytest.fixture(autouse=True)
def _app_poses(app_pose_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("GAIT_POSE_CACHE_DIR", str(app_pose_dir))
    yield
