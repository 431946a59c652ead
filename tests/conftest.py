"""Shared fixtures: paths to ../shared (clips, models), and analyses of the real clips run once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GAIT_SHARED_DIR", ROOT.parent / "shared"))
CLIPS = SHARED / "clips"
MODELS = SHARED / "models"
TREADMILL = CLIPS / "treadmill_side_male_30fps.mp4"
WALKING = CLIPS / "walking_side_outdoor_sports2d.mp4"
#: Truth from ../shared/clips/MANIFEST.md
TREADMILL_CADENCE_SPM = 168.9


def clip(path: Path) -> Path:
    """Return the clip's path, or skip the test when ../shared/clips is absent (CI has it)."""
    if not path.is_file():
        pytest.skip(f"{path} not available (../shared/clips is absent)")
    return path


@pytest.fixture(scope="session")
def treadmill_analysis(tmp_path_factory: pytest.TempPathFactory):
    """(report, clean) of the treadmill clip with the default model, pose extracted once per session."""
    from gait import AnalysisConfig, analyze_video

    cache = tmp_path_factory.mktemp("pose") / "treadmill.npz"
    return analyze_video(clip(TREADMILL), AnalysisConfig(height_cm=178.0), pose_cache=cache)


@pytest.fixture(scope="session")
def walking_analysis(tmp_path_factory: pytest.TempPathFactory):
    """(report, clean) of the walking clip."""
    from gait import AnalysisConfig, analyze_video

    cache = tmp_path_factory.mktemp("pose") / "walking.npz"
    return analyze_video(clip(WALKING), AnalysisConfig(), pose_cache=cache)
