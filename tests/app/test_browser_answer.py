"""A real browser walks the answer-first page (issue 24) at a laptop's 1366×900 and a phone's 390×844: a
runner's path (the summary, the handout one click away, all on the first screen of the results) and a store's
three-customer path (name first, handout, next customer). Screenshots go to test-artifacts/answer/ (ignored)."""

from __future__ import annotations

import pytest

from tests.app.test_browser import ARTIFACTS, CHROME_ARGS, CHROMIUM, server
from tests.support.paths import ROOT

__all__ = ["server"]

SIZES = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
SHOTS = ARTIFACTS / "answer"
NAME_LABEL = "Runner's name or ID (optional: on the handout and for saving)"
assert ROOT.is_dir()


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _scroll_to(page, text: str) -> None:
    page.get_by_text(text, exact=True).first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)


def _analyse_sample(page, name: str) -> None:
    page.get_by_label(NAME_LABEL).fill(name)
    page.get_by_label("Runner height (cm, optional)").fill("178")
    page.get_by_role("button", name="Try the sample video").click()
    page.get_by_text("Summary", exact=True).wait_for(timeout=600_000)
    page.get_by_role("button", name="Handout (PDF)").wait_for(timeout=600_000)


@pytest.mark.slow
@pytest.mark.parametrize("size", list(SIZES))
def test_runner_and_store_paths(server: str, size: str) -> None:
    from playwright.sync_api import sync_playwright

    viewport = SIZES[size]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_ARGS)
        page = browser.new_context(viewport=viewport, accept_downloads=True).new_page()
        page.goto(server, wait_until="networkidle")
        page.get_by_label(NAME_LABEL).wait_for(timeout=60_000)
        _shot(page, f"{size}_01_form")
        for k in (1, 2, 3):
            _analyse_sample(page, f"Customer {k}")
            _scroll_to(page, "Summary")
            top = page.get_by_text("Summary", exact=True).first.bounding_box()
            pdf = page.get_by_role("button", name="Handout (PDF)").bounding_box()
            assert top is not None and pdf is not None
            # The answer and the handout on one screen: from the Summary heading to the PDF button.
            assert pdf["y"] + pdf["height"] - top["y"] <= viewport["height"], (top, pdf)
            if k == 1:
                _shot(page, f"{size}_02_summary")
                _scroll_to(page, "Annotated video")
                _shot(page, f"{size}_03_video")
            with page.expect_download(timeout=300_000) as dl:
                page.get_by_role("button", name="Handout (PDF)").click()
            assert dl.value.suggested_filename.endswith("report.pdf")
            page.get_by_role("button", name="Next customer").click()
            page.get_by_text("Summary", exact=True).wait_for(state="detached", timeout=60_000)
            page.wait_for_timeout(500)
            assert page.get_by_label(NAME_LABEL).input_value() == ""  # a clean form for the next runner
            assert page.get_by_text("Summary", exact=True).count() == 0
        _shot(page, f"{size}_04_next_customer")
        browser.close()
