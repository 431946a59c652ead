"""Probing a video before any work: is it a readable, finite video file within the limits, what are its frame
rate, size, rotation and length, and was it filmed in slow motion (the capture rate).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import av.error
import numpy as np

from gait.capture import input_files
from gait.core.errors import CorruptVideoError, InputFileError, InputLimitError, NotAVideoError
from gait.core.types import VideoInfo

MAX_BAD_PACKETS = 300  # damaged packets tolerated before the first good frame


FIX_OPEN = "Export or copy the video again from your phone (MP4 or MOV) and retry."


#: presentation times may step back this many frame intervals (reordering jitter); more = clips joined
MAX_BACKWARD_FRAMES = 1.5


#: a step forward longer than this (real seconds, and than 10 frame intervals) is a gap in the recording
MAX_GAP_S = 2.0


@dataclass(frozen=True)
class InputLimits:
    """Largest input accepted; beyond these the analysis refuses with a clear message."""

    max_duration_s: float = 600.0
    max_pixels: int = 4096 * 2304
    max_file_size_bytes: int = 4 * 1024**3
    min_fps: float = 12.0  # fewer frames per second than this cannot follow a step (~0.35 s): refused


def check_input_file(path: str | Path) -> Path:
    """Check that ``path`` names a non-empty regular file that can be read without blocking, raising
    :class:`InputFileError` otherwise: the common mistakes (no such file, a folder, a broken link) said in their own
    words first, then every other kind (a FIFO, a device, an empty or unreadable file) by
    :func:`gait.capture.input_files.check_input_file`."""
    p = Path(path)
    if p.is_symlink() and not p.exists():
        raise InputFileError(
            f"{p}: is a link to a file that does not exist (or a loop of links). Give the video itself."
        )
    if not p.exists():
        raise InputFileError(f"{p}: no such file. Check the path and the file name.")
    if p.is_dir():
        raise InputFileError(f"{p}: is a directory, not a video file. Give the path of one video.")
    input_files.check_input_file(p)
    return p


def open_container(p: Path) -> av.container.InputContainer:
    try:
        return av.open(str(p), mode="r")
    except av.error.FFmpegError as exc:
        raise NotAVideoError(
            f"{p}: not a video that can be read ({exc.strerror or type(exc).__name__}); it may be another kind of "
            f"file or an incomplete copy. {FIX_OPEN}"
        ) from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise NotAVideoError(f"{p}: cannot be opened as a video ({exc}). {FIX_OPEN}") from exc


class TimestampError(CorruptVideoError):
    """The frames' presentation times go backwards or leap forward (joined clips, a paused recording)."""


def video_stream(container: av.container.InputContainer) -> av.video.stream.VideoStream | None:
    """The clip's real video stream: not a cover picture (``attached_pic`` or a picture codec such as JPEG) when
    there is a video besides it; the longest of the rest."""
    still = (
        av.stream.Disposition.attached_pic
        | av.stream.Disposition.still_image
        | (av.stream.Disposition.timed_thumbnails)
    )
    streams = list(container.streams.video)
    moving = [s for s in streams if not (int(s.disposition) & int(still))] or streams
    if not moving:
        return None

    def length(s: av.video.stream.VideoStream) -> float:
        if s.frames:
            return float(s.frames)
        return float(s.duration * s.time_base) if s.duration and s.time_base else 0.0

    # A picture codec (a cover JPEG) loses to a video codec; then the longest; then the first.
    return max(moving, key=lambda s: (not codec_is_still_image(s.codec_context.name), length(s), -s.index))


@dataclass(frozen=True)
class PacketScan:
    """Presentation times of a stream's packets (demuxed, not decoded)."""

    n_packets: int
    start_s: float | None  # earliest presentation time (the stream's own clock, e.g. 3600 s in an MKV)
    end_s: float | None  # latest presentation time plus one frame
    complete: bool = True  # False when the container structure broke off before the end (a damaged file)


