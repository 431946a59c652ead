"""Our capture loop (engine ``litert``): every person in view followed from their own landmarks.

The detector runs on the first frame, every ``detect_every`` frames while fewer than ``max_people`` are followed,
and at once whenever a person is lost (the landmark model's presence falls below 0.5) or a crop jumps; each person
it finds who is not already followed gets a track (up to ``max_people``). A track's next crop comes from its own
landmarks' alignment points, upright while the person is (see :func:`gait.capture.engine_litert.roi_from_alignment`).
Nothing is smoothed. A person found late (the detector missed them as they stepped into view) is followed back
from their first reading over the last :data:`LOOKBACK_S` of frames kept decoded, each earlier crop from the later
frame's landmarks (:meth:`Tracker.look_back`): only a new person costs anything. When someone passes in front of a
person followed, the hidden one's track is held (no landmarks) rather than handed the other's (:class:`Tracker`).
The output is the same :class:`gait.capture.pose.RawDetections` as MediaPipe's, with each pose's track identity, so
the runner is chosen afterwards from the whole clip by :func:`gait.capture.pose.assemble_pose`.

With several workers the clip is cut into time chunks run by threads (LiteRT releases the GIL while a model
runs; each thread has its own interpreters and its own decoding thread).
"""

from __future__ import annotations

import math
import os
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
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
#: a detection is a person already followed when its hip centre is this close (× the track's crop side): the
#: runner's own detections sit within 0.053 × side of its track (median 0.026, 47 detections on the treadmill
#: clip), while a second person this close overlaps the first so much that neither could be told apart anyway
SAME_PERSON_FRAC = 0.12
#: two tracks whose landmark boxes overlap this much read the same person (see :meth:`Tracker._resolve`)
DUPLICATE_IOU = 0.6
#: a track whose person is hidden behind another (its crop reads the other, who has a track of their own) keeps
#: its crop where its person was last seen this long (s) without giving landmarks, then ends (a treadmill runner
#: hidden by someone crossing in front is found there again; someone who moved on behind is found again by the
#: detector and rejoined afterwards, see :func:`gait.capture.pose.join_pieces`)
HOLD_S = 1.0
#: a held track waits where its person was seen over their last this long (s), at their median place and size
RECENT_S = 0.5
#: a reading fits its track when this close to where the track expected its person (:func:`_mismatch`: the
#: treadmill runner's own readings stay within 0.07, the walking clip's walker's within 0.12; someone 1.2x
#: larger at the same place is 0.18 away); a reading that does not fit, near another's, is no one's, and its
#: track is held
FIT_MISMATCH = 0.15
#: a reading that does not fit is still its track's when no other reading's box overlaps it this much (a crop
#: settling from the detector's changes size by up to 0.23 a frame on the walking clip)
CONTESTED_IOU = 0.3
#: a person the detector finds late (someone stepping into view whom it missed for a while) is followed back over
#: the frames of this last stretch (s), kept decoded (memory flat in clip length: at most ``LOOKBACK_S`` × fps
#: frames of at most :data:`gait.capture.detections.POSE_MAX_SIDE_PX`, 2.8 MB each from 1080p or 720p)
LOOKBACK_S = 1.0
#: with several workers, each starts decoding this long before its chunk (nothing needs to settle: only the
#: first detection is needed when the chunk begins)
THREAD_WARMUP_S = 0.25


@dataclass
class _Track:
    roi: Roi  # the crop for the next frame: from the last reading, or where its person was last seen (held)
    born: int
    ident: int
    held: int = 0  # frames in a row without a reading of its own
    recent: tuple[Roi, ...] = ()  # the crops of its last readings (up to :data:`RECENT_S`)

    def last_seen(self) -> Roi:
        """Where and how large its person was lately (median of the recent crops: the last frames before someone
        hides them are often half read)."""
        if not self.recent:
            return self.roi
        med = np.median([(r.cx_px, r.cy_px, r.side_px) for r in self.recent], axis=0)
        return replace(self.recent[-1], cx_px=float(med[0]), cy_px=float(med[1]), side_px=float(med[2]))


def _same_person(roi: Roi, other: Roi) -> bool:
    dist = math.hypot(roi.cx_px - other.cx_px, roi.cy_px - other.cy_px)
    return dist < SAME_PERSON_FRAC * max(roi.side_px, other.side_px)


