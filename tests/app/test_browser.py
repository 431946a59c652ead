"""A real browser: Streamlit on a loopback port, Debian's chromium driven by Playwright, a real clip uploaded.

Skipped (with the reason) when chromium or Playwright is not installed; ``.ci/run`` installs both.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.paths import ROOT, TREADMILL, clip

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
CHROME_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _history_with_an_earlier_session(db: Path) -> None:
    """An earlier session of athlete "Sam" to compare with: a synthetic runner who overstrides more."""
    from gait import AnalysisConfig
    from gait.workflows.history import connect, save_session
    from tests.support.runners import OVERSTRIDER, analyse

    report, _ = analyse(AnalysisConfig(), fps=60.0, **OVERSTRIDER)
    with connect(db) as conn:
        save_session(conn, "Sam", report, recorded_on="2026-10-01", notes="first visit (synthetic)")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, app_pose_dir: Path) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    pytest.importorskip("playwright")
    port = _free_port()
    db = tmp_path_factory.mktemp("history") / "history.sqlite3"
    _history_with_an_earlier_session(db)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "GAIT_HISTORY": str(db), "GAIT_POSE_CACHE_DIR": str(app_pose_dir)}
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "streamlit.log", "w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("streamlit did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


#: Where the browser tests save what they saw (ignored by git); `python -m tests.app.refresh_screenshots` copies
#: them into docs/screenshots/ when the README's pictures should change.
SHOTS = ROOT / "test-artifacts" / "screenshots"
VIEWPORT = {"width": 1366, "height": 900}
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)*_(?:deg|ms|spm|pct|cm|px|s|m|ratio|factor)\b")


def _top(locator, above_px: int = 0) -> None:
    """Scroll so the element sits at the top of the window (a heading starts its screenshot), less above_px."""
    locator.evaluate(
        f"e => {{ e.scrollIntoView({{block: 'start'}}); window.scrollBy(0, -{above_px}); "
        f"const m = document.querySelector('[data-testid=stMain]'); if (m) m.scrollBy(0, -{above_px}); }}"
    )


def _shrink(path: Path) -> None:
    """Make a PNG small enough to commit (< 300 KB): a 128-colour palette, then smaller if still too big."""
    from PIL import Image

    if path.stat().st_size > 280_000:
        img = Image.open(path).convert("RGB")
        img.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    if path.stat().st_size > 300_000:
        img = Image.open(path).convert("RGB")
        img = img.resize((img.width * 3 // 4, img.height * 3 // 4))
        img.quantize(colors=96, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def _shot(page, name: str, full_page: bool = False) -> Path:
    """A screenshot (test-artifacts/screenshots/NAME.png), small enough to commit to docs/ (< 300 KB)."""

    page.mouse.move(5, 890)  # no hover tooltips in the picture
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.wait_for_timeout(600)  # let charts and images finish drawing
    page.screenshot(path=str(path), full_page=full_page)
    _shrink(path)
    return path


def _main_text(page) -> str:
    return str(page.locator("[data-testid='stMain']").inner_text())


def _video_state(page) -> dict:
    return dict(
        page.evaluate(
            "() => { const v = document.querySelector('video'); "
            "return {ready: v.readyState, duration: v.duration, time: v.currentTime, error: v.error && v.error.code}; }"
        )
    )


@pytest.mark.slow
def test_a_persons_path_through_the_app(server: str, tmp_path: Path) -> None:
    """Sample, play, "Show me", save without then with a name, PDF, upload, bad upload, history, compare, reopen."""
    from playwright.sync_api import sync_playwright

    video = clip(TREADMILL)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_ARGS)
        context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
        page = context.new_page()
        page.goto(server, wait_until="networkidle")
        page.get_by_text("How to film").wait_for(timeout=60_000)
        page.get_by_text("Camera view").wait_for(timeout=60_000)
        # Optional numbers start empty, not "0.00".
        heights = page.get_by_label("Runner height (cm, optional)")
        assert heights.input_value() == ""
        _shot(page, "01_start")

        # 1. The sample: the progress bar is in view without scrolling (1366x900).
        page.get_by_role("button", name="Try the sample video").click()
        bar = page.locator("[data-testid='stProgress']").first
        bar.wait_for(timeout=120_000)
        box = None
        for _ in range(400):  # with the pose cached a stage's bar can be gone by the time it is measured
            box = bar.bounding_box() if bar.count() else None
            if box is not None:
                break
            time.sleep(0.05)
        assert box is not None and box["y"] + box["height"] <= VIEWPORT["height"], box
        _shot(page, "02_progress")
        page.get_by_text("What to work on").wait_for(timeout=600_000)
        page.locator("video").first.wait_for(timeout=300_000)
        _top(page.get_by_text("Summary", exact=True))
        text = _main_text(page)
        assert "treadmill_side.mp4" in text and "Cadence" in text and "Shin angle at landing" in text
        assert not SNAKE.findall(text), SNAKE.findall(text)[:5]
        _shot(page, "03_results")

        # 2. Play the annotated video.
        state: dict = {}
        for _ in range(120):
            state = _video_state(page)
            if state["ready"] >= 2:
                break
            time.sleep(0.5)
        assert state["ready"] >= 2 and abs(state["duration"] - 12.0) <= 0.6, state
        _top(page.get_by_text("Annotated video", exact=True))
        page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }")
        page.wait_for_function("() => document.querySelector('video').currentTime > 1.0", timeout=60_000)
        page.evaluate("() => document.querySelector('video').pause()")
        _shot(page, "04_video")

        # 3. A cue's "Show me" frames.
        page.get_by_text("Heel strike").first.scroll_into_view_if_needed()
        page.get_by_text("Show me").first.click()
        frames = page.locator("[data-testid='stExpanderDetails'] img")
        frames.first.wait_for(timeout=60_000)
        assert frames.first.is_visible()
        _top(page.get_by_text("Show me").first, above_px=330)
        _shot(page, "05_show_me")

        # 4. The metric table and the gait-cycle curves.
        _top(page.get_by_text("Metrics", exact=True))
        _shot(page, "06_metrics")
        page.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=60_000)
        _top(page.get_by_text("Gait cycle", exact=True))
        _shot(page, "07_gait_cycle")

        # 5. Save without a name: told next to the field, results stay.
        save = page.get_by_role("button", name="Save to history")
        save.scroll_into_view_if_needed()
        save.click()
        msg = page.get_by_text("Type the athlete's name or ID here")
        msg.wait_for(timeout=60_000)
        name_box = page.get_by_label("Athlete name or ID").bounding_box()
        msg_box = msg.bounding_box()
        assert name_box and msg_box and 0 <= msg_box["y"] - name_box["y"] <= 150, (name_box, msg_box)
        assert page.get_by_text("Key frames", exact=True).count() == 1  # the results are still there
        assert "could not analyse" not in _main_text(page)
        msg.scroll_into_view_if_needed()
        _shot(page, "08_save_without_name")

        # 6. With a name: saved, results still on screen.
        page.get_by_label("Athlete name or ID").fill("Sam")
        page.get_by_role("button", name="Save to history").click()
        page.get_by_text("Saved as session 2 of Sam").wait_for(timeout=60_000)
        assert page.get_by_text("Key frames", exact=True).count() == 1
        page.get_by_text("Saved as session 2 of Sam").scroll_into_view_if_needed()
        _shot(page, "09_saved")

        # 7. The PDF handout: titled with the athlete and the clip, in people's words.
        with page.expect_download(timeout=120_000) as dl:
            page.get_by_role("button", name="report.pdf").click()
        pdf = tmp_path / "report.pdf"
        dl.value.save_as(pdf)
        _pdf_pages(pdf)

        # 8. Upload a clip (the same run: its pose is cached by content), then a file that is not a video.
        page.locator("input[type=file]").first.set_input_files(str(video))
        page.wait_for_function(f"() => document.body.innerText.includes({video.name[-10:]!r})", timeout=120_000)
        page.get_by_role("button", name="Analyse").click()
        page.get_by_text(f"{video.name} · side view").wait_for(timeout=600_000)
        bad = tmp_path / "holiday.mp4"
        bad.write_bytes(b"this is not a video" * 100)
        page.locator("input[type=file]").first.set_input_files(str(bad))
        page.wait_for_function("() => document.body.innerText.includes('holiday.mp4')", timeout=60_000)
        page.get_by_role("button", name="Analyse").click()
        err = page.locator("[data-testid='stAlertContentError']").first
        err.wait_for(timeout=120_000)
        message = err.inner_text()
        assert message.count("holiday.mp4") == 1 and "not a video" in message.lower(), message
        assert "/tmp" not in message and not re.search(r"[0-9a-f]{16}", message), message
        err.scroll_into_view_if_needed()
        _shot(page, "10_bad_upload")

        # 9. History: the trend, compare (the earlier synthetic session vs today's), reopen the saved analysis.
        page.locator("[data-testid='stSidebar']").get_by_text("History & compare").click()
        page.get_by_text("Key frames, before | after").wait_for(timeout=120_000)
        _top(page.get_by_text("Trend", exact=True))
        assert page.locator("[data-testid='stVegaLiteChart']").first.is_visible()
        _shot(page, "11_history_trend")
        _top(page.get_by_text("Compare", exact=True))
        text = _main_text(page)
        assert "Resolved" in text and "Shin angle at landing" in text and not SNAKE.findall(text)
        _shot(page, "12_compare")
        page.get_by_text("Open the saved analysis").click()
        page.get_by_text("Among runners").first.wait_for(timeout=60_000)
        _top(page.get_by_text("Open the saved analysis"))
        _shot(page, "13_reopen")
        assert "Traceback" not in page.content()
        browser.close()


def _pdf_pages(pdf: Path) -> None:
    """The downloaded PDF: its text in people's words, its pages saved as PNG next to the screenshots."""
    pdftotext, pdftoppm = shutil.which("pdftotext"), shutil.which("pdftoppm")
    if pdftotext is None or pdftoppm is None:
        return
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "treadmill_side.mp4" in text and "Cadence" in text
    assert not SNAKE.findall(text) and "/tmp" not in text and not re.search(r"[0-9a-f]{16}", text)
    out = pdf.parent / "page"
    subprocess.run([pdftoppm, "-r", "80", "-png", str(pdf), str(out)], check=True)
    for i, page in enumerate(sorted(pdf.parent.glob("page-*.png")), start=1):
        shutil.copy(page, SHOTS / f"pdf_page{i}.png")
        _shrink(SHOTS / f"pdf_page{i}.png")
