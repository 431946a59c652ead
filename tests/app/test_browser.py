"""A real browser: Streamlit on a loopback port, Debian's chromium driven by Playwright, a real clip uploaded.

Skipped (with the reason) when chromium or Playwright is not installed; ``.ci/run`` installs both.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, TREADMILL, clip

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
    from gait.history import connect, save_session
    from tests.unit.test_compare import OVERSTRIDER
    from tests.unit.test_metrics_synthetic import analyse

    report, _ = analyse(AnalysisConfig(), fps=60.0, **OVERSTRIDER)
    with connect(db) as conn:
        save_session(conn, "Sam", report, recorded_on="2026-10-01", notes="first visit (synthetic)")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    pytest.importorskip("playwright")
    port = _free_port()
    db = tmp_path_factory.mktemp("history") / "history.sqlite3"
    _history_with_an_earlier_session(db)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "GAIT_HISTORY": str(db)}
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


@pytest.mark.slow
def test_upload_clip_plays_annotated_video(server: str) -> None:
    from playwright.sync_api import sync_playwright

    video = clip(TREADMILL)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server, wait_until="networkidle")
        page.get_by_text("How to film").wait_for(timeout=60_000)
        page.get_by_text("Camera view").wait_for(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "app_start.png"), full_page=True)
        page.locator("input[type=file]").set_input_files(str(video))
        # The uploader shows the (possibly shortened) file name once the upload is done.
        page.wait_for_function(f"() => document.body.innerText.includes({video.name[-10:]!r})", timeout=120_000)
        page.get_by_role("button", name="Analyse").click()
        page.get_by_text("What to work on").wait_for(timeout=600_000)
        page.locator("video").first.wait_for(timeout=120_000)
        state = {}
        for _ in range(120):
            state = page.evaluate(
                "() => { const v = document.querySelector('video'); "
                "return {ready: v.readyState, duration: v.duration, error: v.error && v.error.code}; }"
            )
            if state["ready"] >= 2:
                break
            time.sleep(0.5)
        assert state["ready"] >= 2, state
        assert abs(state["duration"] - 12.0) <= 0.05 * 12.0, state
        page.get_by_text("Shorten your stride").first.wait_for(timeout=120_000)  # cards follow their key frames
        assert page.get_by_text("Shorten your stride").first.is_visible()
        assert page.get_by_text("Drills").first.is_visible()
        table = page.locator("[data-testid='stDataFrame']").first
        table.scroll_into_view_if_needed()
        assert table.is_visible()
        page.get_by_text("What to work on").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "app_cues.png"))
        page.screenshot(path=str(ARTIFACTS / "app_results_full.png"), full_page=True)
        assert "Traceback" not in page.content()

        # Save to the history, then compare with the earlier session.
        page.get_by_label("Athlete name or ID").fill("Sam")
        page.get_by_role("button", name="Save to history").click()
        page.get_by_text("Saved as session 2 of Sam").wait_for(timeout=60_000)
        page.locator("[data-testid='stSidebar']").get_by_text("History & compare").click()
        page.get_by_text("Key frames, before | after").wait_for(timeout=120_000)
        assert page.get_by_text("Resolved").first.is_visible()
        assert page.locator("[data-testid='stDataFrame']").nth(1).is_visible()
        time.sleep(1.0)  # let the images and tables finish drawing
        page.get_by_text("Compare", exact=True).scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "app_compare.png"))
        page.get_by_text("Key frames, before | after").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "app_compare_frames.png"))
        assert "Traceback" not in page.content()
        browser.close()
