"""Member development in headless Chromium at phone and desktop widths: the branch secretary's
pipeline board and a person's timeline, the committee's approval queue, and the PDF dossier."""

from __future__ import annotations

import pytest

from tests.browser.conftest import Session

pytestmark = pytest.mark.browser


def _fits(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "the page overflows the screen"


def test_the_secretary_works_the_pipeline_and_opens_a_timeline(session: Session) -> None:
    page = session.sign_in("secretary1")
    page.goto(f"{session.base}/development/")
    assert page.locator("h1").first.inner_text() == "党员发展"
    cards = page.locator(".dev-card")
    assert cards.count() >= 5  # the demo gives secretary1's branch nine cases
    assert page.locator(".dev-due.overdue").count() >= 2
    _fits(page)
    session.shot("development-board")

    page.locator(".dev-card").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".dj-timeline li").count() >= 1
    assert page.locator("#record").count() == 1  # the next step's form
    assert "申请" in page.locator(".dj-timeline").inner_text()  # step names in Chinese
    _fits(page)
    session.shot("development-timeline")

    href = page.locator("a[href$='dossier.pdf']").get_attribute("href") or ""
    dossier = page.request.get(session.base + href)
    assert dossier.ok and dossier.body().startswith(b"%PDF")

    page.goto(f"{session.base}/development/due/")
    _fits(page)
    session.shot("development-due")


def test_the_committee_opens_its_approval_queue(session: Session) -> None:
    page = session.sign_in("committee1")
    page.goto(f"{session.base}/development/committee/")
    assert page.locator("h1").first.inner_text()
    _fits(page)
    session.shot("development-committee-queue")
