"""End-to-end flows in headless Chromium, at phone and desktop widths."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.browser.conftest import Session

pytestmark = pytest.mark.browser


def test_a_secretary_filters_the_roster_and_reveals_a_record(session: Session):
    page = session.sign_in("secretary1")
    assert page.locator("text=工作台").first.is_visible()
    session.shot("home")
    page.goto(f"{session.base}/members/")
    rows = page.locator("table.dj-roster tbody tr")
    assert rows.count() > 0
    assert rows.first.is_visible()
    page.select_option("#id_gender", "F")
    page.wait_for_function("() => location.search.includes('gender=F')")
    page.wait_for_load_state("networkidle")
    genders = page.locator("tbody tr td:nth-child(2)").all_inner_texts()
    if session.size == "desktop":
        assert genders and set(genders) == {"女"}
    session.shot("roster")
    first = page.locator("table.dj-roster tbody a.dj-r-link").first
    first.click()
    page.wait_for_load_state("networkidle")
    masked = page.locator("#sensitive .dj-masked").first.inner_text()
    assert "*" in masked
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=显示完整信息")
    page.wait_for_selector("text=已记入审计日志")
    assert "*" not in page.locator("#sensitive .dj-masked").first.inner_text()
    session.shot("member-detail")


def test_the_organization_department_signs_in_with_a_second_factor(session: Session):
    page = session.sign_in("orgdept")
    assert page.url.rstrip("/") == session.base
    assert page.locator("text=学校党委").first.is_visible()
    page.wait_for_selector(".dj-chart svg")
    session.shot("orgdept-home")
    page.goto(f"{session.base}/orgs/C01/")
    assert page.locator("text=下级党组织").first.is_visible()
    session.shot("org-detail")


def test_a_member_sees_their_branch_but_not_the_roster(session: Session):
    page = session.sign_in("member1")
    assert page.locator("text=我的党支部").is_visible()
    session.shot("member-home")
    response = page.goto(f"{session.base}/members/")
    assert response is not None and response.status == 404
    assert page.locator("text=权限范围").count() > 0


def test_a_bad_roster_file_is_refused_with_a_report(session: Session, tmp_path):
    page = session.sign_in("secretary1")
    page.goto(f"{session.base}/members/import/")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["姓名", "公民身份号码", "民族", "学历", "人员类别", "入党日期", "党员类型", "转正日期"]
    )
    sheet.append(
        [
            "错误号码",
            "110101199001011235",
            "汉族",
            "大学本科",
            "教师",
            "2015-07-01",
            "正式党员",
            "2016-07-01",
        ]
    )
    path = tmp_path / "roster.xlsx"
    book.save(path)
    page.set_input_files("#id_file", str(path))
    page.click("text=校验文件")
    page.wait_for_selector("#report-link")
    assert page.locator("text=校验位").count() > 0
    session.shot("import-refused")
    with page.expect_download() as download:
        page.click("#report-link")
    report = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    assert report.cell(row=1, column=1).value == "行号"


def test_the_phone_layout_has_a_tab_bar_and_no_sidebar(session: Session):
    page = session.sign_in("secretary1")
    tabbar, sidebar = page.locator(".dj-tabbar"), page.locator(".dj-sidebar")
    if session.size == "phone":
        assert tabbar.is_visible() and not sidebar.is_visible()
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, "the page overflows the phone screen"
    else:
        assert sidebar.is_visible() and not tabbar.is_visible()


def test_a_held_text_is_reviewed_and_its_author_told(session: Session, browser, live_url):
    from tests.browser.conftest import Session as Browsing

    author = Browsing(browser, live_url, session.env, session.size)
    try:
        page = author.sign_in("member1")
        page.goto(f"{live_url}/members/me/statement/")
        text = f"暑期刷单返利，日赚千元（{session.size}）"
        page.fill("#id_statement", text)
        page.click("main form button.btn-primary[type=submit]")
        page.wait_for_load_state("networkidle")
        assert page.locator("text=审核通过后展示").count() > 0
    finally:
        author.context.close()

    page = session.sign_in("editor1")
    page.goto(f"{session.base}/moderation/")
    item = page.locator("a.dj-list-item", has_text=f"（{session.size}）")
    assert item.locator("mark.dj-hit").first.inner_text() == "刷单返利"
    session.shot("moderation-queue")
    item.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#screening-text mark.dj-hit").count() >= 1
    session.shot("moderation-held")
    page.fill("#id_reject-reason", "含广告引流信息，不予发布。")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("form[action$='/reject/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("text=已驳回").count() > 0

    page.goto(f"{session.base}/moderation/monitoring/")
    page.wait_for_selector(".dj-day-chart svg")
    assert page.locator("text=诈骗与广告").count() > 0
    session.shot("moderation-monitoring")
    page.goto(f"{session.base}/moderation/dictionary/")
    page.fill("textarea[name=text]", "他说了句卧槽")
    page.click("form[action$='/try/'] button[type=submit]")
    page.wait_for_selector("#try-result .badge")
    assert "打码发布" in page.locator("#try-result").inner_text()
    session.shot("moderation-dictionary")

    told = Browsing(browser, live_url, session.env, session.size)
    try:
        inbox = told.sign_in("member1")
        inbox.goto(f"{live_url}/notifications/")
        assert inbox.locator("text=未通过审核").count() > 0
        assert inbox.locator("text=含广告引流信息").count() > 0
    finally:
        told.context.close()


def test_a_new_message_appears_without_a_reload(session: Session):
    from tests.browser.conftest import notify_user

    page = session.sign_in("member1")
    page.wait_for_timeout(1500)  # the stream is open
    title = f"请按时参加主题党日（{session.size}）"
    notify_user(session.env, "member1", title)
    page.wait_for_selector(f"#dj-toasts >> text={title}", timeout=10_000)
    assert page.locator("#dj-bell .dj-bell-count").inner_text().strip() != ""
    session.shot("live-message")
