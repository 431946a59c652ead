"""Shared fixtures: the pose cache (see ``tests/helpers.py``) and the analyses of the real clips, each computed
once per test session.

``GAIT_TEST_FRESH_POSE=1`` (or ``-p no:cacheprovider``) uses a pose cache for this session only. Helpers (paths,
synthetic runners, the CLI) live in ``tests/helpers.py``; the names below are re-exported for older imports.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import (  # noqa: F401  (re-exported)
    CLIPS,
    MODELS,
    POSE_CODE,
    ROOT,
    SHARED,
    TREADMILL,
    TREADMILL_CADENCE_SPM,
    WALKING,
    ClipCache,
    PoseCache,
    clip,
    pose_key,
)


@pytest.fixture(scope="session")
def pose_cache(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> PoseCache:
    """The pose cache: persistent under .pytest_cache, or for this session only (see the module docstring)."""
    cache = getattr(request.config, "cache", None)
    if cache is None or os.environ.get("GAIT_TEST_FRESH_POSE"):
        # One folder for the whole session: under pytest-xdist each worker's basetemp is popen-gwN inside the
        # session's, so the workers share their poses (PoseCache locks each entry while it is computed).
        base = tmp_path_factory.getbasetemp()
        root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "pose-cache"
        root.mkdir(exist_ok=True)
        return PoseCache(root)
    return PoseCache(Path(cache.mkdir("gait-pose")))


@pytest.fixture(scope="session")
def clip_cache(pose_cache: PoseCache) -> ClipCache:
    """Generated clips (tests/corpus.py), kept next to the pose cache (persistent, or for this session only)."""
    return ClipCache(pose_cache.root.parent / (pose_cache.root.name + "-clips"))


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
