"""Agents in a real browser (headless Chromium against the live server; issue 14 "an agent with an expired
power of attorney is refused"): the browser carries the session of a test client signed in as the agent
(tests/support/accounts.py; the sign-in page is tested on its own). An agent whose power has expired is
refused; an agent with a live power chooses the subject, files an objection on the subject's record, reads
the query code, and is refused what its power does not cover."""

import datetime as dt

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser import browser, submit_and_read  # noqa: F401 - the fixture
from tests.support.accounts import agency_make, agent_make, browser_sign_in
from tests.support.remedies import FILED_AT
from xinyong.remedies.models import Objection


@pytest.fixture
def at_filing(clock, company, remedies_reference):
    clock.set(FILED_AT)


def _refusal(driver) -> str:
    return driver.find_element(By.ID, "refusal").text


@pytest.mark.django_db(transaction=True)
def test_an_agent_with_an_expired_power_is_refused(browser, live_server, at_filing, company):  # noqa: F811
    agent = agent_make("laodaili", "赵过期")
    expired = agency_make(agent, company, valid_from=dt.date(2026, 3, 1), valid_to=dt.date(2026, 9, 15))
    browser_sign_in(browser, live_server, agent, acting=expired)  # chosen back when it was live
    browser.get(f"{live_server.url}/me/objections/new")
    assert browser.title == "无法办理 · 公共信用信息服务平台"
    message = "授权委托已于 2026年09月15日 到期，不能再代为办理；如需继续，请重新办理授权委托"
    assert _refusal(browser) == message
    assert not browser.find_elements(By.CSS_SELECTOR, "form[action='/me/objections/new']")
    browser.get(f"{live_server.url}/me/acting/")
    row = browser.find_element(By.ID, f"agency-{expired.pk}")
    assert "已过期" in row.text and not row.find_elements(By.TAG_NAME, "button")
    assert _refusal(browser) == message


@pytest.mark.django_db(transaction=True)
def test_an_agent_files_an_objection_within_its_power(browser, live_server, at_filing, company, penalty):  # noqa: F811
    agent = agent_make()
    live = agency_make(agent, company, valid_to=dt.date(2026, 10, 10))
    browser_sign_in(browser, live_server, agent)
    browser.get(f"{live_server.url}/me/acting/")
    browser.find_element(By.CSS_SELECTOR, f"#agency-{live.pk} button[type=submit]").click()
    WebDriverWait(browser, 15).until(lambda d: d.find_elements(By.ID, "acting"))  # /me/ after the choice
    acting = browser.find_element(By.ID, "acting").text
    assert "北京华信科技有限公司" in acting and "委托事项：异议申诉；委托截止：2026年10月10日" in acting
    browser.find_element(By.LINK_TEXT, "提出异议").click()
    WebDriverWait(browser, 15).until(lambda d: d.find_elements(By.ID, "id_record"))
    Select(browser.find_element(By.ID, "id_record")).select_by_value(str(penalty.pk))
    Select(browser.find_element(By.ID, "id_grounds")).select_by_value("error")
    browser.find_element(By.ID, "id_description").send_keys("罚款金额应为一万元，决定书送达稿与公示不一致")
    shown = submit_and_read(browser, button="main form button[type=submit]")
    code = browser.find_element(By.ID, "query-code").text
    assert shown.startswith(f"查询码：{code}")
    objection = Objection.objects.get(query_code=code)
    assert (objection.subject_id, objection.filed_by) == (company.pk, f"user:{agent.pk}")
    browser.get(f"{live_server.url}/me/query-log/")
    assert browser.title == "无法办理 · 公共信用信息服务平台"
    assert _refusal(browser) == "授权委托书的委托事项不包括“查询记录”，代理人不能代为办理"