def scan_packets(
    p: Path, container: av.container.InputContainer, stream: av.video.stream.VideoStream, fps: float, scale: float
) -> PacketScan:
    """Demux every packet of ``stream`` (cheap: nothing is decoded) to find the clip's real start, end and frame
    count, and refuse timestamps that go backwards (two clips joined) or leap (a gap in the recording).

    Raises
    ------
    TimestampError
        A jump back of more than ``MAX_BACKWARD_FRAMES`` frames or a gap over ``MAX_GAP_S`` (real time).
    """
    tb = stream.time_base or Fraction(1, 1)
    pts: list[int] = []
    n = 0
    complete = True
    try:
        for packet in container.demux(stream):
            if packet.size == 0 or packet.is_discard:
                continue
            n += 1
            if packet.pts is not None and not packet.is_corrupt:
                pts.append(int(packet.pts))
    except av.error.FFmpegError:  # damaged structure: keep what was read, decoding will tell more
        complete = False
    if not pts:
        return PacketScan(n, None, None, complete)
    frame_s = 1.0 / fps if fps > 0 else 0.0
    times = np.asarray(pts, dtype=float) * float(tb)
    # Decode order is not presentation order (B-frames), so compare with the latest time so far.
    running_max = np.maximum.accumulate(times)
    back = running_max - times
    k = int(np.argmax(back))
    if back[k] * scale > MAX_BACKWARD_FRAMES * frame_s * scale + 0.25:
        raise TimestampError(
            f"{p}: the frame times jump back by {back[k] * scale:.1f} s at {(running_max[k] - times[0]) * scale:.1f} s "
            "into the clip: it looks like two clips joined together. Analyse each clip on its own, or export the "
            "joined video again from an editor."
        )
    ordered = np.sort(times)
    gaps = np.diff(ordered) * scale
    if gaps.size:
        g = int(np.argmax(gaps))
        if gaps[g] > max(MAX_GAP_S, 10 * frame_s * scale):
            raise TimestampError(
                f"{p}: the frame times leap forward by {gaps[g]:.1f} s at {(ordered[g] - ordered[0]) * scale:.1f} s "
                "into the clip: the recording has a gap (paused, or clips joined). Trim the clip to one continuous "
                "part and retry."
            )
    return PacketScan(n, float(ordered[0]), float(ordered[-1]) + frame_s, complete)


def _same_stream(
    container: av.container.InputContainer, stream: av.video.stream.VideoStream
) -> av.video.stream.VideoStream:
    """The stream of ``container`` with the index of ``stream`` (opened from the same file)."""
    return next(s for s in container.streams if s.index == stream.index)  # type: ignore[return-value]


def _rotation_of(frame: av.VideoFrame) -> int:
    """Counter-clockwise display rotation in degrees, one of 0, 90, 180, 270."""
    try:
        rot = float(frame.rotation or 0)
    except (AttributeError, ValueError):
        rot = 0.0
    return int(round(rot / 90.0)) % 4 * 90


def probe_video(path: str | Path, capture_fps: float | None = None, limits: InputLimits | None = None) -> VideoInfo:
    """Read a video's frame rate, size, length and rotation without decoding it all.

    Parameters
    ----------
    path : path of the video file.
    capture_fps : frames per second the clip was *captured* at, for slow-motion clips stored at a lower playback
        rate. None when playback rate is real time.
    limits : refuse inputs beyond these (default :class:`InputLimits`).

    Returns
    -------
    VideoInfo

    Raises
    ------
    InputFileError, NotAVideoError, CorruptVideoError, InputLimitError
    """
    limits = limits or InputLimits()
    p = check_input_file(path)
    size = _check_before_opening(p, capture_fps, limits)
    with open_container(p) as container:
        stream, fps_frac = _video_stream_and_rate(p, container, capture_fps, limits)
        fps = float(fps_frac)
        duration_play_s, n_frames = _length(p, container, stream, fps, capture_fps)
        try:
            first = next(container.decode(stream), None)
        except (av.error.FFmpegError, OSError) as exc:
            why = exc.strerror if isinstance(exc, av.error.FFmpegError) and exc.strerror else type(exc).__name__
            raise CorruptVideoError(f"{p}: the first frame cannot be decoded ({why}). {FIX_OPEN}") from exc
        if first is None:
            raise CorruptVideoError(f"{p}: holds no decodable video frames. {FIX_OPEN}")
        rotation = _rotation_of(first)
        if codec_is_still_image(stream.codec_context.name) and n_frames <= 1:
            raise NotAVideoError(
                f"{p}: is a still image ({stream.codec_context.name}), not a video. Film the run as a video (20-30 s)."
            )
        if capture_fps is None:
            capture_fps = capture_fps_from_metadata({**container.metadata, **stream.metadata}, fps)
        w, h = first.width, first.height
        codec = stream.codec_context.name
    if rotation in (90, 270):
        w, h = h, w
    if w * h > limits.max_pixels:
        raise InputLimitError(
            f"{p}: {w}x{h} pixels is over the limit of {limits.max_pixels / 1e6:.1f} megapixels; film at 1080p or 4K."
        )
    info = VideoInfo(
        path=str(p),
        fps=fps,
        fps_fraction=f"{fps_frac.numerator}/{fps_frac.denominator}",
        n_frames=n_frames,
        duration_s=duration_play_s,
        width=w,
        height=h,
        rotation_deg=rotation,
        codec=codec,
        capture_fps=float(capture_fps) if capture_fps else None,
        file_size_bytes=size,
    )
    real_duration_s = duration_play_s * info.time_scale
    info = VideoInfo(**{**info.__dict__, "duration_s": real_duration_s})
    if real_duration_s > limits.max_duration_s:
        raise InputLimitError(
            f"{p}: {real_duration_s:.0f} s is longer than the {limits.max_duration_s:.0f} s limit. "
            "Trim it to 20-30 s of steady running."
        )
    return info


