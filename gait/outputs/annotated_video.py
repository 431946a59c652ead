"""The annotated video: skeleton, measured angles, contact markers, the hip line at contact, and cue banners,
encoded as H.264 (yuv420p, faststart) with PyAV so every browser plays it inline.

Frames stream through one at a time: memory does not grow with the video's length.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
from numpy.typing import NDArray

from gait.capture.detections import prefetch
from gait.capture.video import iter_frames
from gait.core import landmarks as L
from gait.core.types import GaitReport
from gait.kinematics.cleaned import CleanPose
from gait.outputs.style import COLOURS, HIP_LINE, SEVERITY_COLOURS, VERTICAL

ProgressFn = Callable[[str, float], None]
Image = NDArray[np.uint8]

RENDER_MAX_SIDE_PX = 960  # plenty for playback in a browser; encoding cost grows with the pixel count
MARKER_S = 0.15  # how long a contact marker stays on screen
TIME_BASE = Fraction(1, 90000)  # of the encoded stream (the MPEG clock)


def _side_of(i: int) -> str:
    name = L.NAMES[i]
    return "left" if name.startswith("left") else "right" if name.startswith("right") else "centre"


LEGS = frozenset(range(23, 33))  # hips to toes
_OTHER = {"left": "right", "right": "left", "centre": "centre"}


def limb_colour(i: int, swap_legs: bool = False) -> tuple[int, int, int]:
    """Colour of landmark ``i``: the leg of the left foot blue, of the right foot red (``swap_legs`` when the
    landmark sides hold the other foot, as the events found)."""
    side = _side_of(i)
    return COLOURS[_OTHER[side] if swap_legs and i in LEGS else side]


def draw_skeleton(img: Image, xy: NDArray[np.float64], scale: float, swap_legs: bool = False) -> None:
    """Draw the skeleton (left limbs blue, right limbs red) on ``img`` in place; xy in original-frame px.

    ``swap_legs``: the landmark sides hold the other foot in this frame, so the legs take each other's colour
    and the colour always follows the foot named in the labels.
    """
    thick = max(2, int(round(3 * scale * max(img.shape[:2]) / 1000)))
    for a, b in L.EDGES:
        pa, pb = xy[a] * scale, xy[b] * scale
        if np.isfinite(pa).all() and np.isfinite(pb).all():
            same = _side_of(a) == _side_of(b)
            colour = limb_colour(a, swap_legs) if same else COLOURS["centre"]
            cv2.line(img, tuple(int(v) for v in pa), tuple(int(v) for v in pb), colour, thick, cv2.LINE_AA)
    for i in range(11, 33):
        p = xy[i] * scale
        if np.isfinite(p).all():
            cv2.circle(img, (int(p[0]), int(p[1])), thick + 1, limb_colour(i, swap_legs), -1, cv2.LINE_AA)


FONT = cv2.FONT_HERSHEY_SIMPLEX


def draw_label(
    img: Image,
    text: str,
    org: tuple[int, int],
    size: float,
    colour: tuple[int, int, int],
    outline: tuple[int, int, int] = (0, 0, 0),
) -> tuple[int, int, int, int]:
    """Draw ``text`` once, filled in ``colour`` with a dark outline, kept inside the frame.

    The glyphs are rasterised a single time into a mask; the outline is that mask dilated, so fill and outline
    always coincide (two ``putText`` calls of different thickness advance differently and read as two
    overlapping strings). Text too wide for the frame is scaled down; a label near an edge is moved inside.

    Parameters
    ----------
    img : RGB image, drawn on in place.
    text : the label.
    org : wanted bottom-left corner of the text (``cv2.putText`` convention).
    size : font scale.
    colour, outline : fill and outline colours (RGB).

    Returns
    -------
    (x0, y0, x1, y1)
        The box the label (outline included) was drawn in.
    """
    h_img, w_img = img.shape[:2]
    thick = max(1, int(round(size * 2)))
    ring = max(2, thick)
    (tw, th), base = cv2.getTextSize(text, FONT, size, thick)
    while tw + 2 * ring + 4 > w_img and size > 0.3:  # too wide: smaller type rather than cut off
        size *= 0.9
        thick = max(1, int(round(size * 2)))
        (tw, th), base = cv2.getTextSize(text, FONT, size, thick)
    x = int(min(max(org[0], ring + 2), max(ring + 2, w_img - tw - ring - 2)))
    y = int(min(max(org[1], th + ring + 2), max(th + ring + 2, h_img - base - ring - 2)))
    x0, y0 = max(0, x - ring - 2), max(0, y - th - ring - 2)
    x1, y1 = min(w_img, x + tw + ring + 2), min(h_img, y + base + ring + 2)
    if x1 <= x0 or y1 <= y0:
        return (x0, y0, x0, y0)
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.putText(mask, text, (x - x0, y - y0), FONT, size, 255, thick, cv2.LINE_AA)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * ring + 1, 2 * ring + 1))
    halo = cv2.dilate(mask, kernel)
    roi = img[y0:y1, x0:x1].astype(np.float32)
    a_out = (halo.astype(np.float32) / 255.0)[..., None]
    roi = roi * (1 - a_out) + np.asarray(outline, np.float32) * a_out
    a_in = (mask.astype(np.float32) / 255.0)[..., None]
    roi = roi * (1 - a_in) + np.asarray(colour, np.float32) * a_in
    img[y0:y1, x0:x1] = np.clip(roi + 0.5, 0, 255).astype(np.uint8)
    return (x0, y0, x1, y1)


def draw_banner(img: Image, title: str, colour: tuple[int, int, int], size: float) -> tuple[int, int, int, int]:
    """A cue banner across the top of ``img`` (in place): a translucent bar of ``colour`` and the title once,
    white with a dark outline. Returns the title's box (see :func:`draw_label`)."""
    h = min(img.shape[0], int(48 * size))
    overlay = img.copy()
    cv2.rectangle(overlay, (0, 0), (img.shape[1], h), colour, -1)
    cv2.addWeighted(overlay, 0.75, img, 0.25, 0, dst=img)
    return draw_label(img, title, (int(12 * size), int(h * 0.7)), 1.1 * size, (255, 255, 255))