def _mismatch(expected: Roi, got: Roi) -> float:
    """How far a reading's crop is from where a track expected its person: centre distance in crop sides plus
    the size change (log ratio)."""
    dist = math.hypot(got.cx_px - expected.cx_px, got.cy_px - expected.cy_px)
    return dist / max(expected.side_px, 1e-6) + abs(math.log(max(got.side_px, 1e-6) / max(expected.side_px, 1e-6)))


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
    """Follows every person in a stream of frames (one instance per thread).

    Each track keeps an identity (:attr:`ids`: one per landmark array :meth:`step` returns). A track's crop reads
    whoever is most visible in it: when someone passes in front of the runner, the runner's crop reads them. So a
    reading goes to the track that expected it (closest in place and size, :meth:`_resolve`); a track whose
    reading goes to another, or does not fit where its person was, is held (:data:`HOLD_S`): it gives no
    landmarks (the runner's frames are empty, never someone else's) until its crop reads its person again.
    """

    def __init__(
        self,
        model: str | os.PathLike[str] = DEFAULT_MODEL,
        max_people: int = 2,
        detect_every: int = DETECT_EVERY_FRAMES,
        upright_max_deg: float | None = UPRIGHT_MAX_DEG,
        fps: float = 30.0,
    ) -> None:
        self.net = BlazePose(model, upright_max_deg)
        self.max_people = max_people
        self.detect_every = max(1, detect_every)
        self.fps = fps
        self.hold_frames = max(1, int(round(HOLD_S * fps)))
        self.tracks: list[_Track] = []
        self.ids: list[int] = []
        self.k = 0
        self.n_tracks = 0
        self.last_detect = -(10**9)
        self.redetect = True
        self.n_detector_runs = 0
        self.n_landmark_runs = 0
        self.n_lookback_runs = 0
        #: the last frames (oldest first), each with the crops of the people read in it (for :meth:`look_back`)
        self.past: deque[tuple[np.ndarray, list[Roi]]] = deque(maxlen=max(0, int(round(LOOKBACK_S * fps))))
        #: what :meth:`step` found in earlier frames by looking back: (frames before this one, identity, landmarks)
        self.earlier: list[tuple[int, int, np.ndarray]] = []

    def _add_detections(self, rgb: np.ndarray, taken: list[Roi], room: int) -> list[_Track]:
        """New tracks (up to ``room``) for the people the detector finds who are not among ``taken``."""
        self.n_detector_runs += 1
        self.last_detect = self.k
        new: list[_Track] = []
        for roi, _ in self.net.detect(rgb):
            if len(new) >= room:
                break
            if any(_same_person(roi, t) for t in taken):
                continue
            taken.append(roi)
            new.append(_Track(roi, self.k, self.n_tracks))
            self.n_tracks += 1
        return new

    def _run(self, rgb: np.ndarray, tracks: list[_Track]) -> list[tuple[_Track, PoseResult]]:
        out = []
        for tr in tracks:
            self.n_landmark_runs += 1
            res = self.net.landmarks(rgb, tr.roi)
            if res.presence >= MIN_PRESENCE and np.isfinite(res.data).all():
                out.append((tr, res))
            elif not tr.held:
                self.redetect = True
        return out

    def step(self, rgb: np.ndarray) -> list[np.ndarray]:
        """The (33, 7) landmark arrays of every person followed in this frame (their track identities in
        :attr:`ids`; a new person's readings in earlier frames in :attr:`earlier`). ``rgb`` is kept for the
        look-back: the caller must not overwrite it."""
        room = self.max_people - sum(not t.held for t in self.tracks)  # held tracks leave room for others
        detected = False
        if self.redetect or (room > 0 and self.k - self.last_detect >= self.detect_every):
            self.tracks += self._add_detections(rgb, [t.roi for t in self.tracks], room)
            detected = True
        self.redetect = False
        found = self._run(rgb, self.tracks)
        read = {id(tr) for tr, _ in found}
        if any(not t.held and id(t) not in read for t in self.tracks) and not detected:  # someone was lost
            taken = [self.net.next_roi(res) for _, res in found] + [t.roi for t in self.tracks if t.held]
            room = self.max_people - sum(not t.held for t, _ in found)
            found += self._run(rgb, self._add_detections(rgb, taken, room))  # look again in this frame
        seen, held = self._resolve(found)
        held += [tr for tr in self.tracks if tr.held and id(tr) not in read]  # still hidden: no one in its crop
        self._update(seen, held)
        self.earlier = [
            (ago, tr.ident, data) for tr, res in seen if tr.born == self.k for ago, data in self.look_back(res)
        ]
        if self.past.maxlen:
            self.past.append((rgb, [tr.roi for tr in self.tracks[: len(seen)]]))
        self.k += 1
        self.ids = [tr.ident for tr, _ in seen]
        return [res.data for _, res in seen]

    def look_back(self, res: PoseResult) -> list[tuple[int, np.ndarray]]:
        """A new person's readings in the frames kept before this one (frames before it, landmarks), latest first.

        Each earlier frame is read from the crop given by the later frame's landmarks (as forward tracking does),
        until the person is no longer there (presence below :data:`MIN_PRESENCE`), the crop jumps, the crop meets
        someone read in that frame already (followed there by another track: the person was not new there), or
        the frames kept end."""
        out: list[tuple[int, np.ndarray]] = []
        roi = self.net.next_roi(res)
        for ago, (rgb, rois) in enumerate(reversed(self.past), start=1):
            if any(_same_person(roi, r) for r in rois):
                break
            self.n_landmark_runs += 1
            self.n_lookback_runs += 1
            got = self.net.landmarks(rgb, roi)
            if got.presence < MIN_PRESENCE or not np.isfinite(got.data).all():
                break
            before = self.net.next_roi(got)
            if _jumped(roi, before) or any(_same_person(before, r) for r in rois):
                break
            rois.append(before)
            out.append((ago, got.data))
            roi = before
        return out

    def _update(self, seen: list[tuple[_Track, PoseResult]], held: list[_Track]) -> None:
        """The tracks for the next frame: each seen one's crop from its landmarks, each held one (until
        :attr:`hold_frames`) where its person was last seen."""
        n_recent = max(1, int(round(RECENT_S * self.fps)))
        self.tracks = []
        for tr, res in seen:
            roi = self.net.next_roi(res)
            if _jumped(tr.roi, roi):
                self.redetect = True
            self.tracks.append(_Track(roi, tr.born, tr.ident, 0, (*tr.recent, roi)[-n_recent:]))
        for tr in held:
            if tr.held < self.hold_frames:
                self.tracks.append(_Track(tr.last_seen(), tr.born, tr.ident, tr.held + 1, tr.recent))

    def _resolve(self, found: list[tuple[_Track, PoseResult]]) -> tuple[list[tuple[_Track, PoseResult]], list[_Track]]:
        """The readings kept (one per person) and the tracks held (their person hidden behind another's).

        Readings are taken in order of how well they match where their track expected its person
        (:func:`_mismatch`); one that reads the same person as a reading already kept (landmark boxes overlapping
        by :data:`DUPLICATE_IOU`, or hips as close as :func:`_same_person`) goes to no one: its track is held (the
        person it follows is hidden behind the other), or ends if it was born in this frame (the detector's crop
        held no one of its own). So does one that does not fit where its track expected its person (beyond
        :data:`FIT_MISMATCH`) while overlapping another reading (:data:`CONTESTED_IOU`). A held track takes a
        reading again only where it expected its person."""
        rois = {id(res): self.net.next_roi(res) for _, res in found}
        cost = {id(res): _mismatch(tr.roi, rois[id(res)]) for tr, res in found}
        order = sorted(found, key=lambda f: cost[id(f[1])])
        keep: list[tuple[_Track, PoseResult]] = []
        held: list[_Track] = []
        for tr, res in order:
            roi = rois[id(res)]
            same = any(
                _box_iou(res.data[:, :2], other.data[:, :2]) >= DUPLICATE_IOU or _same_person(roi, rois[id(other)])
                for _, other in keep
            )
            new = tr.born == self.k  # a crop from the detector: no expectation yet
            alone = not tr.held and all(
                _box_iou(res.data[:, :2], other.data[:, :2]) < CONTESTED_IOU for _, other in found if other is not res
            )  # no one else near: a crop settling, a person turning or bending
            if not same and (new or alone or cost[id(res)] <= FIT_MISMATCH):
                keep.append((tr, res))
            elif not new:
                held.append(tr)
                self.redetect = self.redetect or not same  # its crop read someone else: look for its person
        return keep, held


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

    tracker = Tracker(model, max_people, detect_every, fps=info.effective_fps)
    ids: list[list[int]] = []
    raw = RawDetections(track_ids=ids)
    n_expected = n_expected or info.n_frames
    for k, frame in enumerate(frames):
        h, w = frame.rgb.shape[:2]
        to_info = np.array([info.width / w, info.height / h], dtype=np.float32)
        cands = tracker.step(frame.rgb)
        for c in cands + [data for _, _, data in tracker.earlier]:
            c[:, :2] *= to_info
        for ago, ident, data in tracker.earlier:  # a new person followed back into frames already handed on
            raw.candidates[-ago].append(data)
            ids[-ago].append(ident)
            raw.n_people_max = max(raw.n_people_max, len(raw.candidates[-ago]))
        raw.times.append(frame.time_s)
        raw.index.append(frame.index)
        raw.candidates.append(cands)
        ids.append(list(tracker.ids))
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
