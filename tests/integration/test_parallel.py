"""Pose on two worker processes, stitched at a chunk boundary, against a single-process run of the same clip."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from gait import AnalysisConfig, analyze_pose
from gait.capture.chunks import WARMUP_S, chunk_bounds, lead_seconds
from gait.capture.probe import probe_video
from tests.support.caches import PoseCache
from tests.support.paths import TREADMILL, clip


def test_chunk_bounds_cover_the_clip_without_gaps() -> None:
    assert chunk_bounds(5.0, 2) == [(0.0, float("inf"))]  # too short to split
    b = chunk_bounds(24.0, 2)
    assert len(b) == 2 and b[0][0] == 0.0 and b[-1][1] == float("inf")
    assert all(a[1] == c[0] for a, c in itertools.pairwise(b))
    assert len(chunk_bounds(600.0, 8)) == 8
    lead = chunk_bounds(24.0, 2, lead_s=1.0)  # the chunk run in the calling process starts first: it is longer
    assert lead[0] == (0.0, 12.5) and lead[1][0] == 12.5
    assert chunk_bounds(5.0, 2, lead_s=1.0) == [(0.0, float("inf"))]


@pytest.fixture(scope="module")
def one_and_two_workers(pose_cache: PoseCache):
    """The pose computed by one and by two workers (each from the pose cache when the code is unchanged)."""
    info = probe_video(clip(TREADMILL))
    return info, pose_cache.pose(clip(TREADMILL), workers=1), pose_cache.pose(clip(TREADMILL), workers=2)


def test_two_workers_give_the_same_pose_and_events_across_the_seam(one_and_two_workers) -> None:
    info, single, double = one_and_two_workers
    ((_, seam), _) = chunk_bounds(info.duration_s, 2, lead_s=lead_seconds(info))
    assert double.n_frames == single.n_frames
    np.testing.assert_array_equal(double.frame_index, single.frame_index)
    np.testing.assert_allclose(double.times_s, single.times_s)
    # Landmarks: the second worker starts WARMUP_S early, so its tracker has settled by the seam.
    diff = np.nanmax(np.abs(double.image_xy_px - single.image_xy_px), axis=(1, 2))
    assert np.nanmedian(diff) < 1.0, np.nanmedian(diff)
    config = AnalysisConfig(height_cm=178.0)
    r1, _ = analyze_pose(single, info, config)
    r2, _ = analyze_pose(double, info, config)
    e1 = [(e.foot, e.kind) for e in r1.events]
    e2 = [(e.foot, e.kind) for e in r2.events]
    assert e1 == e2  # the same events in the same order, none lost or doubled at the seam
    near = [
        abs(a.time_s - b.time_s)
        for a, b in zip(r1.events, r2.events, strict=True)
        if abs(a.time_s - seam) < 1.0 + WARMUP_S
    ]
    assert near, "the seam should fall between events of this clip"
    assert max(abs(a.time_s - b.time_s) for a, b in zip(r1.events, r2.events, strict=True)) <= 0.5 / info.fps
    assert abs(r1.metrics["cadence_spm"].value - r2.metrics["cadence_spm"].value) < 0.2
