"""The scene behind the runner: straight edges in a few frames of the video, for :mod:`gait.capture.verticals`.

I/O at the edge: this module decodes a handful of key frames (spread over the clip) and finds their line segments
with OpenCV's line segment detector; the runner's own outline (the box around their landmarks in that frame) is
left out, so only the scene counts.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gait.capture.verticals import VerticalPoint, vertical_point
from gait.core.errors import GaitError
from gait.core.posedata import PoseSequence
from gait.core.types import VideoInfo

#: Key frames looked at, spread over the clip (a still scene needs one; a panning phone shows more of it).
N_FRAMES = 6
#: Frames are searched at this size (longer side, px): edges a tenth of the picture long are still found.
SEARCH_SIDE_PX = 960
#: The runner's box is widened by this share of its size on each side before their outline is left out: the
#: outline (shoes, hair, loose clothes) reaches past the landmarks. At 0.15 the treadmill clip's pitch moved 0.6°
#: with the engine (MediaPipe 12.1°, our loop 11.5°: an edge of the runner's own let in); from 0.2 both read 12.1°.
RUNNER_MARGIN = 0.2


def runner_box(pose: PoseSequence, row: int) -> tuple[float, float, float, float] | None:
    """(x0, y0, x1, y1) around the landmarks of the pose row nearest ``row`` that has a pose, widened by
    :data:`RUNNER_MARGIN`; None when the clip has no pose."""
    detected = np.flatnonzero(pose.detected)
    if len(detected) == 0:
        return None
    i = int(detected[np.argmin(np.abs(detected - row))])
    xy = pose.image_xy_px[i]
    x0, y0 = np.min(xy, axis=0)
    x1, y1 = np.max(xy, axis=0)
    mx, my = RUNNER_MARGIN * (x1 - x0), RUNNER_MARGIN * (y1 - y0)
    return float(x0 - mx), float(y0 - my), float(x1 + mx), float(y1 + my)


def outside_box(segments: np.ndarray, box: tuple[float, float, float, float] | None) -> np.ndarray:
    """The segments whose midpoint is outside ``box``."""
    if box is None or len(segments) == 0:
        return segments
    mx, my = (segments[:, 0] + segments[:, 2]) / 2.0, (segments[:, 1] + segments[:, 3]) / 2.0
    inside = (mx >= box[0]) & (mx <= box[2]) & (my >= box[1]) & (my <= box[3])
    return segments[~inside]


def frame_segments(rgb: np.ndarray, scale_to_full: float) -> np.ndarray:
    """Line segments (n × 4, full-size pixels) in an RGB frame (OpenCV's LSD)."""
    import cv2

    gray = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY)
    found = cv2.createLineSegmentDetector().detect(gray)[0]
    if found is None:
        return np.zeros((0, 4))
    return np.asarray(found, dtype=float).reshape(-1, 4) * scale_to_full


def key_frames_rgb(info: VideoInfo, max_frames: int, max_side_px: int) -> list[tuple[float, np.ndarray]]:
    """Up to ``max_frames`` of the clip's key frames, spread over it, as (time in s, RGB with the rotation tag
    applied). Only those frames are decoded (a key frame needs no other), so this costs a fraction of decoding
    the clip."""
    import av

    from gait.capture.probe import open_container, video_stream
    from gait.capture.video import scaled_size

    rot = info.rotation_deg
    w_raw, h_raw = (info.height, info.width) if rot in (90, 270) else (info.width, info.height)
    w_out, h_out = scaled_size(w_raw, h_raw, max_side_px)
    frames: list[tuple[float, np.ndarray]] = []
    with open_container(Path(info.path)) as container:
        stream = video_stream(container) or container.streams.video[0]
        tb, t0 = stream.time_base or 1, stream.start_time or 0
        try:
            keys = sorted(p.pts for p in container.demux(stream) if p.is_keyframe and p.pts is not None)
            if len(keys) > max_frames:
                keys = [keys[i] for i in np.linspace(0, len(keys) - 1, max_frames).round().astype(int)]
            stream.codec_context.skip_frame = "NONKEY"
            for pts in keys:
                container.seek(pts, stream=stream)
                frame = next((f for f in container.decode(stream) if f.pts is not None and f.pts >= pts), None)
                if frame is not None and frame.pts is not None:
                    t = float((frame.pts - t0) * tb) * info.time_scale
                    frames.append((t, frame.to_ndarray(format="rgb24", width=w_out, height=h_out)))
        except (av.error.FFmpegError, StopIteration):
            pass  # a damaged stretch: keep what was read
    return [(t, np.rot90(rgb, k=rot // 90) if rot else rgb) for t, rgb in frames]


def scene_verticals(info: VideoInfo, pose: PoseSequence, n_frames: int = N_FRAMES) -> VerticalPoint | None:
    """The vertical vanishing point of the scene (:func:`gait.capture.verticals.vertical_point`) from up to
    ``n_frames`` key frames of the clip, the runner left out; None when the scene shows too few verticals, or
    the frames cannot be read (the analysis goes on without this check)."""
    import cv2

    if pose.n_frames == 0 or info.width <= 0 or info.height <= 0:
        return None
    found = []
    try:
        for t, rgb in key_frames_rgb(info, n_frames, SEARCH_SIDE_PX):
            segs = frame_segments(rgb, info.width / rgb.shape[1])  # vertical_point keeps the near-vertical ones
            index = int(np.argmin(np.abs(pose.times_s - t)))
            found.append(outside_box(segs, runner_box(pose, index)))
    except (GaitError, OSError, ValueError, RuntimeError, cv2.error):  # an unreadable frame: no scene check
        return None
    if not found:
        return None
    return vertical_point(np.concatenate(found), info.width, info.height)
