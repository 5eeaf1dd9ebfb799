"""The propaganda platform in headless Chromium: an editor writes a notice in the rich-text
editor and publishes it; a member on the home page is offered it live, reads it, and the
editor sees the reading on the notice's management page, with its read receipts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, Session

pytestmark = pytest.mark.browser


def test_an_editor_publishes_a_notice_a_member_reads_it(session: Session, browser, live_url):
    title = f"关于开展主题党日活动的通知（{session.size}）"
    member = Session(browser, live_url, session.env, session.size)
    try:
        reader = member.sign_in("member1")
        assert reader.locator("#home-notices").is_visible()
        reader.wait_for_timeout(1500)  # the notification stream is open

        page = session.sign_in("editor1")
        page.goto(f"{session.base}/content/manage/new/?section=notice")
        page.wait_for_selector("#editor-area .ql-editor")
        # Only the section's columns are offered.
        columns = page.locator("#id_category option:not([hidden])")
        assert columns.count() >= 2
        assert all(
            section in ("", "notice")
            for section in columns.evaluate_all("(os) => os.map((o) => o.dataset.section || '')")
        )
        page.fill("#id_title", title)
        page.fill("#id_summary", "请各党支部按要求组织开展主题党日活动。")
        page.click("#editor-area .ql-editor")
        page.keyboard.type("各党支部：")
        page.click("#editor-toolbar .ql-bold")
        page.keyboard.type("请于本周五前完成学习")
        page.click("#editor-toolbar .ql-bold")
        page.keyboard.type("，并报送活动记录。")
        page.keyboard.press("Enter")
        page.keyboard.type("学校党委组织部")
        expect(page.locator("#editor-area .ql-editor strong")).to_have_text("请于本周五前完成学习")
        assert page.locator("#id_send_notification").is_checked()
        page.fill("#id_tags", "主题党日，学习")
        # The editor's toolbar and text in view, as the writer sees them (a phone's picture
        # is of the screen; a desktop's of the whole page, from its top).
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        top = "document.getElementById('id_title').getBoundingClientRect().top + scrollY - 80"
        page.evaluate(f"() => window.scrollTo(0, {top if session.size == 'phone' else 0})")
        # The screen, not the whole page: the actions bar keeps to the window's bottom edge.
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"content-editor-{session.size}.png"))
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("#publish-button")
        page.wait_for_url(re.compile(r"/content/manage/\d+/$"))
        expect(page.locator(".dj-page-head .badge-success")).to_be_visible()  # published
        manage_url = page.url

        # The member, on the home page, is offered the new notice without reloading.
        banner = reader.locator("#dj-new-content")
        expect(banner).to_be_visible(timeout=15_000)
        reader.goto(f"{live_url}/")
        notice = reader.locator("#home-notices a.dj-feed-item", has_text=title)
        expect(notice).to_be_visible()
        member.shot("content-home")
        notice.click()
        reader.wait_for_load_state("networkidle")
        expect(reader.locator("h1.dj-article-title")).to_contain_text(title)
        expect(reader.locator(".dj-body strong")).to_have_text("请于本周五前完成学习")
        width = reader.evaluate("() => document.documentElement.scrollWidth")
        assert width <= (390 if session.size == "phone" else 1280), "the page overflows"
        member.shot("content-item")

        # The editor sees the reading and reaches the read receipts.
        page.goto(manage_url)
        receipts = page.locator("#receipts a[href^='/notifications/sent/']")
        expect(receipts).to_be_visible()
        expect(page.locator("#reading-stats .stat-value.red")).to_have_text("1")
        session.shot("content-manage")
        receipts.click()
        page.wait_for_load_state("networkidle")
        assert "/notifications/sent/" in page.url
        assert page.locator("#read-list li.dj-list-item").count() >= 1  # member1 read it
        session.shot("content-receipts")
    finally:
        member.context.close()


def test_a_member_browses_sections_and_searches(session: Session):
    page = session.sign_in("member1")
    page.goto(f"{session.base}/content/all/")
    assert page.locator("a.dj-feed-item").count() > 0
    session.shot("content-feed")
    more = page.locator("#feed-more a")
    if more.count():
        before = page.locator("a.dj-feed-item").count()
        more.click()
        expect(page.locator("a.dj-feed-item")).not_to_have_count(before)
    page.goto(f"{session.base}/content/search/?q=党支部")
    assert page.locator("mark.dj-hl").count() > 0
    session.shot("content-search")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= (390 if session.size == "phone" else 1280), "the page overflows"


def test_an_editor_works_through_the_lists_and_the_review_queue(session: Session):
    page = session.sign_in("editor1")
    page.goto(f"{session.base}/content/manage/?state=pending")
    assert page.locator("main a.dj-list-item").count() > 0
    session.shot("content-manage-list")
    page.goto(f"{session.base}/content/review/")
    waiting = page.locator("main a.dj-list-item")
    assert waiting.count() > 0
    session.shot("content-review")
    waiting.first.click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#approve-button")).to_be_visible()
    expect(page.locator("#return-form textarea")).to_be_visible()
    session.shot("content-review-item")


def test_news_that_goes_to_no_inbox_still_appears_live(session: Session, browser, live_url):
    title = f"学校党委召开党建工作推进会（{session.size}）"
    member = Session(browser, live_url, session.env, session.size)
    try:
        reader = member.sign_in("member1")
        reader.goto(f"{live_url}/content/news/")
        reader.wait_for_timeout(1500)  # the notification stream is open
        page = session.sign_in("editor1")
        page.goto(f"{session.base}/content/manage/new/?section=news")
        page.wait_for_selector("#editor-area .ql-editor")
        page.fill("#id_title", title)
        page.click("#editor-area .ql-editor")
        page.keyboard.type("会议总结了本学期党建工作。")
        assert not page.locator("#id_send_notification").is_checked()
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("#publish-button")
        page.wait_for_url(re.compile(r"/content/manage/\d+/$"))
        # No message in the inbox, and yet the feed offers the new item.
        expect(reader.locator("#dj-new-content")).to_be_visible(timeout=15_000)
        assert reader.locator(".toast").count() == 0
        reader.locator("#dj-new-content a, #dj-new-content button").first.click()
        expect(reader.locator("body")).to_contain_text(title)
    finally:
        member.context.close()
