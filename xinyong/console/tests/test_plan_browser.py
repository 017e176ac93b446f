"""Plan oversight in a real browser (issue 16 "Done when": a unit submits a plan progress report and the
credit office accepts it; then the public 规划进度 page shows it). The unit's officer and the credit office's
reviewer each sign in with a session that passed the second factor; axe-core finds no serious or critical
violation and Chromium reports no CSP violation on any page on the way (the list, the form, its error
summary, the report, the review queue, the public page). Clock: Mon 2026-10-12 10:00 Beijing."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.test import Client
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser import axe_violations, browser, csp_violations, submit_and_read  # noqa: F401 - the fixture
from tests.support.otp import verified_login
from tests.support.oversight import ACTOR, CREDIT_OFFICE_UNIT, FINANCE, T0
from xinyong.accounts.models import Unit, User
from xinyong.accounts.reference import units_load
from xinyong.oversight.models import PlanProgressReport
from xinyong.oversight.services import plan_load
from xinyong.workdays.services import calendar_load_builtin

BEIJING = dt.timezone(dt.timedelta(hours=8))
OCT_12 = dt.datetime(2026, 10, 12, 10, 0, tzinfo=BEIJING)
NARRATIVE = "已建立政府采购政务诚信责任制，完成采购人履约验收监督 120 项。"


def _person(username: str, code: str, role: str) -> User:
    return User.objects.create_user(
        username=username, password="x-strong-password-1", full_name=username,
        unit=Unit.objects.get(code=code), roles=[role],
    )  # fmt: skip


def _sign_in(driver, live_server, user: User) -> None:
    """The browser gets the session of a test client that signed in and passed the second factor."""
    client = verified_login(Client(), user)
    driver.delete_all_cookies()
    driver.get(f"{live_server.url}/progress/")  # a page of the site, so that its cookie can be set
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    driver.add_cookie({"name": django_settings.SESSION_COOKIE_NAME, "value": cookie.value, "path": "/"})


def _open(driver, url: str, ready_id: str) -> None:
    driver.get(url)
    WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.ID, ready_id), message=url)


def _clean(driver) -> None:
    assert axe_violations(driver) == [], driver.current_url
    assert csp_violations(driver) == [], driver.current_url


@pytest.mark.django_db(transaction=True)
def test_a_unit_submits_a_report_the_credit_office_accepts_it_and_the_public_sees_it(
    browser,  # noqa: F811
    live_server,
    clock,
    settings,
    tmp_path,
):
    settings.XINYONG_UPLOAD_DIR = tmp_path / "uploads"
    units_load(actor=ACTOR, now=T0)
    plan_load(actor=ACTOR, now=T0)
    calendar_load_builtin(actor=ACTOR, now=T0, years=[2026])
    clock.set(OCT_12)
    officer = _person("caizheng", FINANCE, "data_officer")
    reviewer = _person("shenhe", CREDIT_OFFICE_UNIT, "reviewer")
    evidence = tmp_path / "采购责任制.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% plan progress evidence\n")

    _sign_in(browser, live_server, officer)
    _open(browser, f"{live_server.url}/console/plan/", "obligations")
    assert browser.title == "规划任务进度 · 控制台 · 公共信用信息服务平台"
    row = browser.find_element(By.ID, "row-3-2026Q3").text
    assert "2026年第三季度" in row and "2026-10-20 23:59" in row and "未填报" in row
    _clean(browser)
    browser.find_element(By.CSS_SELECTOR, "#row-3-2026Q3 a").click()
    WebDriverWait(browser, 15).until(lambda d: d.find_elements(By.ID, "id_narrative"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "填报进度：任务3（2026年第三季度）"
    _clean(browser)

    summary = submit_and_read(browser, "error-summary", button="main form button[value=submit]")
    assert "进度状态：请选择进度状态" in summary and "进展情况：请填写进展情况" in summary
    _clean(browser)
    browser.find_element(By.ID, "id_progress_2").click()  # 已完成
    browser.find_element(By.ID, "id_narrative").send_keys(NARRATIVE)
    browser.find_element(By.ID, "id_evidence").send_keys(str(evidence))
    state = submit_and_read(browser, "report-state", button="main form button[value=submit]")
    assert state == "已报送（待审核）"
    assert "进度报告已报送，等待市信用办审核" in browser.find_element(By.CSS_SELECTOR, ".messages").text
    assert browser.find_element(By.ID, "evidence").text.startswith("采购责任制.pdf")
    _clean(browser)
    report = PlanProgressReport.objects.get()

    _sign_in(browser, live_server, reviewer)
    _open(browser, f"{live_server.url}/console/plan/reviews/", "reports")
    _clean(browser)
    browser.find_element(By.CSS_SELECTOR, f"#reports a[href='/console/plan/reports/{report.pk}/']").click()
    WebDriverWait(browser, 15).until(lambda d: d.find_elements(By.ID, "narrative"))
    assert browser.find_element(By.ID, "narrative").text == NARRATIVE
    _clean(browser)
    assert submit_and_read(browser, "report-state", button="main form button[value=accept]") == "已采纳"
    _clean(browser)
    report.refresh_from_db()
    assert (report.state, report.reviewed_by) == ("accepted", f"user:{reviewer.pk}")

    browser.delete_all_cookies()
    _open(browser, f"{live_server.url}/plan/", f"progress-3-{FINANCE}")
    shown = browser.find_element(By.ID, f"progress-3-{FINANCE}").text
    assert shown == f"市财政局 · 2026Q3 · 已完成 · 2026-10-12 采纳\n{NARRATIVE}"
    _clean(browser)
