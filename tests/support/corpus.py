"""Odd and bad input videos, generated at test time with PyAV and NumPy (nothing binary is committed)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

Transform = Callable[[np.ndarray], np.ndarray]


def _gradient(w: int, h: int, k: int) -> np.ndarray:
    """Frame ``k`` of a grey gradient moving 4 px a frame (something to encode that is not a person)."""
    return ((np.arange(w)[None, :, None] + 4 * k) % 256 * np.ones((h, 1, 3))).astype(np.uint8)


def _encode(container: Any, stream: Any, frames: Iterable[Any]) -> None:
    """Encode ``frames`` into ``stream``, mux every packet, then flush the encoder."""
    for frame in frames:
        for pkt in stream.encode(frame):
            container.mux(pkt)
    for pkt in stream.encode():
        container.mux(pkt)


def zero_byte(d: Path) -> Path:
    """An empty file named like a video."""
    p = d / "empty.mp4"
    p.write_bytes(b"")
    return p


def text_as_mp4(d: Path) -> Path:
    """A text file with a video extension."""
    p = d / "notes.mp4"
    p.write_text("shopping list: shoes, socks\n" * 40)
    return p


def jpeg_as_mov(d: Path) -> Path:
    """A real JPEG still image named ``.mov``."""
    p = d / "photo.mov"
    img = np.zeros((240, 320, 3), np.uint8)
    img[:, :, 1] = np.linspace(0, 255, 320, dtype=np.uint8)
    with av.open(str(d / "photo.jpg"), "w", format="image2") as c:
        s = c.add_stream("mjpeg", rate=1)
        s.width, s.height, s.pix_fmt = 320, 240, "yuvj420p"
        _encode(c, s, [av.VideoFrame.from_ndarray(img, format="rgb24")])
    shutil.move(str(d / "photo.jpg"), p)
    return p


def truncated(d: Path, src: Path, fraction: float = 0.5) -> Path:
    """The first ``fraction`` of a file's bytes (an interrupted copy or upload)."""
    data = src.read_bytes()
    p = d / f"truncated_{src.name}"
    p.write_bytes(data[: int(len(data) * fraction)])
    return p


def corrupt_middle(d: Path, src: Path) -> Path:
    """A copy with its middle third overwritten by random bytes."""
    data = bytearray(src.read_bytes())
    n = len(data)
    rng = np.random.default_rng(1)
    data[n // 3 : 2 * n // 3] = rng.integers(0, 256, 2 * n // 3 - n // 3, dtype=np.uint8).tobytes()
    p = d / f"corrupt_{src.name}"
    p.write_bytes(bytes(data))
    return p


def audio_only(d: Path) -> Path:
    """An MP4 (.m4a-like) holding only an AAC audio stream: a voice memo."""
    p = d / "memo.mp4"
    rate = 44100
    with av.open(str(p), "w") as c:
        s = c.add_stream("aac", rate=rate)
        s.layout = "mono"
        t = np.arange(rate) / rate
        tone = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)

        def frames() -> Iterable[av.AudioFrame]:
            for k in range(0, rate - 1023, 1024):
                frame = av.AudioFrame.from_ndarray(tone[None, k : k + 1024], format="fltp", layout="mono")
                frame.sample_rate = rate
                frame.pts = k
                yield frame

        _encode(c, s, frames())
    return p


def synthetic_video(
    d: Path,
    name: str,
    *,
    n_frames: int,
    fps: float = 30.0,
    size: tuple[int, int] = (320, 240),
    content: str = "noise",
    rotation_deg: int | None = None,
    pts_s: list[float] | None = None,
) -> Path:
    """An H.264 clip of noise, black, a dim gradient or a moving gradient, optionally with a rotation tag or
    irregular presentation times (variable frame rate)."""
    p = d / name
    w, h = size
    rng = np.random.default_rng(0)
    with av.open(str(p), "w") as c:
        s = c.add_stream("libx264", rate=Fraction(fps).limit_denominator(1001))
        s.width, s.height, s.pix_fmt = w, h, "yuv420p"
        s.options = {"preset": "ultrafast"}
        if pts_s is not None:
            s.time_base = Fraction(1, 90000)
            s.codec_context.time_base = Fraction(1, 90000)
        if rotation_deg is not None:
            s.set_display_rotation(rotation_deg)

        def frames() -> Iterable[av.VideoFrame]:
            for k in range(n_frames):
                if content == "noise":
                    img = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
                elif content == "black":
                    img = np.zeros((h, w, 3), np.uint8)
                elif content == "dark":
                    img = (np.linspace(0, 12, w)[None, :, None] * np.ones((h, 1, 3))).astype(np.uint8)
                else:
                    img = _gradient(w, h, k)
                frame = av.VideoFrame.from_ndarray(img, format="rgb24")
                if pts_s is not None:
                    frame.pts = int(round(pts_s[k] * 90000))
                    frame.time_base = Fraction(1, 90000)
                yield frame

        _encode(c, s, frames())
    return p


