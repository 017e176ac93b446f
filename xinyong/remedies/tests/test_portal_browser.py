"""The portal page 办理进度查询 in a real browser (headless Chromium against the live server): type a query code,
press 查询, read the progress; a wrong code reads as such. See tests/browser.py for the browser."""

import pytest
from selenium.webdriver.common.by import By

from tests.browser import browser, submit_and_read  # noqa: F401 - the fixture
from tests.support.remedies import ACCEPTED_AT, REVIEWER, file
from xinyong.remedies import services


def _ask(browser, live_server, code: str) -> str:  # noqa: F811
    browser.get(f"{live_server.url}/progress/")
    assert browser.title == "办理进度查询 · 公共信用信息服务平台"
    field = browser.find_element(By.ID, "code")
    field.clear()
    field.send_keys(code)
    return submit_and_read(browser)


@pytest.mark.django_db(transaction=True)
def test_an_applicant_follows_an_objection_in_the_browser(browser, live_server, own, penalty):  # noqa: F811
    objection = file(own, penalty.pk)
    services.objection_accept(actor=REVIEWER, objection_id=objection.pk, now=ACCEPTED_AT)
    shown = _ask(browser, live_server, objection.query_code.lower().replace("-", " "))
    assert shown.splitlines()[0] == "异议：提供单位核实中"
    assert "核实期限 2026年10月20日 23:59" in shown
    assert "2026年10月09日 15:00 受理" in shown
    assert REVIEWER.label not in browser.page_source
    assert "查询码不正确，或没有对应的申请" == _ask(browser, live_server, "YY-0000-0000-0000-0000")
