"""The contribution desk in headless Chromium: a member sends an article with pictures, and
the university's editor works through the desk, at phone and desktop widths."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image, ImageDraw

from tests.browser.conftest import Session

pytestmark = pytest.mark.browser


def _photo(path, color):
    image = Image.new("RGB", (1200, 800), (236, 240, 245))
    draw = ImageDraw.Draw(image)
    draw.polygon([(0, 800), (0, 520), (600, 380), (1200, 520), (1200, 800)], fill=color)
    draw.ellipse((880, 120, 1000, 240), fill=(255, 214, 102))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    path.write_bytes(out.getvalue())
    return str(path)


def _fits(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "the page overflows the screen"


def test_a_member_sends_a_contribution_and_the_editor_opens_the_desk(
    session: Session, browser, live_url, tmp_path
):
    from tests.browser.conftest import Session as Browsing

    author = Browsing(browser, live_url, session.env, session.size)
    title = f"信息学院教工党支部开展主题党日活动（{session.size}）"
    try:
        page = author.sign_in("member1")
        page.goto(f"{live_url}/contributions/new/")
        _fits(page)
        author.shot("contribution-form")
        page.fill("#id_title", title)
        page.select_option("#id_section", "news")
        page.fill(
            "#id_text",
            "5月20日，支部组织30名党员赴革命纪念馆开展主题党日活动。\n"
            "党员们重温入党誓词，聆听革命先辈的感人事迹。\n"
            "大家表示，要把学习成果转化为立足岗位、干事创业的实际行动。",
        )
        page.set_input_files(
            "#id_new_pictures",
            [
                _photo(tmp_path / "a.jpg", (200, 22, 29)),
                _photo(tmp_path / "b.jpg", (37, 99, 235)),
            ],
        )
        page.fill("#id_note", "照片由支部宣传委员拍摄。")
        page.click("main form .dj-form-actions button.btn-primary")
        page.wait_for_load_state("networkidle")
        assert re.search(r"/contributions/\d+/$", page.url), page.url
        assert page.locator(".dj-gallery img").count() == 2
        _fits(page)
        author.shot("contribution-sent")
        page.goto(f"{live_url}/contributions/")
        assert page.locator(".dj-cb-title", has_text=title).count() == 1
        _fits(page)
        author.shot("contribution-mine")
    finally:
        author.context.close()

    page = session.sign_in("editor1")
    page.goto(f"{session.base}/contributions/desk/")
    item = page.locator("a.dj-list-item", has_text=title)
    assert item.count() == 1
    _fits(page)
    session.shot("contribution-desk")
    item.click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".dj-gallery img").count() == 2
    assert page.locator("text=照片由支部宣传委员拍摄。").count() == 1
    _fits(page)
    session.shot("contribution-desk-detail")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("form[action$='/accept/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.click("a[href$='/publish/']")
    page.wait_for_selector(".dj-rich .ql-editor")
    assert "支部组织30名党员" in page.locator(".dj-rich .ql-editor").inner_text()
    _fits(page)
    session.shot("contribution-publish")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("main form .dj-form-actions button.btn-primary")
    page.wait_for_load_state("networkidle")
    assert re.search(r"/content/manage/\d+/$", page.url), page.url