def transcode(
    d: Path,
    src: Path,
    name: str,
    *,
    transform: Transform | None = None,
    rotation_deg: int | None = None,
    bitrate: int | None = None,
    keep_every: int = 1,
    retime: float = 1.0,
    size: tuple[int, int] | None = None,
    max_s: float | None = None,
    repeat: int = 1,
    drop_fraction: float = 0.0,
) -> Path:
    """Re-encode ``src`` (H.264, yuv420p) with optional pixel transform, rotation tag, bitrate, frame decimation,
    time stretch, resize or trimming. ``repeat=8`` writes every frame 8 times at the source rate: the clip then
    plays 8 × slower at the same frame rate, as a 240 fps slow-motion capture stored at 30 fps does.
    ``drop_fraction`` drops that share of frames at random, keeping the others' times: variable frame rate."""
    p = d / name
    with av.open(str(src)) as inp, av.open(str(p), "w") as out:
        vin = inp.streams.video[0]
        rate = vin.average_rate / keep_every / Fraction(retime).limit_denominator(1000)
        s = out.add_stream("libx264", rate=rate)
        s.pix_fmt = "yuv420p"
        s.time_base = Fraction(1, 90000)
        s.codec_context.time_base = Fraction(1, 90000)
        opts = {"preset": "ultrafast"}
        if bitrate:
            s.bit_rate = bitrate
            opts = {"preset": "veryfast"}
        s.options = opts
        if rotation_deg is not None:
            s.set_display_rotation(rotation_deg)

        def frames() -> Iterable[av.VideoFrame]:
            t0 = None
            rng = np.random.default_rng(7)
            for k, frame in enumerate(inp.decode(vin)):
                if k % keep_every or (k > 0 and rng.uniform() < drop_fraction):
                    continue
                t = float(frame.time)
                t0 = t if t0 is None else t0
                if max_s is not None and t - t0 >= max_s:
                    break
                img = frame.to_ndarray(format="rgb24")
                if transform is not None:
                    img = transform(img)
                if size is not None:
                    img = np.asarray(
                        av.VideoFrame.from_ndarray(np.ascontiguousarray(img), format="rgb24")
                        .reformat(width=size[0], height=size[1])
                        .to_ndarray(format="rgb24")
                    )
                img = np.ascontiguousarray(img)
                if s.width == 0 or s.width is None or k == 0:
                    s.width, s.height = img.shape[1] // 2 * 2, img.shape[0] // 2 * 2
                for r in range(repeat):
                    vf = av.VideoFrame.from_ndarray(img[: s.height, : s.width], format="rgb24")
                    vf.pts = int(round(((t - t0) * retime * repeat + r / float(rate)) * 90000))
                    vf.time_base = Fraction(1, 90000)
                    yield vf

        _encode(out, s, frames())
    return p


def slow_motion(d: Path, src: Path, factor: int = 8, max_s: float = 3.0) -> Path:
    """A fake slow-motion clip: ``max_s`` seconds of ``src`` playing ``factor`` × slower at the same frame rate."""
    return transcode(d, src, f"slowmo{factor}x_{src.name}", repeat=factor, max_s=max_s)


def mirrored(d: Path, src: Path) -> Path:
    """A horizontally mirrored copy (the runner faces the other way; left and right exchange)."""
    return transcode(d, src, f"mirrored_{src.name}", transform=lambda img: img[:, ::-1])