def _text(img: Image, text: str, org: tuple[int, int], size: float, colour: tuple[int, int, int]) -> None:
    draw_label(img, text, org, size, colour)


def blur_face(img: Image, xy: NDArray[np.float64], scale: float) -> None:
    """Pixelate the face (nose, eyes, ears, mouth landmarks, padded) in place."""
    pts = xy[:11] * scale
    pts = pts[np.isfinite(pts).all(axis=1)]
    if len(pts) < 2:
        return
    pad = max(12.0, 0.6 * float(np.ptp(pts[:, 0]) + np.ptp(pts[:, 1])))
    x0, y0 = np.maximum(pts.min(axis=0) - pad, 0).astype(int)
    x1, y1 = np.minimum(pts.max(axis=0) + pad, [img.shape[1] - 1, img.shape[0] - 1]).astype(int)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return
    roi = img[y0:y1, x0:x1]
    small = cv2.resize(roi, (max(1, (x1 - x0) // 12), max(1, (y1 - y0) // 12)), interpolation=cv2.INTER_AREA)
    img[y0:y1, x0:x1] = cv2.resize(small, (x1 - x0, y1 - y0), interpolation=cv2.INTER_NEAREST)


class Annotator:
    """Draws one frame's overlays from a report and its cleaned pose."""

    def __init__(self, report: GaitReport, clean: CleanPose) -> None:
        self.report = report
        self.clean = clean
        self.t = clean.pose.times_s
        self.row_of_frame = {int(f): k for k, f in enumerate(clean.pose.frame_index)}
        self.xy = clean.pose.image_xy_px
        self.side = report.view == "side"
        # The numbers drawn are the analysis's own: each step's trunk lean, each landing's signed shin angle.
        self.lean_spans = _step_spans(report, "trunk_lean_deg") if self.side else []
        self.shank_at = {
            (r.get("foot"), r.get("contact_frame")): r.get("shank_angle_at_contact_deg") for r in report.strides
        }
        self.contacts = [e for e in report.events if e.kind in ("contact", "midstance")]
        # Spans in which the landmark sides hold the other foot (a relabelled contact, until that foot's next one).
        self.swapped: list[tuple[float, float]] = []
        for foot in ("left", "right"):
            own = sorted((e for e in self.contacts if e.foot == foot), key=lambda e: e.time_s)
            for e, nxt in zip(own, [*own[1:], None], strict=True):
                if e.track is not None and e.track != e.foot:
                    self.swapped.append((e.time_s, nxt.time_s if nxt is not None else math.inf))
        # Active cue per time: the worst cue whose key frames fall in a stride around that time.
        self.cue_spans: list[tuple[float, float, str, str]] = []
        stride_s = _stride_s(report)
        half = stride_s / 2 if stride_s else 0.5 / clean.pose.fps
        for cue in report.cues:
            if cue.severity not in ("watch", "flag"):
                continue
            for f in cue.frames:
                k = self.row_of_frame.get(int(f))
                if k is not None:
                    self.cue_spans.append((self.t[k] - half, self.t[k] + half, cue.title, cue.severity))

    def draw(self, img: Image, frame_index: int, scale: float, blur: bool) -> Image:
        """Annotate ``img`` (RGB, already scaled by ``scale`` from the original frame) in place and return it."""
        k = self.row_of_frame.get(int(frame_index))
        if k is None:
            return img
        xy = self.xy[k]
        tnow = self.t[k]
        if blur:
            blur_face(img, xy, scale)
        draw_skeleton(img, xy, scale, any(a <= tnow < b for a, b in self.swapped))
        size = max(0.5, max(img.shape[:2]) / 1400)
        hip = 0.5 * (xy[L.LEFT_HIP] + xy[L.RIGHT_HIP]) * scale
        sh = 0.5 * (xy[L.LEFT_SHOULDER] + xy[L.RIGHT_SHOULDER]) * scale
        if self.side and np.isfinite(hip).all() and np.isfinite(sh).all():
            cv2.line(img, (int(hip[0]), int(hip[1])), (int(sh[0]), int(sh[1])), COLOURS["cue"], 2, cv2.LINE_AA)
            top = (int(hip[0]), int(hip[1] - 1.2 * np.linalg.norm(sh - hip)))
            cv2.line(img, (int(hip[0]), int(hip[1])), top, VERTICAL, 1, cv2.LINE_AA)
            lean = next((v for a, b, v in self.lean_spans if a <= tnow < b), None)
            if lean is not None:
                _text(img, f"lean {lean:.0f} deg", (int(sh[0]) + 10, int(sh[1])), size, COLOURS["cue"])
        elif np.isfinite(xy[[L.LEFT_HIP, L.RIGHT_HIP]]).all():
            a, b = xy[L.LEFT_HIP] * scale, xy[L.RIGHT_HIP] * scale
            cv2.line(img, (int(a[0]), int(a[1])), (int(b[0]), int(b[1])), COLOURS["cue"], 3, cv2.LINE_AA)
        half_frame = 0.5 / self.clean.pose.fps
        for e in self.contacts:
            if -half_frame <= tnow - e.time_s <= MARKER_S:
                self._draw_contact(
                    img, e.foot, e.track or e.foot, e.kind, k, scale, size, self.shank_at.get((e.foot, e.frame))
                )
        active = [s for s in self.cue_spans if s[0] <= tnow <= s[1]]
        if active:
            worst = max(active, key=lambda s: ("watch", "flag").index(s[3]))
            draw_banner(img, worst[2], SEVERITY_COLOURS[worst[3]], size)
        return img

    def _draw_contact(
        self, img: Image, foot: str, track: str, kind: str, k: int, scale: float, size: float, shank: float | None
    ) -> None:
        """A landing (or midstance) marker at the heel; at a landing, the hip vertical and the shin with its signed
        angle from the analysis (forward of vertical > 0, docs/CONVENTIONS.md)."""
        s = L.SIDE[track]
        xy = self.xy[k] * scale
        colour = COLOURS[foot]
        heel = xy[s["heel"]]
        if np.isfinite(heel).all():
            cv2.circle(img, (int(heel[0]), int(heel[1])), int(12 * size), colour, 3, cv2.LINE_AA)
            _text(
                img,
                f"{foot[0].upper()} {'landing' if kind == 'contact' else 'midstance'}",
                (int(heel[0]) + 14, int(heel[1]) + 30),
                size,
                colour,
            )
        hip = 0.5 * (xy[L.LEFT_HIP] + xy[L.RIGHT_HIP])
        if kind == "contact" and np.isfinite(hip).all():
            x = int(hip[0])
            cv2.line(img, (x, int(hip[1])), (x, img.shape[0] - 1), HIP_LINE, 2, cv2.LINE_AA)
            knee, ankle = xy[s["knee"]], xy[s["ankle"]]
            if np.isfinite(knee).all() and np.isfinite(ankle).all():
                cv2.line(img, (int(knee[0]), int(knee[1])), (int(ankle[0]), int(ankle[1])), colour, 4, cv2.LINE_AA)
                if shank is not None and math.isfinite(shank):
                    _text(img, f"shin {shank:.0f} deg", (int(knee[0]) + 10, int(knee[1])), size, colour)


def _step_spans(report: GaitReport, name: str) -> list[tuple[float, float, float]]:
    """(start s, end s, value) of ``name`` for each stride row with a value: the step from its landing."""
    out = []
    for r in report.strides:
        t0, step, v = r.get("contact_time_s"), r.get("step_time_s"), r.get(name)
        if isinstance(t0, (int, float)) and isinstance(step, (int, float)) and isinstance(v, (int, float)):
            out.append((float(t0), float(t0) + float(step), float(v)))
    return out


def _stride_s(report: GaitReport) -> float | None:
    """One stride on the clip's clock, from the analysis: two steps at the measured cadence, else the median
    stride time of the stride rows; None when neither was measured (a banner then marks its frames only)."""
    cadence = report.metrics.get("cadence_spm")
    if cadence is not None and cadence.value:
        return 2 * 60.0 / cadence.value
    strides = [r["stride_time_s"] for r in report.strides if isinstance(r.get("stride_time_s"), (int, float))]
    return float(np.median(strides)) if strides else None


def _frames_for(report: GaitReport, max_side_px: int) -> Iterator[tuple[int, float, Image, float]]:
    info = report.video
    for frame in prefetch(iter_frames(info, max_side_px=max_side_px)):
        scale = frame.rgb.shape[1] / info.width
        yield frame.index, frame.time_s, frame.rgb.copy(), scale


def render_annotated(
    report: GaitReport,
    clean: CleanPose,
    out_path: str | Path,
    slow_factor: float = 1.0,
    blur_faces: bool = False,
    max_side_px: int = RENDER_MAX_SIDE_PX,
    progress: ProgressFn | None = None,
) -> Path:
    """Write the annotated video of an analysis as H.264 MP4 (yuv420p, faststart).

    Parameters
    ----------
    report, clean : the analysis (``analyze_video``'s results).
    out_path : the ``.mp4`` to write (written to a temp file, then renamed).
    slow_factor : 1 for real time, 4 for a 0.25× slow-motion copy (frames are shown 4× longer, not duplicated).
    blur_faces : pixelate the runner's face.
    max_side_px : downscale so the longer side is at most this.
    progress : called as ``progress("render", fraction)``.
    """
    out = Path(out_path)
    tmp = out.with_name(f".{out.stem}.tmp.mp4")
    info = report.video
    annot = Annotator(report, clean)
    n_total = max(1, info.n_frames)
    try:
        with av.open(str(tmp), mode="w", options={"movflags": "+faststart"}) as container:
            stream = None
            for n, (index, t_s, img, scale) in enumerate(_frames_for(report, max_side_px)):
                if stream is None:
                    stream = container.add_stream("libx264", rate=max(1, round(info.fps)))
                    stream.width, stream.height = img.shape[1] // 2 * 2, img.shape[0] // 2 * 2
                    stream.pix_fmt = "yuv420p"
                    stream.time_base = TIME_BASE
                    # ultrafast: encoding is most of the rendering time; CRF 23 keeps the overlays crisp.
                    stream.options = {"crf": "23", "preset": "ultrafast"}
                    stream.codec_context.time_base = stream.time_base
                annot.draw(img, index, scale, blur_faces)
                img = np.ascontiguousarray(img[: stream.height, : stream.width])
                vf = av.VideoFrame.from_ndarray(img, format="rgb24")
                # Playback time: real time × slow_factor, converted back to the clip's own playback clock.
                vf.pts = int(round(t_s / info.time_scale * slow_factor / TIME_BASE))
                for packet in stream.encode(vf):
                    container.mux(packet)
                if progress and n % 10 == 0:
                    progress("render", min(1.0, (n + 1) / n_total))
            if stream is not None:
                for packet in stream.encode():
                    container.mux(packet)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    if progress:
        progress("render", 1.0)
    return out


def render_frame(
    report: GaitReport,
    clean: CleanPose,
    frame_index: int,
    max_side_px: int = RENDER_MAX_SIDE_PX,
    blur_faces: bool = False,
) -> Image:
    """One annotated frame as an RGB array (for key frames and tests)."""
    return render_frames(report, clean, (frame_index,), max_side_px, blur_faces)[frame_index]


def render_frames(
    report: GaitReport,
    clean: CleanPose,
    frame_indices: Iterable[int],
    max_side_px: int = RENDER_MAX_SIDE_PX,
    blur_faces: bool = False,
) -> dict[int, Image]:
    """Several annotated frames in one decoding pass (stops after the last one wanted).

    Raises
    ------
    ValueError
        A frame index is not in the video.
    """
    info = report.video
    wanted = set(int(f) for f in frame_indices)
    out: dict[int, Image] = {}
    annot = Annotator(report, clean)
    if wanted:
        for frame in iter_frames(info, max_side_px=max_side_px):
            if frame.index in wanted:
                img = frame.rgb.copy()
                out[frame.index] = annot.draw(img, frame.index, img.shape[1] / info.width, blur_faces)
                if len(out) == len(wanted):
                    break
    missing = wanted - set(out)
    if missing:
        raise ValueError(f"frames {sorted(missing)} not in {info.path}")
    return out
