"""Paths to ``../shared`` (clips, models) and skipping cleanly when a clip is absent (CI has them all)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
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
