"""A real browser (Playwright + Debian's chromium) reviews an event: open the sample, move one contact by 3
frames, see its contact time and the cue panel change, sign, save, reopen it from the history and see the edit."""

from __future__ import annotations

import re

import pytest

from tests.app.test_browser import CHROME_ARGS, CHROMIUM, SNAKE, VIEWPORT, _main_text, _shot, _top, server
from tests.support.paths import ROOT

__all__ = ["server"]  # the module's Streamlit server fixture (a fresh history with one earlier session)

CONTACT_MS = re.compile(r"Contact time of this step: (\d+) ms")


def _contact_ms(page) -> int:
    found = CONTACT_MS.search(_main_text(page))
    assert found, _main_text(page)[:2000]
    return int(found.group(1))


def _cue_numbers(page) -> list[str]:
    return re.findall(r"Numbers: [^\n]+", _main_text(page))


@pytest.mark.slow
def test_review_move_a_contact_save_and_reopen(server: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_ARGS)
        page = browser.new_context(viewport=VIEWPORT).new_page()
        page.goto(server, wait_until="networkidle")
        page.get_by_role("button", name="Try the sample video").click()
        page.get_by_text("Review the events", exact=True).wait_for(timeout=600_000)
        page.get_by_text("What to work on", exact=True).wait_for(timeout=600_000)

        # Pick a left landing in the middle of the clip from the event list.
        box = page.get_by_role("combobox", name="Event")
        box.click()
        box.press_sequentially("left landing (contact) · frame 1")
        option = page.get_by_role("option", name=re.compile(r"left landing \(contact\) · frame 1\d\d "))
        chosen = option.first.inner_text()
        option.first.click()
        frame = int(re.search(r"frame (\d+)", chosen).group(1))  # type: ignore[union-attr]
        page.get_by_text(f"Frame {frame} · time").wait_for(timeout=60_000)
        # the panel's frame: the review now sits below the key frames and the cues' folded frames, so it is last
        page.locator("[data-testid='stImage'] img").last.wait_for(timeout=60_000)
        before_ms, before_cues = _contact_ms(page), _cue_numbers(page)
        _top(page.get_by_text("Review the events", exact=True))
        _shot(page, "14_review_event")

        # Move it 3 frames later: the step's contact time and the cue numbers follow at once.
        page.get_by_role("button", name="Move by +3").click()
        page.get_by_text("What your last edit changed").wait_for(timeout=60_000)
        page.get_by_text(f"Frame {frame + 3} · time").wait_for(timeout=60_000)
        after_ms = _contact_ms(page)
        assert after_ms < before_ms - 50, (before_ms, after_ms)  # 3 frames at 30 fps = 100 ms
        assert _cue_numbers(page) != before_cues, before_cues
        assert "Changed by your last edit" in _main_text(page)
        text = _main_text(page)
        assert "edited" in text and not SNAKE.findall(text), SNAKE.findall(text)[:5]
        _top(page.get_by_text("Review the events", exact=True))
        _shot(page, "15_review_moved")
        _top(page.get_by_text("What to work on", exact=True))
        _shot(page, "16_cues_after_edit")

        # Sign the review, save, reopen from the history.
        reviewer = page.get_by_label("Reviewed by (your name, for the report and the PDF)")
        reviewer.fill("Dr Lee")
        reviewer.press("Enter")
        page.get_by_text("Events reviewed by Dr Lee").first.wait_for(timeout=60_000)
        page.get_by_label("Athlete name or ID").fill("Sam")
        page.get_by_role("button", name="Save to history").click()
        page.get_by_text("Saved as session").wait_for(timeout=60_000)

        page.locator("[data-testid='stSidebar']").get_by_text("History & compare").click()
        page.get_by_text("Events reviewed by Dr Lee: 1 moved, 0 added, 0 removed").wait_for(timeout=120_000)
        page.get_by_text("Open the saved analysis").click()
        page.get_by_text("Reviewed events", exact=True).wait_for(timeout=60_000)
        _top(page.get_by_text("Events reviewed by Dr Lee").first, above_px=60)
        _shot(page, "17_reopened_review")
        assert "Traceback" not in page.content()
        browser.close()


@pytest.mark.slow
def test_two_views_show_both_videos_and_key_frames(server: str, app_pose_dir, tmp_path) -> None:
    """A side clip (the real sample) and a synthetic rear clip of the same cadence in one session."""
    from playwright.sync_api import sync_playwright

    from tests.app.conftest import SAMPLE
    from tests.app.test_twoview_app import rear_clip
    from tests.support.paths import TREADMILL_CADENCE_SPM

    rear = rear_clip(tmp_path, app_pose_dir, "rear.mp4", 100, cadence_spm=TREADMILL_CADENCE_SPM, pelvic_drop_deg=7.0)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_ARGS)
        page = browser.new_context(viewport=VIEWPORT).new_page()
        page.goto(server, wait_until="networkidle")
        inputs = page.locator("input[type=file]")
        inputs.nth(0).set_input_files(str(SAMPLE))
        inputs.nth(1).set_input_files(str(rear))
        page.wait_for_function("() => document.body.innerText.includes('rear.mp4')", timeout=60_000)
        page.get_by_role("button", name="Analyse").click()
        try:
            page.get_by_text("+ rear view (rear.mp4)").wait_for(timeout=240_000)
        except Exception:
            page.screenshot(path=str(ROOT / "test-artifacts" / "two_views_failure.png"), full_page=True)
            raise
        page.get_by_text("Rear: rear.mp4, from the first left midstance").wait_for(timeout=600_000)
        assert page.locator("video").count() == 2
        page.get_by_text("Every measurement").first.wait_for(timeout=120_000)  # the folded full table
        page.get_by_text("Rear view: Left midstance").first.wait_for(timeout=120_000)
        text = _main_text(page)
        assert "Pelvic drop" in text and "Shin angle at landing" in text and not SNAKE.findall(text)
        assert "may be two different runs" not in text
        _top(page.get_by_text("Annotated video", exact=True))
        _shot(page, "18_two_views")
        page.get_by_text("Rear view: Left midstance").first.wait_for(timeout=120_000)
        _top(page.get_by_text("Key frames", exact=True))
        _shot(page, "19_two_view_key_frames")
        browser.close()
