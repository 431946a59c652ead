"""Our capture loop (engine ``litert``): every person in view followed from their own landmarks.

The detector runs on the first frame, every ``detect_every`` frames while fewer than ``max_people`` are followed,
and at once whenever a person is lost (the landmark model's presence falls below 0.5) or a crop jumps; each person
it finds who is not already followed gets a track (up to ``max_people``). A track's next crop comes from its own
landmarks' alignment points, upright while the person is (see :func:`gait.capture.engine_litert.roi_from_alignment`).
Nothing is smoothed. The output is the
same :class:`gait.capture.pose.RawDetections` as MediaPipe's, so the runner is chosen afterwards from the whole clip by
:func:`gait.capture.pose.assemble_pose`.

With several workers the clip is cut into time chunks run by threads (LiteRT releases the GIL while a model
runs; each thread has its own interpreters and its own decoding thread).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from gait.capture.engine_litert import MIN_PRESENCE, UPRIGHT_MAX_DEG, BlazePose, PoseResult, Roi
from gait.capture.models import DEFAULT_MODEL
from gait.capture.video import Frame

if TYPE_CHECKING:
    from gait.capture.detections import RawDetections
    from gait.core.types import VideoInfo

ProgressFn = Callable[[str, float], None]

#: frames between two runs of the detector while fewer than ``max_people`` are followed (someone may step into
#: view: the walking clip's walker must be found within a few frames of entering for her first contact to be timed)
DETECT_EVERY_FRAMES = 5
#: a crop whose centre moves more than this fraction of its side from one frame to the next, or whose side
#: changes by more than this factor, has jumped (the landmarks are unreliable): the detector runs again
JUMP_CENTRE_FRAC = 0.35
JUMP_SIDE_FACTOR = 1.5
#: a detection is a person already followed when its hip centre is this close (× the track's crop side)
SAME_PERSON_FRAC = 0.25
#: two tracks whose landmark boxes overlap this much follow the same person: the younger one ends
DUPLICATE_IOU = 0.6
#: with several workers, each starts decoding this long before its chunk (nothing needs to settle: only the
#: first detection is needed when the chunk begins)
THREAD_WARMUP_S = 0.25


@dataclass
class _Track:
    roi: Roi
    born: int


def _same_person(roi: Roi, other: Roi) -> bool:
    dist = math.hypot(roi.cx_px - other.cx_px, roi.cy_px - other.cy_px)
    return dist < SAME_PERSON_FRAC * max(roi.side_px, other.side_px)


def _jumped(before: Roi, after: Roi) -> bool:
    dist = math.hypot(after.cx_px - before.cx_px, after.cy_px - before.cy_px)
    ratio = after.side_px / max(before.side_px, 1e-6)
    return dist > JUMP_CENTRE_FRAC * before.side_px or not (1 / JUMP_SIDE_FACTOR <= ratio <= JUMP_SIDE_FACTOR)


def _box_iou(a: np.ndarray, b: np.ndarray) -> float:
    ax0, ay0, ax1, ay1 = a[:, 0].min(), a[:, 1].min(), a[:, 0].max(), a[:, 1].max()
    bx0, by0, bx1, by1 = b[:, 0].min(), b[:, 1].min(), b[:, 0].max(), b[:, 1].max()
    iw, ih = max(0.0, min(ax1, bx1) - max(ax0, bx0)), max(0.0, min(ay1, by1) - max(ay0, by0))
    inter = iw * ih
    union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter
    return float(inter / union) if union > 0 else 0.0


class Tracker:
    """Follows every person in a stream of frames (one instance per thread)."""

    def __init__(
        self,
        model: str | os.PathLike[str] = DEFAULT_MODEL,
        max_people: int = 2,
        detect_every: int = DETECT_EVERY_FRAMES,
        upright_max_deg: float | None = UPRIGHT_MAX_DEG,
    ) -> None:
        self.net = BlazePose(model, upright_max_deg)
        self.max_people = max_people
        self.detect_every = max(1, detect_every)
        self.tracks: list[_Track] = []
        self.k = 0
        self.last_detect = -(10**9)
        self.redetect = True
        self.n_detector_runs = 0
        self.n_landmark_runs = 0

    def _add_detections(self, rgb: np.ndarray, taken: list[Roi]) -> list[_Track]:
        """New tracks for the people the detector finds who are not among ``taken``."""
        self.n_detector_runs += 1
        self.last_detect = self.k
        new = []
        for roi, _ in self.net.detect(rgb):
            if len(taken) >= self.max_people:
                break
            if any(_same_person(roi, t) for t in taken):
                continue
            taken.append(roi)
            new.append(_Track(roi, self.k))
        return new

    def _run(self, rgb: np.ndarray, tracks: list[_Track]) -> list[tuple[_Track, PoseResult]]:
        out = []
        for tr in tracks:
            self.n_landmark_runs += 1
            res = self.net.landmarks(rgb, tr.roi)
            if res.presence >= MIN_PRESENCE and np.isfinite(res.data).all():
                out.append((tr, res))
            else:
                self.redetect = True
        return out

    def step(self, rgb: np.ndarray) -> list[np.ndarray]:
        """The (33, 7) landmark arrays of every person followed in this frame."""
        room = len(self.tracks) < self.max_people
        detected = False
        if self.redetect or (room and self.k - self.last_detect >= self.detect_every):
            self.tracks += self._add_detections(rgb, [t.roi for t in self.tracks])
            detected = True
        self.redetect = False
        found = self._run(rgb, self.tracks)
        if len(found) < len(self.tracks) and not detected:  # someone was lost: look again in this frame
            alive = [res for _, res in found]
            taken = [self.net.next_roi(r) for r in alive]
            found += self._run(rgb, self._add_detections(rgb, taken))
        found = self._drop_duplicates(found)
        self.tracks = []
        for tr, res in found:
            roi = self.net.next_roi(res)
            if _jumped(tr.roi, roi):
                self.redetect = True
            self.tracks.append(_Track(roi, tr.born))
        self.k += 1
        return [res.data for _, res in found]

    @staticmethod
    def _drop_duplicates(found: list[tuple[_Track, PoseResult]]) -> list[tuple[_Track, PoseResult]]:
        keep: list[tuple[_Track, PoseResult]] = []
        for tr, res in sorted(found, key=lambda f: f[0].born):
            if all(_box_iou(res.data[:, :2], other.data[:, :2]) < DUPLICATE_IOU for _, other in keep):
                keep.append((tr, res))
        return keep


def track_frames(
    info: VideoInfo,
    frames: Iterable[Frame],
    model: str | os.PathLike[str] = DEFAULT_MODEL,
    max_people: int = 2,
    progress: ProgressFn | None = None,
    detect_every: int = DETECT_EVERY_FRAMES,
    n_expected: int | None = None,
) -> RawDetections:
    """Follow every person through ``frames`` (up to ``max_people`` at once) with our LiteRT loop; image
    coordinates in the pixel grid of ``info`` (frames may be decoded smaller)."""
    from gait.capture.detections import RawDetections

    tracker = Tracker(model, max_people, detect_every)
    raw = RawDetections()
    n_expected = n_expected or info.n_frames
    for k, frame in enumerate(frames):
        h, w = frame.rgb.shape[:2]
        to_info = np.array([info.width / w, info.height / h], dtype=np.float32)
        cands = tracker.step(frame.rgb)
        for c in cands:
            c[:, :2] *= to_info
        raw.times.append(frame.time_s)
        raw.index.append(frame.index)
        raw.candidates.append(cands)
        raw.n_people_max = max(raw.n_people_max, len(cands))
        if progress is not None and k % 10 == 0:
            progress("pose", min(1.0, (k + 1) / max(n_expected, 1)))
    return raw


def extract_threads(
    info: VideoInfo,
    model: str,
    workers: int,
    max_people: int,
    progress: ProgressFn | None = None,
    detect_every: int = DETECT_EVERY_FRAMES,
) -> RawDetections:
    """The clip cut into ``workers`` time chunks, each followed by :func:`track_frames` in its own thread, and
    stitched (frames in decode order, each chunk's warm-up dropped)."""
    from gait.capture.chunks import MIN_CHUNK_S, chunk_bounds
    from gait.capture.detections import POSE_MAX_SIDE_PX, RawDetections, prefetch
    from gait.capture.video import iter_frames

    bounds = chunk_bounds(info.duration_s, workers, MIN_CHUNK_S, lead_s=THREAD_WARMUP_S)

    def run(k: int) -> RawDetections:
        start_s, end_s = bounds[k]
        begin = max(0.0, start_s - THREAD_WARMUP_S) if start_s > 0 else None
        frames = prefetch(
            iter_frames(info, max_side_px=POSE_MAX_SIDE_PX, start_s=begin, end_s=None if math.isinf(end_s) else end_s)
        )
        n = int((min(end_s, info.duration_s) - start_s) * info.effective_fps)
        raw = track_frames(info, frames, model, max_people, progress if k == 0 else None, detect_every, n)
        keep = RawDetections()
        keep.extend(raw, after_s=start_s - 1e-9 if start_s > 0 else -float("inf"))
        return keep

    if len(bounds) == 1:
        return run(0)
    with ThreadPoolExecutor(max_workers=len(bounds), thread_name_prefix="gait-pose") as pool:
        parts = list(pool.map(run, range(len(bounds))))
    raw = RawDetections()
    for part in parts:
        raw.extend(part, after_s=raw.times[-1] if raw.times else -float("inf"))
    raw.index = list(range(len(raw.times)))
    return raw
