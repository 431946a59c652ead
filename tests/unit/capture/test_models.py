"""Pose model resolution and integrity checks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gait.capture.models import MODEL_SHA256, file_sha256, resolve_model
from gait.core.errors import ModelError
from tests.support.paths import MODELS


def test_default_model_is_vendored_and_verified() -> None:
    path = resolve_model("full")
    assert path.is_file() and "gait" in path.parts
    assert file_sha256(path) == MODEL_SHA256["full"]
    assert (path.parent / "LICENSE-pose-models-Apache-2.0.txt").is_file()


def test_missing_named_model_says_where_to_put_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAIT_MODEL_DIR", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with pytest.raises(ModelError) as err:
        resolve_model("heavy")
    msg = str(err.value)
    assert "pose_landmarker_heavy.task" in msg and str(tmp_path) in msg and "GAIT_MODEL_DIR" in msg


def test_named_model_from_model_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    if not (MODELS / "pose_landmarker_lite.task").is_file():
        pytest.skip("../shared/models absent")
    monkeypatch.setenv("GAIT_MODEL_DIR", str(MODELS))
    assert resolve_model("lite") == MODELS / "pose_landmarker_lite.task"


def test_checksum_mismatch_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "pose_landmarker_lite.task"
    shutil.copy(resolve_model("full"), bad)  # a valid bundle, but not the lite one
    monkeypatch.setenv("GAIT_MODEL_DIR", str(tmp_path))
    with pytest.raises(ModelError, match="checksum mismatch"):
        resolve_model("lite")


def test_model_path_must_be_a_bundle(tmp_path: Path) -> None:
    junk = tmp_path / "x.task"
    junk.write_text("not a zip")
    with pytest.raises(ModelError, match=r"not a MediaPipe \.task bundle"):
        resolve_model(str(junk))
    with pytest.raises(ModelError, match="no such model file"):
        resolve_model(str(tmp_path / "missing.task"))
