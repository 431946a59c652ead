"""Decoding video with PyAV, one frame at a time: rotation tag applied, times from presentation timestamps
(probing the file first: :mod:`gait.capture.probe`).

Slow-motion phone clips are often stored at a 30 fps playback rate although captured at 120/240 fps; pass
``capture_fps`` and every time is rescaled to real time.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import av.error
import numpy as np
from numpy.typing import NDArray

from gait.capture.probe import FIX_OPEN, MAX_BAD_PACKETS, open_container, video_stream
from gait.core.errors import CorruptVideoError
from gait.core.types import VideoInfo


@dataclass(frozen=True)
class Frame:
    """One decoded frame: its index, real time, and RGB pixels (rotation applied, C-contiguous)."""

    index: int
    time_s: float
    rgb: NDArray[np.uint8]


def scaled_size(w: int, h: int, max_side_px: int | None) -> tuple[int, int]:
    if not max_side_px or max(w, h) <= max_side_px:
        return w, h
    s = max_side_px / max(w, h)
    return max(2, int(round(w * s / 2)) * 2), max(2, int(round(h * s / 2)) * 2)


def iter_frames(
    info: VideoInfo, max_side_px: int | None = None, start_s: float | None = None, end_s: float | None = None
) -> Iterator[Frame]:
    """Decode frames as RGB with rotation applied, one at a time (memory does not grow with length).

    Parameters
    ----------
    info : from :func:`probe_video`; its ``capture_fps`` rescales times to real time.
    max_side_px : downscale so the longer side is at most this (None keeps full size).
    start_s, end_s : real-time window to decode (None = from start / to end).

    Yields
    ------
    Frame
        ``time_s`` comes from the frame's presentation timestamp (variable frame rate works).

    Raises
    ------
    CorruptVideoError
        When decoding fails before any frame, or mid-way with nothing decodable after.
    """
    w_out, h_out = _output_size(info, max_side_px)
    for index, t, frame in iter_decoded(info, start_s, end_s):
        yield Frame(index=index, time_s=t, rgb=_rgb(frame, w_out, h_out, info.rotation_deg))


def iter_decoded(
    info: VideoInfo, start_s: float | None = None, end_s: float | None = None
) -> Iterator[tuple[int, float, av.VideoFrame]]:
    """(index, real time, decoded frame) one at a time, unconverted: for readers that convert only some frames
    (:func:`frame_rgb`, :func:`small_grey`). Same times, order and errors as :func:`iter_frames`."""
    p = Path(info.path)
    scale = info.time_scale
    n_ok = 0
    with open_container(p) as container:
        stream = video_stream(container) or container.streams.video[0]
        stream.thread_type = "AUTO"
        t0 = stream.start_time or 0
        tb = stream.time_base or Fraction(1, 1)
        seeked = bool(start_s and start_s > 0)
        if seeked and start_s is not None:
            target = int((start_s / scale) / tb) + t0
            container.seek(max(t0, target), stream=stream, backward=True)
        counter = -1
        last_t = -math.inf
        bad_packets = 0
        for frame in _decode_skipping_damage(container, stream):
            if frame is None:  # a damaged packet: skipped, like a player would
                bad_packets += 1
                if bad_packets > MAX_BAD_PACKETS and n_ok == 0:
                    raise CorruptVideoError(f"{p}: frames cannot be decoded (the file is damaged). {FIX_OPEN}")
                continue
            counter += 1
            t = float((frame.pts - t0) * tb) * scale if frame.pts is not None else counter / info.effective_fps
            # Decode order counts frames from the start; after a seek the count is only known from time.
            index = counter if not seeked else int(round(t / scale * info.fps))
            t = max(t, last_t + 1e-6)  # duplicate or out-of-order timestamp: keep time strictly increasing
            if start_s is not None and t < start_s - 1e-9:
                continue
            if end_s is not None and t >= end_s - 1e-9:
                break
            last_t = t
            n_ok += 1
            yield index, t, frame
        if n_ok == 0 and bad_packets:
            raise CorruptVideoError(f"{p}: no frame could be decoded (the file is damaged). {FIX_OPEN}")


def _output_size(info: VideoInfo, max_side_px: int | None) -> tuple[int, int]:
    """The decoded size before rotation (what the scaler is given), the longer side at most ``max_side_px``."""
    rot = info.rotation_deg
    w_raw, h_raw = (info.height, info.width) if rot in (90, 270) else (info.width, info.height)
    return scaled_size(w_raw, h_raw, max_side_px)


def _rgb(frame: av.VideoFrame, w_out: int, h_out: int, rotation_deg: int) -> NDArray[np.uint8]:
    """The frame's pixels as C-contiguous RGB at the output size, the rotation tag applied."""
    rgb = frame.to_ndarray(format="rgb24", width=w_out, height=h_out)
    if rotation_deg:
        rgb = np.rot90(rgb, k=rotation_deg // 90)
    return np.ascontiguousarray(rgb)


def frame_rgb(frame: av.VideoFrame, info: VideoInfo) -> NDArray[np.uint8]:
    """A decoded frame (:func:`iter_decoded`) as full-size C-contiguous RGB, the rotation tag applied (what
    :func:`iter_frames` gives)."""
    w_out, h_out = _output_size(info, None)
    return _rgb(frame, w_out, h_out, info.rotation_deg)


#: planar and semi-planar 8-bit YUV formats whose first plane is the luma, read without conversion
_LUMA_FIRST = frozenset({"yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p", "nv12", "nv21", "gray"})


def _luma_plane(frame: av.VideoFrame) -> NDArray[np.uint8] | None:
    """The luma plane of an 8-bit YUV (or grey) frame as it is decoded, without a copy (valid while ``frame`` is);
    None for other formats."""
    if frame.format.name not in _LUMA_FIRST:
        return None
    plane = frame.planes[0]
    return np.frombuffer(memoryview(plane), dtype=np.uint8).reshape(-1, plane.line_size)[: frame.height, : frame.width]


def _limited_range(frame: av.VideoFrame) -> bool:
    """True when the frame's luma is limited range (16-235), not the full 0-255 of RGB's grey."""
    name = frame.format.name
    return not (name.startswith("yuvj") or name == "gray" or frame.color_range == 2)


def small_grey(frame: av.VideoFrame, info: VideoInfo, side_px: int) -> NDArray[np.float32]:
    """A decoded frame as small grey (the longer side ``side_px``, area-averaged), full range 0-255, the rotation
    tag applied. The luma plane of 8-bit YUV is read as it is (no colour conversion: at 1080p that costs more than
    decoding); other formats go through the converter."""
    import cv2  # only the readers after pose need it

    w, h = frame.width, frame.height
    plane = _luma_plane(frame)
    y: NDArray[Any] = plane if plane is not None else frame.to_ndarray(format="gray")
    small = cv2.resize(y, scaled_size(w, h, side_px), interpolation=cv2.INTER_AREA).astype(np.float32)
    if _limited_range(frame):  # limited-range luma (16-235) to the 0-255 scale the grey of RGB has
        small = np.clip((small - 16.0) * (255.0 / 219.0), 0.0, 255.0)
    if info.rotation_deg:
        small = np.ascontiguousarray(np.rot90(small, k=info.rotation_deg // 90))
    return small


def frame_luma(frame: av.VideoFrame, info: VideoInfo) -> tuple[NDArray[np.uint8], float]:
    """A decoded frame's grey at full size, the rotation tag applied, and the gain that puts its steps on the
    0-255 scale of RGB's grey (255/219 for limited-range luma, else 1). The luma plane of 8-bit YUV is read as it
    is, without a copy (valid while ``frame`` is); other formats and sizes go through the converter."""
    import cv2  # only the readers after pose need it

    w_out, h_out = _output_size(info, None)
    y = _luma_plane(frame) if (frame.width, frame.height) == (w_out, h_out) else None
    gain = 255.0 / 219.0 if y is not None and _limited_range(frame) else 1.0
    if y is None:
        y = np.asarray(cv2.cvtColor(_rgb(frame, w_out, h_out, 0), cv2.COLOR_RGB2GRAY), dtype=np.uint8)
    if info.rotation_deg:
        y = np.rot90(y, k=info.rotation_deg // 90)
    return y, gain


def _decode_skipping_damage(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> Iterator:
    """Decoded frames; ``None`` for each packet that fails to decode (a damaged stretch), instead of stopping."""
    try:
        for packet in container.demux(stream):
            try:
                yield from packet.decode()
            except av.error.FFmpegError:
                yield None
    except av.error.FFmpegError:  # a damaged container structure: stop here, keep what was decoded
        yield None
