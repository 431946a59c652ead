"""What a pose engine hands on before the runner is chosen: every person's landmarks, frame by frame
(:class:`RawDetections`), and the frames decoded ahead in a thread while the model works (:func:`prefetch`).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from gait.capture.video import Frame

#: Frames are downscaled to this longer side before inference: the landmark model sees a 256 px crop, so larger
#: frames only cost decoding and copying. Coordinates are reported in the original pixel grid.
POSE_MAX_SIDE_PX = 1280


@dataclass
class RawDetections:
    """What the landmarker saw, frame by frame, before the runner is chosen (picklable, for worker processes)."""

    times: list[float] = field(default_factory=list)
    index: list[int] = field(default_factory=list)
    candidates: list[list[np.ndarray]] = field(default_factory=list)  # per frame: (33, 7) arrays, one per person
    n_people_max: int = 0
    #: per frame, the identity of each candidate's track when the engine follows people itself (our loop);
    #: ``None`` when the engine hands on unlinked poses (MediaPipe Tasks): they are linked by box overlap
    track_ids: list[list[int]] | None = None

    def extend(self, other: RawDetections, after_s: float = -np.inf) -> None:
        """Append another chunk's frames later than ``after_s``; its track identities are renumbered after
        this one's (a person crossing the seam is rejoined by :func:`gait.capture.pose.assemble_pose`)."""
        keep_ids = other.track_ids is not None and (self.track_ids is not None or not self.times)
        self.track_ids = (self.track_ids or []) if keep_ids else None
        ids = other.track_ids if other.track_ids is not None and keep_ids else [[] for _ in other.times]
        start = 1 + max((i for frame in self.track_ids or [] for i in frame), default=-1)
        for t, i, c, tid in zip(other.times, other.index, other.candidates, ids, strict=True):
            if t > after_s:
                self.times.append(t)
                self.index.append(i)
                self.candidates.append(c)
                if self.track_ids is not None:
                    self.track_ids.append([start + j for j in tid])
        self.n_people_max = max(self.n_people_max, other.n_people_max)


def prefetch(items: Iterable[Frame], depth: int = 8) -> Iterator[Frame]:
    """Decode ahead in a background thread (PyAV releases the GIL while decoding), so decoding and inference
    overlap. Exceptions from the decoder are re-raised in the consumer."""
    q: queue.Queue[object] = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def work() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                q.put(item)
        except BaseException as exc:  # handed to the consumer
            q.put(exc)
        finally:
            q.put(done)

    thread = threading.Thread(target=work, daemon=True, name="gait-decode")
    thread.start()
    try:
        while True:
            item = q.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        while thread.is_alive():  # drain so the producer can finish
            try:
                q.get(timeout=0.05)
            except queue.Empty:
                pass
