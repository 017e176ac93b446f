"""The online services in a real browser (issue 15 "an anonymous tipoff with evidence"): an anonymous visitor
files a tipoff with an evidence file, reads the query code and follows it on /progress/; then the subject,
signed in, issues its credit report and grants a consent. axe-core finds no serious or critical violation on
any of the new pages (the forms, their answers, an error summary). Clock: Wed 2026-09-30 10:00 Beijing."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.browser import axe_violations, browser, submit_and_read  # noqa: F401 - the fixture
from tests.support.accounts import browser_sign_in
from tests.support.remedies import FILED_AT
from xinyong.accounts.models import User
from xinyong.disclosure.models import Consent
from xinyong.reports.models import Report
from xinyong.tipoffs.models import Tipoff

SUBMIT = "main form button[type=submit]"


def _accessible(driver) -> None:
    assert axe_violations(driver) == [], driver.current_url


@pytest.mark.django_db(transaction=True)
def test_an_anonymous_tipoff_with_evidence_then_a_report_and_a_consent(
    browser,  # noqa: F811
    live_server,
    clock,
    company,
    own,
    remedies_reference,
    tmp_path,
):
    clock.set(FILED_AT)
    evidence = tmp_path / "现场照片说明.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% evidence of the empty office\n")

    browser.get(f"{live_server.url}/tipoffs/new")
    assert browser.title == "失信行为举报 · 公共信用信息服务平台"
    _accessible(browser)
    submit_and_read(browser, "error-summary", button=SUBMIT)  # nothing filled in: the summary, in Chinese
    assert (
        "被举报主体：请填写被举报主体的名称或统一社会信用代码"
        in browser.find_element(By.ID, "error-summary").text
    )
    _accessible(browser)
    browser.find_element(By.ID, "id_subject").send_keys("北京华信科技有限公司")
    Select(browser.find_element(By.ID, "id_category")).select_by_value("JYYC")
    browser.find_element(By.ID, "id_description").send_keys(
        "该公司在其住所地已无法联系，仍以原地址对外签订合同。"
    )
    browser.find_element(By.ID, "id_anonymous").click()
    browser.find_element(By.ID, "id_evidence").send_keys(str(evidence))
    shown = submit_and_read(browser, button=SUBMIT)
    code = browser.find_element(By.ID, "query-code").text
    assert shown.startswith(f"查询码：{code}")
    assert "承办单位：市工商局；状态：已提交；受理期限：2026年10月13日 23:59；证明材料：1 个" in shown
    tipoff = Tipoff.objects.get(query_code=code)
    assert tipoff.anonymous and len(tipoff.evidence_ids) == 1
    _accessible(browser)

    browser.get(f"{live_server.url}/progress/")
    browser.find_element(By.ID, "code").send_keys(code)
    progress = submit_and_read(browser)
    assert progress.startswith("失信行为举报：已提交") and code in progress

    browser_sign_in(browser, live_server, User.objects.get(pk=own.user_id))
    browser.get(f"{live_server.url}/me/")
    browser.find_element(By.LINK_TEXT, "申请信用报告").click()
    assert browser.title == "申请信用报告 · 公共信用信息服务平台"
    _accessible(browser)
    browser.find_element(By.ID, "id_kind_1").click()
    browser.find_element(By.ID, "id_purpose").send_keys("招投标")
    shown = submit_and_read(browser, button=SUBMIT)
    report = Report.objects.get()
    assert shown.startswith(f"报告编号：{report.number}") and report.kind == "compliance"
    assert (
        browser.find_element(By.ID, "download")
        .get_attribute("href")
        .endswith(f"/me/reports/{report.number}.pdf")
    )
    _accessible(browser)

    browser.get(f"{live_server.url}/me/consents/")
    _accessible(browser)
    Select(browser.find_element(By.ID, "id_grantee")).select_by_value("bj-jinrongju")
    browser.find_element(By.ID, "id_purpose").send_keys("贷款审批")
    browser.execute_script("document.getElementById('id_valid_until').value = '2026-12-31';")
    listing = submit_and_read(browser, "consents", button="#grant-form button[type=submit]")
    assert "市金融局 贷款审批" in listing and Consent.objects.get().purpose == "贷款审批"
    _accessible(browser)
