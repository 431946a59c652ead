"""The annotated video: H.264 that browsers play, and a frame at a foot contact with the skeleton on the body."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
from PIL import Image

from gait.capture.video import iter_frames
from gait.outputs.annotated_video import render_annotated, render_frame
from tests.support.paths import ROOT

ARTIFACTS = ROOT / "test-artifacts"


def _motion_box(info, index: int, lag: int = 3) -> tuple[int, int, int, int]:
    """Bounding box of what moves between two frames: the runner (found without the pose model)."""
    frames = {f.index: f.rgb.astype(int) for f in iter_frames(info) if index - lag <= f.index <= index}
    diff = np.abs(frames[index] - frames[index - lag]).sum(axis=2)
    ys, xs = np.nonzero(diff > 60)
    lo_x, hi_x = np.percentile(xs, [2, 98])
    lo_y, hi_y = np.percentile(ys, [2, 98])
    return int(lo_x), int(lo_y), int(hi_x), int(hi_y)


def test_contact_frame_skeleton_sits_on_the_body(treadmill_analysis) -> None:
    report, clean = treadmill_analysis
    contact = next(e for e in report.events if e.kind == "contact" and e.frame > 30)
    annotated = render_frame(report, clean, contact.frame, max_side_px=report.video.height)
    plain = next(f.rgb for f in iter_frames(report.video) if f.index == contact.frame)
    assert annotated.shape == plain.shape
    ARTIFACTS.mkdir(exist_ok=True)
    Image.fromarray(annotated).save(ARTIFACTS / f"contact_frame_{contact.frame}.png")
    drawn = np.abs(annotated.astype(int) - plain.astype(int)).sum(axis=2) > 80
    ys, xs = np.nonzero(drawn)
    # The overlay (skeleton, markers) lies on the moving runner, not beside it or mirrored.
    x0, y0, x1, y1 = _motion_box(report.video, contact.frame)
    inside = (xs >= x0 - 40) & (xs <= x1 + 40) & (ys >= y0 - 40) & (ys <= y1 + 40)
    assert inside.mean() > 0.8, (inside.mean(), (x0, y0, x1, y1))
    # Not offset: the overlay's box matches the moving body's box.
    ox0, oy0, ox1, oy1 = np.percentile(xs, 2), np.percentile(ys, 2), np.percentile(xs, 98), np.percentile(ys, 98)
    ix = max(0.0, min(x1, ox1) - max(x0, ox0))
    iy = max(0.0, min(y1, oy1) - max(y0, oy0))
    union = (x1 - x0) * (y1 - y0) + (ox1 - ox0) * (oy1 - oy0) - ix * iy
    assert ix * iy / union > 0.5, ((x0, y0, x1, y1), (ox0, oy0, ox1, oy1))
    # The contact marker is drawn at the contact foot's heel.
    track = contact.track or contact.foot
    heel = clean.pose.image_xy_px[list(clean.pose.frame_index).index(contact.frame), 29 if track == "left" else 30]
    hx, hy = int(heel[0]), int(heel[1])
    assert drawn[max(0, hy - 20) : hy + 20, max(0, hx - 20) : hx + 20].any()


def test_annotated_video_is_browser_friendly(treadmill_analysis, tmp_path: Path) -> None:
    report, clean = treadmill_analysis
    out = render_annotated(report, clean, tmp_path / "annotated.mp4", max_side_px=640)
    slow = render_annotated(report, clean, tmp_path / "slow.mp4", slow_factor=4.0, max_side_px=320)
    with av.open(str(out)) as c:
        s = c.streams.video[0]
        assert s.codec_context.name == "h264" and s.codec_context.pix_fmt == "yuv420p"
        assert abs(float(c.duration / 1e6) - report.video.duration_s) <= 0.1
        n = sum(1 for _ in c.decode(s))
    assert n == report.video.n_frames
    with av.open(str(slow)) as c:
        assert abs(float(c.duration / 1e6) - 4 * report.video.duration_s) <= 0.5
    head = out.read_bytes()[:4096]
    assert head.find(b"moov") != -1 and head.find(b"moov") < max(head.find(b"mdat"), 4096)  # faststart


def _fill_and_outline(img: np.ndarray, box: tuple[int, int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    x0, y0, x1, y1 = box
    roi = img[y0:y1, x0:x1].astype(int)
    fill = (roi > 200).all(axis=2)  # the white title
    outline = (roi < 50).all(axis=2)  # its dark outline
    return fill, outline


def _assert_drawn_once(img: np.ndarray, box: tuple[int, int, int, int]) -> None:
    import cv2

    fill, outline = _fill_and_outline(img, box)
    assert fill.sum() > 200 and outline.sum() > 200, (fill.sum(), outline.sum())
    # The outline hugs the fill: every dark pixel lies within a few px of a white one ...
    near_fill = cv2.dilate(fill.astype(np.uint8), np.ones((9, 9), np.uint8)).astype(bool)
    assert (outline & ~near_fill).sum() <= 0.01 * outline.sum(), (outline & ~near_fill).sum()
    # ... and both span the same width (a second string drawn at another advance runs on past the first).
    fx = np.flatnonzero(fill.any(axis=0))
    ox = np.flatnonzero(outline.any(axis=0))
    assert abs(int(fx[0]) - int(ox[0])) <= 6 and abs(int(fx[-1]) - int(ox[-1])) <= 6, (fx[[0, -1]], ox[[0, -1]])


def test_banner_title_is_drawn_once_with_a_matching_outline() -> None:
    from gait.outputs.annotated_video import SEVERITY_COLOURS, draw_banner

    img = np.full((1280, 720, 3), 120, np.uint8)
    box = draw_banner(img, "Shorten your stride - land under your hips", SEVERITY_COLOURS["flag"], 0.9)
    _assert_drawn_once(img, box)
    assert box[0] >= 0 and box[2] <= img.shape[1]  # inside the frame


def test_labels_stay_inside_the_frame() -> None:
    from gait.outputs.annotated_video import draw_label

    img = np.full((400, 300, 3), 120, np.uint8)
    for org in ((280, 200), (-50, 5), (150, 399), (10, 200)):
        x0, y0, x1, y1 = draw_label(img, "L landing", org, 0.8, (66, 135, 245))
        assert 0 <= x0 < x1 <= img.shape[1] and 0 <= y0 < y1 <= img.shape[0], (org, (x0, y0, x1, y1))
    long_title = "a title far too long to fit across this narrow frame at this size"
    wide = draw_label(img, long_title, (5, 50), 1.2, (255, 255, 255))
    assert wide[2] <= img.shape[1]
    _assert_drawn_once(img, wide)


def _with_a_watch_cue(treadmill_analysis):
    """The treadmill analysis scored with a hip-extension watch line 12° above this clip's value (twice the
    angle's resolution), so that a cue with a banner fires on the real frames (the sample's own cues are a
    heel-strike note and praise)."""
    from gait import AnalysisConfig, analyze_pose
    from gait.pipeline import verticals_of

    report, clean = treadmill_analysis
    line = float(report.metrics["hip_extension_deg"].value) + 12.0
    config = AnalysisConfig(height_cm=178.0, hip_extension_watch_deg=line)
    return analyze_pose(clean.raw, report.video, config, None, verticals_of(report))


def test_cue_banner_on_a_real_frame_reads_once(treadmill_analysis) -> None:
    from gait.outputs.annotated_video import Annotator

    report, clean = _with_a_watch_cue(treadmill_analysis)
    cue = next(c for c in report.cues if c.severity in ("watch", "flag") and c.frames)
    img = render_frame(report, clean, cue.frames[0], max_side_px=960)
    ARTIFACTS.mkdir(exist_ok=True)
    Image.fromarray(img).save(ARTIFACTS / "banner_frame.png")
    size = max(0.5, max(img.shape[:2]) / 1400)
    band = (0, 0, img.shape[1], int(48 * size))
    _assert_drawn_once(img, band)
    assert Annotator(report, clean).cue_spans  # a banner was due on this frame


def test_leg_colours_follow_the_foot_after_a_relabel(treadmill_analysis) -> None:
    """A contact whose landmark side held the other foot: that leg is drawn in its foot's colour until the next."""
    from dataclasses import replace

    from gait.core import landmarks as L
    from gait.outputs.annotated_video import COLOURS, Annotator, limb_colour

    assert limb_colour(L.LEFT_KNEE) == COLOURS["left"] and limb_colour(L.LEFT_KNEE, True) == COLOURS["right"]
    assert limb_colour(L.LEFT_SHOULDER, True) == COLOURS["left"]  # only the legs swap
    report, clean = treadmill_analysis
    contacts = [e for e in report.events if e.kind == "contact" and e.foot == "left"]
    first, second = contacts[2], contacts[3]
    events = tuple(replace(e, track="right") if e == first else e for e in report.events)
    annot = Annotator(replace(report, events=events), clean)
    assert annot.swapped == [(first.time_s, second.time_s)]
    plain = Annotator(report, clean)
    assert plain.swapped == [] or all(a != first.time_s for a, _ in plain.swapped)


def test_show_me_frames_are_cut_to_the_runner_under_a_readable_banner(treadmill_analysis) -> None:
    from gait.outputs.keyframes import cue_frame_images

    report, clean = _with_a_watch_cue(treadmill_analysis)
    images = cue_frame_images(report, clean, max_side_px=960)
    wanted = {f for c in report.cues for f in c.frames}
    assert set(images) == wanted
    cue = next(c for c in report.cues if c.severity in ("watch", "flag") and c.frames)
    img = images[cue.frames[0]]
    full_h = 960
    assert img.shape[0] < full_h and img.shape[1] < 960 * report.video.width / report.video.height + 1
    size = max(0.5, 960 / 1400)
    _assert_drawn_once(img, (0, 0, img.shape[1], int(48 * size)))
