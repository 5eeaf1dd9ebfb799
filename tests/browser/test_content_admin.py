"""Running the propaganda platform in headless Chromium: an editor manages the columns (adds
one, is told beside the field when a name is taken, moves it up) and reads the reading
statistics, filtered by an organization, and exports them; a reader's feed offers its tags."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Session

pytestmark = pytest.mark.browser


def _fits(session: Session) -> None:
    width = session.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= (390 if session.size == "phone" else 1280), "the page overflows"


def test_an_editor_manages_the_columns(session: Session):
    page = session.sign_in("editor1")
    page.goto(f"{session.base}/content/columns/")
    news = page.locator("#section-news")
    before = news.locator(".dj-column").count()
    assert before > 0
    name = f"校友风采{session.size}"
    page.select_option("#id_section", "news")
    page.fill("#id_name", name)
    page.click("#column-add button[type=submit]")
    page.wait_for_url(re.compile(r"/content/columns/#section-news$"))
    expect(news.locator(".dj-column")).to_have_count(before + 1)
    added = news.locator(".dj-column").last
    expect(added).to_contain_text(name)
    added.locator("form[action$='/up/'] button").click()
    page.wait_for_load_state("networkidle")
    expect(news.locator(".dj-column").nth(before - 1)).to_contain_text(name)
    page.evaluate("() => window.scrollTo(0, 0)")
    _fits(session)
    session.shot("content-columns")

    # A taken name is refused beside the field, and nothing is added.
    page.select_option("#id_section", "news")
    page.fill("#id_name", name)
    page.click("#column-add button[type=submit]")
    expect(page.locator("#id_name_error")).to_be_visible()
    expect(news.locator(".dj-column")).to_have_count(before + 1)

    # A column that holds items asks where they go before it is deleted.
    first = news.locator(".dj-column").first
    first.locator("a[href$='/delete/']").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#id_move_to")).to_be_visible()
    _fits(session)
    session.shot("content-column-delete")


def test_an_editor_reads_the_reading_statistics(session: Session):
    page = session.sign_in("editor1")
    page.goto(f"{session.base}/content/statistics/?days=90")
    # Phones list the items one under another; desktops have the table.
    row = "li.dj-list-item" if session.size == "phone" else "tbody tr"
    rows = page.locator(f"#statistics-items {row}")
    assert rows.count() > 0
    expect(rows.first).to_be_visible()
    options = page.locator("#id_organization option")
    assert options.count() > 2
    page.select_option("#id_organization", index=2)
    page.click("#statistics-filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#statistics-totals .stat")).to_have_count(4)
    _fits(session)
    session.shot("content-statistics")
    if session.size == "phone":  # the table by item, below the phone's first screen
        page.locator("#statistics-items").scroll_into_view_if_needed()
        session.shot("content-statistics-items")
    if session.size == "phone":
        page.select_option("#id_sort", "readers")
        page.click("#statistics-filters button[type=submit]")
    else:
        page.click("#statistics-items th a.dj-sort:not(.active)")
    page.wait_for_load_state("networkidle")
    assert "sort=readers" in page.url
    with page.expect_download() as download:
        page.click("#statistics-export")
    assert download.value.suggested_filename.endswith(".xlsx")


def test_a_reader_filters_a_feed_by_its_tags(session: Session):
    page = session.sign_in("member1")
    page.goto(f"{session.base}/content/news/")
    tags = page.locator("#tag-cloud a.dj-tag")
    if not tags.count():
        pytest.skip("the demo's news carry no tags")
    tags.first.click()
    page.wait_for_load_state("networkidle")
    assert "?tag=" in page.url
    expect(page.locator("#tag-cloud a.dj-tag.active")).to_have_count(1)
    _fits(session)
    session.shot("content-feed-tags")
