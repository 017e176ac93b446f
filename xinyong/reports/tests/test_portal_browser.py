"""The portal page /reports/verify in a real browser (headless Chromium against the live server): type the
report number and verification code, attach the PDF, press 核验; an altered file is told apart. See
tests/browser.py for the browser."""

import pytest
from selenium.webdriver.common.by import By

from tests.browser import browser, submit_and_read  # noqa: F401 - the fixture
from tests.support.reports import NOW, OFFICER
from xinyong.reports.services import report_issue


def _verify(browser, live_server, number: str, code: str, file_path: str) -> str:  # noqa: F811
    browser.get(f"{live_server.url}/reports/verify")
    assert browser.title == "信用报告核验 · 公共信用信息服务平台"
    browser.find_element(By.ID, "number").send_keys(number)
    browser.find_element(By.ID, "code").send_keys(code)
    browser.find_element(By.ID, "file").send_keys(file_path)
    return submit_and_read(browser)


@pytest.mark.django_db(transaction=True)
def test_a_report_and_an_altered_copy_checked_in_the_browser(browser, live_server, known, tmp_path):  # noqa: F811
    issued = report_issue(actor=OFFICER, subject=known.subject, kind="compliance", purpose="招投标", now=NOW)
    genuine, altered = tmp_path / "报告.pdf", tmp_path / "改过的报告.pdf"
    genuine.write_bytes(issued.pdf)
    altered.write_bytes(issued.pdf.replace(b"%%EOF", b"%%EOF\n% changed"))
    shown = _verify(browser, live_server, issued.report.number, issued.code, str(genuine))
    assert shown.splitlines()[0] == "报告真实有效，所核对的文件与平台留存的文件摘要一致，未被改动。"
    assert "文件核对 一致，文件未被改动" in shown
    shown = _verify(browser, live_server, issued.report.number, issued.code, str(altered))
    assert "文件核对 不一致，文件可能已被改动" in shown
