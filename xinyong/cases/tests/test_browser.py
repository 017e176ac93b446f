"""典型案例 in a real browser (headless Chromium, tests/browser.py): the column, a filter, and a case's page,
each without serious or critical axe-core violations."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.browser import axe_violations, browser, submit_and_read  # noqa: F401 - the fixture
from tests.support.lists import DECIDER, bj
from xinyong.cases.models import CaseKind
from xinyong.cases.services import case_publish

from .conftest import draft


@pytest.mark.django_db(transaction=True)
def test_the_column_and_a_case_page(browser, live_server, company, black):  # noqa: F811
    case = draft(subject=company, list_entry_ids=[black.pk])
    case_publish(actor=DECIDER, case_id=case.pk, now=bj(2026, 3, 3, 9))
    honour = draft(
        kind=CaseKind.HONOUR, title="某物流企业诚信经营获评守信典型", summary="连续五年无失信记录。"
    )
    case_publish(actor=DECIDER, case_id=honour.pk, now=bj(2026, 3, 4, 9))

    browser.get(f"{live_server.url}/cases/")
    assert browser.title == "典型案例 · 公共信用信息服务平台"
    assert axe_violations(browser) == []
    Select(browser.find_element(By.ID, "kind")).select_by_visible_text("失信")
    rows = submit_and_read(browser, "rows", button="main form button[type=submit]")
    assert rows.splitlines()[0] == "北京华信科技有限公司虚假宣传被列入严重违法失信名单"
    assert "某物流企业" not in rows

    browser.get(f"{live_server.url}/cases/{case.pk}/")
    assert (
        browser.find_element(By.TAG_NAME, "h1").text == "北京华信科技有限公司虚假宣传被列入严重违法失信名单"
    )
    assert browser.find_element(By.ID, "links").text == f"{black.list_type.name}（北京华信科技有限公司）"
    assert axe_violations(browser) == []
