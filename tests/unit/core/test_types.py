"""PoseSequence persistence and GaitReport JSON round trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gait.core.errors import PoseFileError
from gait.core.types import (
    SCHEMA_VERSION,
    Cue,
    GaitEvent,
    GaitReport,
    MetricSummary,
    PoseSequence,
    QualityReport,
    VideoInfo,
)


def _pose(n: int = 5) -> PoseSequence:
    rng = np.random.default_rng(0)
    xy = rng.uniform(0, 100, (n, 33, 2))
    xy[2] = np.nan
    return PoseSequence(
        times_s=np.arange(n) / 30.0,
        frame_index=np.arange(n),
        image_xy_px=xy,
        world_xyz_m=rng.normal(size=(n, 33, 3)),
        visibility=rng.uniform(size=(n, 33)),
        presence=rng.uniform(size=(n, 33)),
        width=640,
        height=480,
        fps=30.0,
        n_people_max=2,
        model="lite",
    )


def test_pose_roundtrip_keeps_nan_frames(tmp_path: Path) -> None:
    p = _pose()
    p.save(tmp_path / "p.npz")
    q = PoseSequence.load(tmp_path / "p.npz")
    np.testing.assert_array_equal(q.image_xy_px, p.image_xy_px)
    np.testing.assert_array_equal(q.detected, [True, True, False, True, True])
    assert (q.width, q.height, q.fps, q.n_people_max, q.model) == (640, 480, 30.0, 2, "lite")


def test_damaged_pose_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "p.npz"
    bad.write_bytes(b"garbage")
    with pytest.raises(PoseFileError, match="delete it"):
        PoseSequence.load(bad)


def test_shape_mismatch_is_rejected() -> None:
    p = _pose()
    with pytest.raises(ValueError, match="image_xy_px"):
        p.with_(image_xy_px=p.image_xy_px[:, :10])


def test_report_json_roundtrip() -> None:
    info = VideoInfo(
        path="a.mp4",
        fps=29.97,
        fps_fraction="30000/1001",
        n_frames=10,
        duration_s=0.3337,
        width=1080,
        height=1920,
        rotation_deg=90,
        codec="h264",
        capture_fps=240.0,
    )
    report = GaitReport(
        video=info,
        view="side",
        facing="left",
        activity="running",
        events=(GaitEvent("left", "contact", 3, 0.1001, "left"),),
        metrics={
            "cadence_spm": MetricSummary("cadence_spm", 170.2, "steps/min", 1.5, 20, None, None, None),
            "overstride_cm": MetricSummary("overstride_cm", None, "cm", quality="unavailable", reason="x"),
        },
        strides=({"foot": "left", "cadence_spm": 170.0},),
        cues=(Cue("run_tall", "Run tall", "watch", "m", "e", (1, 2), ("plank",), {"trunk_lean_deg": 16.0}),),
        quality=QualityReport(pose_detected_pct=99.0, swaps_corrected=2, warnings=("w",)),
    )
    text = report.to_json()
    back = GaitReport.from_json(text)
    assert back == report
    assert back.to_json() == text
    d = report.to_dict()
    assert d["schema_version"] == SCHEMA_VERSION and d["video"]["fps"] == 29.97
    assert d["metrics"]["overstride_cm"]["value"] is None
