"""The signed-in walks of issue 15's "Done when", in headless Chromium against the live server:

* the firm (its subject account) files an objection on one of its penalties and a repair of another (the
  repair form shows every condition first), each answered with a query code; a fresh visitor, signed out,
  follows both codes on /progress/ and reads their states; an officer accepts the objection through the
  remedies services and the progress page shows the new state — at desktop width and at 375 px (no sideways
  scroll, every field and button inside the screen);
* the firm requests its full credit report, downloads the PDF (its bytes a PDF whose cover carries the number
  and verification code the page shows), and verifies it on /reports/verify with the file (genuine and
  unchanged), then with a tampered code (refused in Chinese).

Every page passes axe-core (no serious or critical violation) and the CSP (../walking.py). One Chromium serves
the module (tests/browser.py `shared_browser`). Clock: Mon 2026-11-02 10:00 Beijing (APPLIED_AT)."""

import base64
from dataclasses import dataclass

import pytest
from django.db import transaction
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.browser import module_browser, shared_browser  # noqa: F401 - the fixtures
from tests.support.accounts import browser_sign_in
from tests.support.lists import REVIEWER, bj, receive
from tests.support.records import cf_row
from tests.support.remedies import APPLIED_AT, certificate, repair_commitment
from tests.support.reports import pdf_text
from xinyong.accounts.models import User
from xinyong.records.models import Record
from xinyong.remedies import services
from xinyong.remedies.models import Objection, RepairApplication
from xinyong.reports.models import Report

from ..walking import checked, follow, heading, loaded, reachable

pytestmark = pytest.mark.django_db(transaction=True)
FIRM = "北京华信科技有限公司"
SUBMIT = "main form button[type=submit]"
SECOND = "京工商罚字〔2026〕第5号"
CONDITIONS = [  # (condition, result) as the repair form lists them before applying
    ("已满最短公示期", "符合"),
    ("已履行法定义务", "符合"),
    ("已作出信用修复承诺", "符合"),
    ("已完成信用修复培训", "符合"),
    ("无同类严重失信行为再次发生", "符合"),
]


@dataclass
class Firm:
    user: User
    penalty: Record  # the serious penalty of 2025-09-20, basis of the black-list entry: repaired
    second: Record  # a general penalty of 2026-06-01: objected to
    certificate_no: str


@pytest.fixture
def firm(own, entry, company, penalty, clock) -> Firm:
    receive([cf_row(CF_WSH=SECOND, CF_JDRQ="2026-06-01")], key="second", now=bj(2026, 6, 3, 10))
    repair_commitment(company, own, target_kind="record", target_id=penalty.pk)
    number = certificate(company)
    clock.set(APPLIED_AT)
    user = User.objects.get(pk=own.user_id)
    return Firm(user, penalty, Record.objects.get(doc_no=SECOND, is_current=True), number)


def _fill(driver, field_id: str, value: str, width: int | None) -> None:
    element = driver.find_element(By.ID, field_id)
    reachable(driver, element, width)
    element.clear()
    element.send_keys(value)


def _objection(driver, base: str, firm: Firm, width: int | None) -> str:
    driver.get(f"{base}/me/")
    loaded(driver, "main")
    checked(driver, width)
    follow(driver, 'main a[href="/me/objections/new"]', "id_record", width)
    assert heading(driver) == "提出异议"
    checked(driver, width)
    Select(driver.find_element(By.ID, "id_record")).select_by_value(str(firm.second.pk))
    Select(driver.find_element(By.ID, "id_grounds")).select_by_value("error")
    _fill(driver, "id_description", "罚款金额应为一万元，决定书送达稿与公示不一致", width)
    assert driver.find_element(By.ID, "id_applicant_name").get_attribute("value") == FIRM
    follow(driver, SUBMIT, "query-code", width)
    assert heading(driver) == "异议已提交"
    code = driver.find_element(By.ID, "query-code").text
    assert driver.find_element(By.ID, "result").text.startswith(f"查询码：{code}\n状态：已提交；受理期限：")
    assert Objection.objects.get(query_code=code).record_id == firm.second.pk
    checked(driver, width)
    return code


def _repair(driver, base: str, firm: Firm, evidence, width: int | None) -> str:
    driver.get(f"{base}/me/repairs/new")
    loaded(driver, "id_record")
    assert heading(driver) == "申请信用修复"
    checked(driver, width)
    Select(driver.find_element(By.ID, "id_record")).select_by_value(str(firm.penalty.pk))
    _fill(driver, "id_certificate_no", firm.certificate_no, width)
    driver.find_element(By.ID, "id_evidence").send_keys(str(evidence))
    _fill(driver, "id_statement", "已缴清罚款并整改完毕，参加了信用修复培训", width)
    follow(driver, 'main form button[value="preview"]', "conditions", width)
    rows = driver.find_elements(By.CSS_SELECTOR, "#conditions tbody tr")
    shown = [tuple(td.text for td in row.find_elements(By.TAG_NAME, "td"))[:2] for row in rows]
    assert shown == CONDITIONS
    assert RepairApplication.objects.count() == 0  # reading the conditions writes nothing
    checked(driver, width)
    driver.find_element(By.ID, "id_evidence").send_keys(str(evidence))  # chosen again, as the page asks
    follow(driver, 'main form button[value="apply"]', "query-code", width)
    assert heading(driver) == "信用修复申请已提交"
    code = driver.find_element(By.ID, "query-code").text
    assert driver.find_element(By.ID, "result").text.startswith(f"查询码：{code}\n状态：已受理；答复期限：")
    assert RepairApplication.objects.get(query_code=code).record_id == firm.penalty.pk
    checked(driver, width)
    return code


