"""Choosing the runner from tracks our own loop followed (``RawDetections.track_ids``): the tracker's identities
are kept, pieces of the runner's track are joined across a hidden stretch or a chunk seam, and a passer-by's
piece is never joined to the runner's (tests/integration/test_crossing.py runs the whole loop on video)."""

from __future__ import annotations

import numpy as np

from gait.capture.detections import RawDetections
from gait.capture.pose import assemble_pose
from gait.synthetic.runner import make_pose
from tests.support.runners import info_for

FPS = 30.0
N = 150


def _runner() -> np.ndarray:
    """(N, 33, 7) a synthetic runner's candidate arrays (image x, y, world x, y, z, visibility, presence)."""
    pose = make_pose(duration_s=N / FPS, fps=FPS).pose
    out = np.zeros((N, 33, 7), np.float32)
    out[:, :, :2] = pose.image_xy_px[:N]
    out[:, :, 2:5] = pose.world_xyz_m[:N]
    out[:, :, 5:] = 0.9
    return out


def _passer(runner: np.ndarray, k: int, scale: float = 1.2, dx_px: float = 0.0) -> np.ndarray:
    """The runner of another moment, mirrored and ``scale`` times larger about the feet, moved by ``dx_px``."""
    c = runner[(k + 37) % N].copy()
    cx, feet = float(c[:, 0].mean()), float(c[:, 1].max())
    c[:, 0] = cx - scale * (c[:, 0] - cx) + dx_px
    c[:, 1] = feet + scale * (c[:, 1] - feet)
    return c


def _raw(people: list[tuple[int, range, object]], frames: range = range(N)) -> RawDetections:
    """Detections in ``frames`` of ``people`` (identity, frames, frame → candidate array), identities as our
    tracker gives."""
    raw = RawDetections(track_ids=[])
    assert raw.track_ids is not None
    for k in frames:
        here = [(i, f(k)) for i, frames, f in people if k in frames]  # type: ignore[operator]
        raw.times.append(k / FPS)
        raw.index.append(k)
        raw.candidates.append([c for _, c in here])
        raw.track_ids.append([i for i, _ in here])
        raw.n_people_max = max(raw.n_people_max, len(here))
    return raw


def _holds(xy: np.ndarray, cand: np.ndarray) -> bool:
    return bool(np.allclose(xy, cand[:, :2]))


def test_the_runner_hidden_by_a_passer_by_is_joined_and_never_holds_their_frames() -> None:
    """The runner's track (identity 0) until frame 59, hidden 60-79, found again as identity 3; a passer-by
    (identity 1, larger, walking across and over the runner) from 40 to 100, whose landmarks overlap the runner's
    box: the chosen pose is the runner before and after, empty while hidden, never the passer-by."""
    runner = _runner()

    def passer(k: int) -> np.ndarray:
        return _passer(runner, k, dx_px=8.0 * (k - 70))

    raw = _raw(
        [(0, range(0, 60), lambda k: runner[k]), (1, range(40, 101), passer), (3, range(80, N), lambda k: runner[k])]
    )
    pose = assemble_pose(info_for(make_pose(duration_s=N / FPS, fps=FPS).pose), raw, "full")
    seen = pose.detected
    assert seen[:60].all() and seen[80:].all() and not seen[60:80].any()
    assert all(_holds(pose.image_xy_px[k], runner[k]) for k in np.flatnonzero(seen))
    assert pose.n_people_max == 2


def test_a_piece_that_begins_where_the_runner_was_lost_but_larger_is_not_the_runner() -> None:
    """A passer-by followed (identity 1) only from the frame after the runner's track ended, at the runner's place
    and 1.2 times larger, then the runner again (identity 2): the runner's pieces are joined, the passer-by's
    frames stay empty."""
    runner = _runner()
    raw = _raw(
        [
            (0, range(0, 60), lambda k: runner[k]),
            (1, range(60, 76), lambda k: _passer(runner, k)),
            (2, range(76, N), lambda k: runner[k]),
        ]
    )
    pose = assemble_pose(info_for(make_pose(duration_s=N / FPS, fps=FPS).pose), raw, "full")
    assert not pose.detected[60:76].any()
    assert pose.detected[:60].all() and pose.detected[76:].all()


def test_chunks_are_renumbered_and_the_runner_crosses_the_seam() -> None:
    """Two chunks each calling the runner identity 0 (as each thread's tracker does): stitched, the identities
    are distinct, and the runner's two pieces are one track."""
    runner = _runner()
    everyone = [(0, range(N), lambda k: runner[k])]
    first, second = _raw(everyone, range(0, 70)), _raw(everyone, range(62, N))  # the second warms up from 62
    raw = RawDetections()
    raw.extend(first, after_s=-np.inf)
    raw.extend(second, after_s=raw.times[-1])
    assert raw.track_ids is not None and len(raw.track_ids) == N
    assert {i for ids in raw.track_ids for i in ids} == {0, 1}
    pose = assemble_pose(info_for(make_pose(duration_s=N / FPS, fps=FPS).pose), raw, "full")
    assert pose.detected.all()
