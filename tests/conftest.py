"""Shared fixtures: the pose cache (``tests/support/caches.py``) and the analyses of the real clips, each computed
once per test session.

``GAIT_TEST_FRESH_POSE=1`` (or ``-p no:cacheprovider``) uses a pose cache for this session only. Helpers live in
``tests/support/`` by domain: paths, caches, synthetic runners, the CLI, generated clips (``corpus``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.caches import ClipCache, PoseCache
from tests.support.paths import TREADMILL, WALKING, clip


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
    """Generated clips (tests/support/corpus.py), kept next to the pose cache (persistent, or for this session only)."""
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


def _tracked_changes(root: Path) -> str | None:
    """``git status`` of the tracked files under ``root`` (None outside a git checkout)."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True, text=True
        )
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def pytest_sessionstart(session: pytest.Session) -> None:
    """Remember which tracked files were already changed (a developer's edits), to compare at the end."""
    if _CHECK_TRACKED and not os.environ.get("PYTEST_XDIST_WORKER"):
        session.config.stash[_BEFORE] = _tracked_changes(Path(str(session.config.rootpath)))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The test suite never writes a tracked file: fail the run when one changed while it ran (in CI, or with
    ``GAIT_CHECK_TRACKED=1``)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    before = session.config.stash.get(_BEFORE, None)
    after = _tracked_changes(Path(str(session.config.rootpath)))
    if before is not None and after is not None and after != before:
        changed = sorted(set(after.splitlines()) - set(before.splitlines()))
        if changed:
            print(f"\nThe tests changed tracked files (they must write only to temporary folders): {changed}")
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


_BEFORE = pytest.StashKey[str | None]()
#: Checked in CI (a fresh clone, nobody editing) or on request: a developer's own edits during a run would count.
_CHECK_TRACKED = bool(os.environ.get("CI") or os.environ.get("GAIT_CHECK_TRACKED"))
