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
        w_out, h_out = _output_size(info, max_side_px)
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
            yield Frame(index=index, time_s=t, rgb=_rgb(frame, w_out, h_out, info.rotation_deg))
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
