"""Pose on two workers (threads of our loop, or MediaPipe's processes), stitched at a chunk boundary, against
a single-worker run of the same clip."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from gait import AnalysisConfig, analyze_pose
from gait.capture.chunks import MIN_CHUNK_S, WARMUP_S, chunk_bounds, lead_seconds
from gait.capture.probe import probe_video
from gait.capture.tracking import THREAD_WARMUP_S
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


@pytest.fixture(scope="module", params=["litert", "mediapipe"])
def one_and_two_workers(request: pytest.FixtureRequest, pose_cache: PoseCache):
    """The pose computed by one and by two workers with each engine (from the pose cache when the code is
    unchanged), and where the second worker's frames begin."""
    engine = request.param
    info = probe_video(clip(TREADMILL))
    if engine == "litert":  # threads: they start together, the second THREAD_WARMUP_S before its chunk
        ((_, seam), _) = chunk_bounds(info.duration_s, 2, MIN_CHUNK_S, lead_s=THREAD_WARMUP_S)
    else:  # processes: this one starts first and runs the longer chunk
        ((_, seam), _) = chunk_bounds(info.duration_s, 2, lead_s=lead_seconds(info))
    single = pose_cache.pose(clip(TREADMILL), workers=1, engine=engine)
    double = pose_cache.pose(clip(TREADMILL), workers=2, engine=engine)
    return engine, info, seam, single, double


def test_two_workers_give_the_same_pose_and_events_across_the_seam(one_and_two_workers) -> None:
    """Stitched at the seam, two workers give the frames, the landmarks and the events of one.

    MediaPipe's crops come from its detector on every frame, so its landmarks after the seam are the single run's
    and every event is within half a frame. Our loop crops each frame from the last frame's landmarks, snapped to a
    grid: the second thread starts on its own crop path and within half a second meets the single run's, and from
    there its landmarks are the single run's (before the grid the two paths never met again: landmarks 0-4 px
    apart to the end of the clip, and a contact moved 1.2 frames). The seam itself loses and doubles nothing."""
    engine, info, seam, single, double = one_and_two_workers
    assert double.n_frames == single.n_frames
    np.testing.assert_array_equal(double.frame_index, single.frame_index)
    np.testing.assert_allclose(double.times_s, single.times_s)
    before = single.times_s < seam - (THREAD_WARMUP_S if engine == "litert" else WARMUP_S)
    np.testing.assert_array_equal(double.image_xy_px[before], single.image_xy_px[before])  # the first chunk's own
    diff = np.nanmax(np.abs(double.image_xy_px - single.image_xy_px), axis=(1, 2))
    assert np.nanmedian(diff) < 1.0, np.nanmedian(diff)
    if engine == "litert":  # the two crop paths have met: the same landmarks from half a second after the seam
        met = single.times_s >= seam + 0.5
        assert met.sum() > 100 and np.all(diff[met] == 0), np.flatnonzero(met & (diff > 0))
    config = AnalysisConfig(height_cm=178.0)
    r1, _ = analyze_pose(single, info, config)
    r2, _ = analyze_pose(double, info, config)
    e1 = [(e.foot, e.kind) for e in r1.events]
    e2 = [(e.foot, e.kind) for e in r2.events]
    assert e1 == e2  # the same events in the same order, none lost or doubled at the seam
    moved = [abs(a.time_s - b.time_s) * info.fps for a, b in zip(r1.events, r2.events, strict=True)]
    near = [m for m, a in zip(moved, r1.events, strict=True) if abs(a.time_s - seam) < 1.0 + WARMUP_S]
    assert near, "the seam should fall between events of this clip"
    assert max(moved) <= 0.5, moved  # both engines (our loop moved a contact 1.2 frames before its crops snapped)
    assert abs(r1.metrics["cadence_spm"].value - r2.metrics["cadence_spm"].value) < 0.2