def motion_blurred(d: Path, src: Path, length_px: int = 41, max_s: float | None = None) -> Path:
    """Every frame smeared by a horizontal motion blur of ``length_px`` pixels (a line kernel: a pan or a slow
    shutter); ``max_s`` trims the clip."""
    import cv2

    kernel = np.zeros((length_px, length_px), np.float32)
    kernel[length_px // 2, :] = 1.0 / length_px

    def smear(img: np.ndarray) -> np.ndarray:
        return np.asarray(cv2.filter2D(np.ascontiguousarray(img), -1, kernel))

    return transcode(d, src, f"blur{length_px}_{src.name}", transform=smear, max_s=max_s)


def rotated_by_tag(d: Path, src: Path) -> Path:
    """Frames stored rotated 90° clockwise with a display-matrix tag rotating them back (a phone's portrait clip):
    after the tag is applied the picture equals the source."""
    return transcode(d, src, f"rotated_{src.name}", transform=lambda img: np.rot90(img, k=-1), rotation_deg=90)


def reencoded(d: Path, src: Path, bitrate: int = 400_000) -> Path:
    """A low-bitrate re-encode (what a messaging app does to a video)."""
    return transcode(d, src, f"lowbitrate_{src.name}", bitrate=bitrate)


def joined_clips(d: Path, n_frames: int = 150) -> Path:
    """Two MPEG-TS clips concatenated byte for byte (``cat a.ts b.ts``): the timestamps jump back to the start."""
    one = synthetic_video(d, "part.ts", n_frames=n_frames, content="gradient")
    p = d / "joined.ts"
    p.write_bytes(one.read_bytes() * 2)
    return p


def gap_clip(d: Path, gap_s: float = 100.0, n_frames: int = 300, fps: float = 30.0) -> Path:
    """A clip whose presentation times leap forward by ``gap_s`` half-way (a paused recording)."""
    half = n_frames // 2
    pts = [k / fps for k in range(half)] + [gap_s + k / fps for k in range(half, n_frames)]
    return synthetic_video(d, f"gap{gap_s:g}s.mp4", n_frames=n_frames, content="gradient", pts_s=pts)


def late_start_mkv(d: Path, start_s: float = 3600.0, n_frames: int = 360, fps: float = 30.0) -> Path:
    """A Matroska clip whose timestamps start at ``start_s`` (cut from a long recording)."""
    pts = [start_s + k / fps for k in range(n_frames)]
    return synthetic_video(d, "late_start.mkv", n_frames=n_frames, content="gradient", pts_s=pts)


def raw_h264(d: Path, n_frames: int = 360, size: tuple[int, int] = (320, 240)) -> Path:
    """A raw Annex-B ``.h264`` stream: no container, no timestamps, no duration."""
    p = d / "raw.h264"
    w, h = size
    with av.open(str(p), "w", format="h264") as c:
        s = c.add_stream("libx264", rate=30)
        s.width, s.height, s.pix_fmt = w, h, "yuv420p"
        _encode(c, s, (av.VideoFrame.from_ndarray(_gradient(w, h, k), format="rgb24") for k in range(n_frames)))
    return p


def cover_first(d: Path, n_frames: int = 300) -> Path:
    """A Matroska file whose first video stream is a one-picture cover thumbnail, the clip second."""
    p = d / "cover_first.mkv"
    with av.open(str(p), "w") as c:
        th = c.add_stream("mjpeg", rate=1)
        th.width, th.height, th.pix_fmt = 160, 120, "yuvj420p"
        s = c.add_stream("libx264", rate=30)
        s.width, s.height, s.pix_fmt = 320, 240, "yuv420p"
        _encode(c, th, [av.VideoFrame.from_ndarray(np.zeros((120, 160, 3), np.uint8), format="rgb24")])
        _encode(c, s, (av.VideoFrame.from_ndarray(_gradient(320, 240, k), format="rgb24") for k in range(n_frames)))
    return p


def upside_down(d: Path, src: Path, max_s: float | None = None) -> Path:
    """The picture turned 180° with no rotation tag (a phone held upside down)."""
    return transcode(d, src, f"upside_down_{src.name}", transform=lambda img: img[::-1, ::-1], max_s=max_s)


def wrong_tag(d: Path, src: Path, max_s: float | None = None) -> Path:
    """Upright pixels with a 90° rotation tag: players show the runner lying on their side."""
    return transcode(d, src, f"wrong_tag_{src.name}", rotation_deg=90, max_s=max_s)


def looped(d: Path, src: Path, minutes: float) -> Path:
    """``src`` re-encoded over and over (times continuing) until the clip is ``minutes`` long."""
    p = d / f"looped_{minutes:g}min_{src.name}"
    with av.open(str(src)) as inp:
        vin = inp.streams.video[0]
        rate = vin.average_rate
        frames = [f.to_ndarray(format="rgb24") for f in inp.decode(vin)]
    n_total = int(round(minutes * 60 * float(rate)))
    with av.open(str(p), "w") as out:
        s = out.add_stream("libx264", rate=rate)
        s.width, s.height, s.pix_fmt = frames[0].shape[1] // 2 * 2, frames[0].shape[0] // 2 * 2, "yuv420p"
        s.options = {"preset": "ultrafast"}
        h, w = s.height, s.width
        _encode(
            out,
            s,
            (
                av.VideoFrame.from_ndarray(np.ascontiguousarray(frames[k % len(frames)][:h, :w]), format="rgb24")
                for k in range(n_total)
            ),
        )
    return p


def edit_list_trimmed(d: Path, n_frames: int = 360, trimmed: int = 120, fps: int = 30) -> Path:
    """An MP4 "trimmed" the way phones do it: all ``n_frames`` samples stay in the file and an edit list hides the
    first ``trimmed`` (they get negative times and are discarded by the demuxer)."""
    p = d / "edit_list.mp4"
    tick = 90000 // fps
    with av.open(str(p), "w", options={"use_editlist": "1"}) as c:
        s = c.add_stream("libx264", rate=fps)
        s.width, s.height, s.pix_fmt = 320, 240, "yuv420p"
        s.options = {"preset": "ultrafast", "bf": "0"}
        s.time_base = Fraction(1, 90000)
        s.codec_context.time_base = Fraction(1, 90000)

        def frames() -> Iterable[av.VideoFrame]:
            for k in range(n_frames):
                frame = av.VideoFrame.from_ndarray(_gradient(320, 240, k), format="rgb24")
                frame.pts = (k - trimmed) * tick
                frame.time_base = Fraction(1, 90000)
                yield frame

        _encode(c, s, frames())
    return p