def _video_stream_and_rate(
    p: Path, container: av.container.InputContainer, capture_fps: float | None, limits: InputLimits
) -> tuple[av.video.stream.VideoStream, Fraction]:
    """The video stream and its frame rate; one line saying what is wrong when there is none or it is too slow."""
    stream = video_stream(container)
    if stream is None and not len(container.streams):  # no stream at all: what is left of a file cut short
        raise CorruptVideoError(
            f"{p}: no picture or sound can be read from it: the file is incomplete or damaged (an upload or copy "
            f"that did not finish?). {FIX_OPEN}"
        )
    if stream is None:
        raise NotAVideoError(f"{p}: holds no video stream (audio only?). Record a video, not a voice memo.")
    rate = stream.average_rate or stream.guessed_rate or stream.base_rate
    if not rate or rate <= 0:
        raise CorruptVideoError(f"{p}: the frame rate cannot be read. {FIX_OPEN}")
    nominal = max(float(r) for r in (rate, stream.guessed_rate, stream.base_rate) if r)  # a gap lowers the average
    if nominal < limits.min_fps and not capture_fps:
        raise InputLimitError(
            f"{p}: plays at {nominal:.3g} frames per second; a gait analysis needs at least {limits.min_fps:g} (a "
            "step lasts about 0.35 s). Film at the phone's normal video rate, 30 or 60 fps."
        )
    return stream, Fraction(rate.numerator, rate.denominator)


def _check_before_opening(p: Path, capture_fps: float | None, limits: InputLimits) -> int:
    """The file's size in bytes, after refusing a file over the size limit or an implausible capture rate."""
    size = p.stat().st_size
    if size > limits.max_file_size_bytes:
        raise InputLimitError(
            f"{p}: the file is {size / 1e9:.1f} GB, over the {limits.max_file_size_bytes / 1e9:.1f} GB "
            "limit. Trim the clip to 20-30 s of steady running."
        )
    if capture_fps is not None and not (1.0 <= capture_fps <= 2000.0):
        raise InputFileError(
            f"capture fps {capture_fps} is not plausible; give the phone's slow-motion rate (for example 120 or 240)."
        )
    return size


def _length(p: Path, container: Any, stream: Any, fps: float, capture_fps: float | None) -> tuple[float, int]:
    """(playback duration in s, number of frames) of ``stream``: from its header, corrected by a scan of its
    packets (edit lists, raw streams without a duration)."""
    if stream.duration is not None and stream.time_base is not None:
        duration_play_s = float(stream.duration * stream.time_base)
    elif container.duration is not None:
        # The container's clock may not start at 0 (an MKV cut from a long recording starts at 3600 s).
        start = container.start_time or 0
        duration_play_s = max(0.0, (container.duration - max(0, start)) / 1e6)
    else:
        duration_play_s = 0.0
    capture_scale = fps / capture_fps if capture_fps else 1.0
    with open_container(p) as scan_container:
        scan = scan_packets(p, scan_container, _same_stream(scan_container, stream), fps, capture_scale)
    if (
        scan.complete
        and scan.start_s is not None
        and scan.end_s is not None
        and not codec_is_still_image(stream.codec_context.name)
    ):
        # Start-relative, from the packets the decoder shows (an edit list's trimmed part is left out).
        duration_play_s = scan.end_s - scan.start_s
    n_frames = int(stream.frames) if stream.frames else int(round(duration_play_s * fps))
    if scan.complete and scan.n_packets and stream.frames and scan.n_packets < stream.frames:
        n_frames = scan.n_packets  # samples outside an edit list are not frames of the clip
    if not stream.frames and not stream.duration and scan.n_packets > n_frames:
        n_frames = scan.n_packets  # a raw stream (.h264) has no duration: count its packets
        duration_play_s = max(duration_play_s, n_frames / fps)
    return duration_play_s, n_frames


def codec_is_still_image(codec: str) -> bool:
    """True for codecs that FFmpeg uses to open single pictures (JPEG, PNG, …)."""
    return codec in {"mjpeg", "png", "bmp", "gif", "tiff", "webp", "jpeg2000", "jpegls", "heif", "hevc_image"}


def capture_fps_from_metadata(metadata: dict[str, str], playback_fps: float) -> float | None:
    """The capture rate phones record for slow-motion clips (Android: ``com.android.capture.fps``), when it is
    clearly higher than the playback rate; None otherwise."""
    for key, value in metadata.items():
        if "capture.fps" in key.lower() or "capturefps" in key.lower():
            try:
                rate = float(str(value).strip())
            except ValueError:
                continue
            if rate > 1.2 * playback_fps and rate <= 2000:
                return rate
    return None
