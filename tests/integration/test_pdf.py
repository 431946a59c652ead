"""The PDF handout: rendered to PNG with pdftoppm, its text read with pdftotext, and its key frames present."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from gait.metrics.assessment import assessments_of
from gait.metrics.registry import REGISTRY
from gait.outputs.files import write_atomic
from gait.outputs.keyframes import key_frame_images, print_key_frames, select_key_frames
from gait.outputs.pdf import report_pdf
from tests.support.caches import ClipCache
from tests.support.paths import ROOT

#: A metric's code name: snake_case ending in a unit (``shank_angle_at_contact_deg``, ``foot_flat_raw_deg``).
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)*_(?:deg|ms|spm|pct|cm|px|s|m|ratio|factor)\b")

ARTIFACTS = ROOT / "test-artifacts"


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed; .ci/run installs it")
    return path


def test_key_frames_show_each_foot_contact_and_a_midstance(treadmill_analysis) -> None:
    report, clean = treadmill_analysis
    picks = select_key_frames(report)
    labels = [label.split(":")[0] for label, _ in picks]
    assert labels[:2] == ["Left foot contact", "Right foot contact"] and labels[2].endswith("midstance")
    contact_frames = {e.frame for e in report.events if e.kind == "contact"}
    assert picks[0][1] in contact_frames and picks[1][1] in contact_frames
    images = key_frame_images(report, clean, max_side_px=960, crop=True)
    for (_, full), (_, cropped) in zip(key_frame_images(report, clean, max_side_px=960), images, strict=True):
        assert cropped.shape[0] * cropped.shape[1] < 0.6 * full.shape[0] * full.shape[1]  # cut to the runner
    # The crop keeps both feet (heel and toes) and the hip line: the overstride frame must show the landing.
    from gait.outputs.keyframes import crop_box

    for _, f in picks:
        k = list(clean.pose.frame_index).index(f)
        scale = 960 / max(report.video.width, report.video.height)
        size = (round(report.video.width * scale), round(report.video.height * scale))
        box = crop_box(clean, f, scale, size)
        assert box is not None
        x0, y0, x1, y1 = box
        for i in (23, 24, 27, 28, 29, 30, 31, 32):
            x, y = clean.pose.image_xy_px[k, i] * scale
            if np.isfinite(x) and np.isfinite(y):
                assert x0 <= x <= x1 and y0 <= y <= y1, (f, i, (x, y), box)
        feet_y = np.nanmax(clean.pose.image_xy_px[k, 27:33, 1]) * scale
        assert y1 - feet_y >= 10 or y1 == size[1]  # room below the lowest foot


def test_pdf_handout_pages_have_the_text_and_the_key_frames(treadmill_analysis, tmp_path: Path) -> None:
    pdftoppm, pdftotext = _need("pdftoppm"), _need("pdftotext")
    report, clean = treadmill_analysis
    frames = print_key_frames(report, clean)
    # A note on how this computer processed the clip (a saved pose not used) is not the handout's business.
    cache_note = "The saved pose was not used: it has no video key; the pose was extracted again."
    report = dataclasses.replace(report, notes=(*report.notes, cache_note))
    pdf_bytes = report_pdf(report, frames, athlete="Test Runner", notes="visit 1", video_name="monday run.mp4")
    pdf = write_atomic(tmp_path / "report.pdf", pdf_bytes)
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for needle in ("Running form screen - Test Runner", "monday run.mp4", "Key frames", "What to work on"):
        assert needle in text
    assert "Measurements" in text and "Cadence" in text and "Shin angle at landing" in text
    knee = f"±{REGISTRY['knee_flexion_at_contact_deg'].resolution:.0f}°"
    assert "value (good to)" in text and knee in text  # the knee angle's resolution
    # The contact time's "good to" is the assessment's (a frame at 30 fps and more, with this clip's spread).
    good_to = assessments_of(report)["ground_contact_time_ms"].good_to
    assert good_to.startswith("±") and good_to in text, good_to
    # The capture section says what was checked about the camera, not only what went wrong.
    flat = " ".join(text.split())
    assert all(" ".join(n.split()[:6]) in flat for n in report.notes if n != cache_note) and "saved pose" not in flat
    # People's words only: no code names, no pointers into the project's files, no temp paths or hash names.
    assert not SNAKE.findall(text), SNAKE.findall(text)[:5]
    assert not [n for n in REGISTRY if n in text]
    assert ".md" not in text and "/tmp" not in text and not re.search(r"[0-9a-f]{16}", text)
    info = (
        subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout if shutil.which("pdfinfo") else ""
    )
    if info:
        assert "Test Runner" in info and "monday run.mp4" in info  # the document title
    for cue in report.cues:
        assert cue.title in text
    assert "See a clinician" in text and "not a diagnosis" in text
    assert "1-2 weeks" in text
    subprocess.run([pdftoppm, "-r", "70", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert 1 <= len(pages) <= 2
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(pages[0], ARTIFACTS / "pdf_page1.png")
    import av

    with av.open(str(pages[0])) as c:
        page = next(c.decode(video=0)).to_ndarray(format="rgb24").astype(int)
    # The key-frame band (upper third of page 1) holds photographs: many colours, not white paper.
    band = page[page.shape[0] // 8 : page.shape[0] // 2]
    saturated = np.abs(band - band.mean(axis=2, keepdims=True)).sum(axis=2) > 30
    assert saturated.mean() > 0.05


@pytest.mark.slow
def test_batch_pdf_writes_a_handout_per_video(tmp_path: Path, clip_cache: ClipCache) -> None:
    """``gait batch --pdf``: each analysed video's folder holds a report.pdf titled with its clip's name."""
    from tests.support import corpus
    from tests.support.cli import run_cli_in_process
    from tests.support.paths import TREADMILL, clip

    src = clip(TREADMILL)
    videos = tmp_path / "in"
    videos.mkdir()
    clip_cache.make(corpus.transcode, videos, src, "runner_a.mp4", max_s=4.0)
    out = tmp_path / "out"
    proc = run_cli_in_process("batch", str(videos), "--out", str(out), "--processes", "1", "--pdf", "--quiet")
    assert proc.returncode == 0, proc.stderr
    pdfs = list(out.glob("*/report.pdf"))
    assert len(pdfs) == 1
    text = subprocess.run([_need("pdftotext"), str(pdfs[0]), "-"], capture_output=True, text=True, check=True).stdout
    assert "runner_a.mp4" in text and "Cadence" in text


def test_crop_keeps_the_landing_foot_of_a_runner_facing_right(treadmill_analysis) -> None:
    """Mirror the runner (facing right): the crop still holds both feet, the hip line and the label room."""
    from dataclasses import replace

    from gait.outputs.keyframes import crop_box

    report, clean = treadmill_analysis
    w = report.video.width
    xy = clean.pose.image_xy_px.copy()
    xy[..., 0] = (w - 1) - xy[..., 0]
    mirrored = replace(clean, pose=clean.pose.with_(image_xy_px=xy))
    for _, f in select_key_frames(report):
        k = list(clean.pose.frame_index).index(f)
        box = crop_box(mirrored, f, 1.0, (w, report.video.height))
        assert box is not None
        x0, y0, x1, y1 = box
        for i in (23, 24, 27, 28, 29, 30, 31, 32):
            x, y = xy[k, i]
            if np.isfinite(x) and np.isfinite(y):
                assert x0 <= x <= x1 and y0 <= y <= y1, (f, i, (x, y), box)