def _progress(driver, base: str, code: str, width: int | None) -> str:
    """/progress/ as a visitor types the code; the first line of the answer (kind：state)."""
    driver.get(f"{base}/progress/")
    loaded(driver, "code")
    _fill(driver, "code", code, width)
    follow(driver, "main form button[type=submit]", "result", width)
    answer = driver.find_element(By.ID, "result").text
    assert f"查询码 {code}" in answer
    checked(driver, width)
    return answer.splitlines()[0]


def _objection_and_repair_walk(driver, server, firm: Firm, evidence, width: int | None) -> None:
    base = server.url
    browser_sign_in(driver, server, firm.user)
    objection_code = _objection(driver, base, firm, width)
    repair_code = _repair(driver, base, firm, evidence, width)

    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})  # a fresh visitor, signed out
    driver.get(f"{base}/me/")
    assert "/accounts/login/" in driver.current_url  # signed out: the sign-in page
    checked(driver, width)
    assert _progress(driver, base, objection_code, width) == "异议：已提交"
    assert _progress(driver, base, repair_code, width) == "信用修复申请：已受理"

    objection = Objection.objects.get(query_code=objection_code)
    with transaction.atomic():  # the services write in their caller's transaction (the API's request)
        services.objection_accept(actor=REVIEWER, objection_id=objection.pk, now=bj(2026, 11, 3, 9))
    assert _progress(driver, base, objection_code, width) == "异议：提供单位核实中"
    assert "受理" in driver.find_element(By.ID, "steps").text
    assert _progress(driver, base, repair_code, width) == "信用修复申请：已受理"


def test_a_firm_files_an_objection_and_a_repair_and_follows_both(shared_browser, live_server, firm, tmp_path):  # noqa: F811
    evidence = tmp_path / "缴款凭证.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% evidence of the fine paid\n")
    _objection_and_repair_walk(shared_browser, live_server, firm, evidence, None)


def test_the_same_walk_at_375_px(shared_browser, live_server, firm, tmp_path):  # noqa: F811
    evidence = tmp_path / "缴款凭证.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% evidence of the fine paid\n")
    shared_browser.set_window_size(375, 800)
    assert shared_browser.execute_script("return window.innerWidth;") <= 375
    _objection_and_repair_walk(shared_browser, live_server, firm, evidence, 375)


_FETCH = """
const done = arguments[arguments.length - 1];
fetch(arguments[0], {credentials: 'same-origin'})
  .then(r => r.arrayBuffer().then(b => {
      let s = ''; const bytes = new Uint8Array(b);
      for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
      done({status: r.status, type: r.headers.get('content-type'),
            disposition: r.headers.get('content-disposition'), body: btoa(s)});
  }))
  .catch(e => done({error: String(e)}));
"""


def test_a_report_is_downloaded_and_verified(shared_browser, live_server, firm, tmp_path):  # noqa: F811
    driver, base = shared_browser, live_server.url
    browser_sign_in(driver, live_server, firm.user)
    driver.get(f"{base}/me/")
    loaded(driver, "main")
    follow(driver, 'main a[href="/me/reports/new"]', "id_purpose")
    assert heading(driver) == "申请信用报告"
    checked(driver)
    assert driver.find_element(By.ID, "id_kind_0").is_selected()  # 全量 is offered first
    _fill(driver, "id_purpose", "招投标", None)
    follow(driver, SUBMIT, "report-code")
    report = Report.objects.get()
    number, code = (
        driver.find_element(By.ID, "report-number").text,
        driver.find_element(By.ID, "report-code").text,
    )
    assert (number, report.kind) == (report.number, "full")
    checked(driver)

    href = driver.find_element(By.ID, "download").get_attribute("href")
    driver.set_script_timeout(30)
    got = driver.execute_async_script(_FETCH, href)
    assert (got.get("status"), got.get("type")) == (200, "application/pdf"), got.get("error")
    assert got["disposition"] == f'attachment; filename="{number}.pdf"'
    pdf = base64.b64decode(got["body"])
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    cover = pdf_text(pdf)
    assert number in cover and code in cover and FIRM in cover
    saved = tmp_path / f"{number}.pdf"
    saved.write_bytes(pdf)

    follow(driver, 'main a[href^="/reports/verify"]', "number")
    assert heading(driver) == "信用报告核验"
    assert driver.find_element(By.ID, "number").get_attribute("value") == number  # from the link
    driver.find_element(By.ID, "file").send_keys(str(saved))
    follow(driver, "main form button[type=submit]", "result")
    result = driver.find_element(By.ID, "result").text
    assert result.splitlines()[0] == "报告真实有效，所核对的文件与平台留存的文件摘要一致，未被改动。"
    for fact in (
        f"报告编号 {number}",
        f"信用主体 {FIRM}",
        f"页数 {report.pages}",
        "文件核对 一致，文件未被改动",
    ):
        assert fact in result, (fact, result)
    checked(driver)

    tampered = code[:-1] + ("A" if code[-1] != "A" else "B")
    driver.get(f"{base}/reports/verify")
    loaded(driver, "number")
    _fill(driver, "number", number, None)
    _fill(driver, "code", tampered, None)
    follow(driver, "main form button[type=submit]", "result")
    assert (
        driver.find_element(By.ID, "result").text
        == "核验未通过：报告编号或验证码不正确，未找到对应的信用报告"
    )
    assert not driver.find_elements(By.CSS_SELECTOR, "#result table")
    checked(driver)
