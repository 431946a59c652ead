"""The PDF handout: rendered to PNG with pdftoppm, its text read with pdftotext, and its key frames present."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from gait.export import write_atomic
from gait.keyframes import key_frame_images, print_key_frames, select_key_frames
from gait.pdf import report_pdf
from tests.conftest import ROOT

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


def test_pdf_handout_pages_have_the_text_and_the_key_frames(treadmill_analysis, tmp_path: Path) -> None:
    pdftoppm, pdftotext = _need("pdftoppm"), _need("pdftotext")
    report, clean = treadmill_analysis
    frames = print_key_frames(report, clean)
    pdf = write_atomic(tmp_path / "report.pdf", report_pdf(report, frames, athlete="Test Runner", notes="visit 1"))
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for needle in ("Running form screen - Test Runner", "Key frames", "What to work on", "Measurements", "cadence_spm"):
        assert needle in text
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
