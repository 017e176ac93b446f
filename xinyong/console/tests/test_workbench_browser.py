"""Issue 16's done-when for the workbench, in a real browser (headless Chromium against the live server): a
reviewer signs in (a session that passed the second factor), sees a list proposal and an objection due, acts
on both from the workbench, and the items leave the queue; every page passes axe (no serious or critical
violation) and reports no Content-Security-Policy violation. See tests/browser.py for the browser."""

import pytest
from django.conf import settings
from django.test import Client
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser import axe_violations, browser, csp_violations, submit_and_read  # noqa: F401 - the fixture
from tests.support.otp import verified_login
from xinyong.lists.models import ListEntry
from xinyong.remedies.models import Objection

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_verified(driver, live_server, user) -> None:
    """Give the browser the session of a test client signed in with the second factor verified."""
    client = verified_login(Client(), user)
    driver.get(f"{live_server.url}/progress/")  # a page of the site, so that its cookie can be set
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    driver.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "path": "/"})


def rows(driver) -> list[str]:
    return [row.get_attribute("data-ref") for row in driver.find_elements(By.CSS_SELECTOR, "#items tbody tr")]


def checked(driver) -> None:
    assert axe_violations(driver) == [], driver.current_url
    assert csp_violations(driver) == [], driver.current_url


def act(driver, href: str, choice: str, reason: str = "") -> str:
    """Follow the workbench's action link, choose `choice`, write the reason, submit; the workbench's summary."""
    driver.find_element(By.CSS_SELECTOR, f'#items a[href="{href}"]').click()
    WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "main form textarea"))
    checked(driver)
    driver.find_element(By.CSS_SELECTOR, f"input[name=decision][value={choice}]").click()
    if reason:
        driver.find_element(By.NAME, "reason").send_keys(reason)
    return submit_and_read(driver, "summary", button="main form button[type=submit]")


def test_a_reviewer_acts_on_a_proposal_and_an_objection_from_the_workbench(browser, live_server, world):  # noqa: F811
    sign_in_verified(browser, live_server, world.reviewer)
    browser.get(f"{live_server.url}/console/")
    WebDriverWait(browser, 15).until(lambda d: d.find_elements(By.ID, "items"))
    entry_ref, objection_ref = f"名单条目 {world.entry.pk}", f"异议 {world.objection.pk}"
    assert rows(browser) == [objection_ref, entry_ref, "提醒 1"]
    near = browser.find_element(By.CSS_SELECTOR, f'tr[data-ref="{objection_ref}"]').text
    assert "即将到期 剩 1 个工作日" in near
    checked(browser)

    act(browser, f"/console/lists/{world.entry.pk}/review/", "approve")
    assert f"{entry_ref} 已审核通过，告知书已发出" in browser.find_element(By.CSS_SELECTOR, ".messages").text
    assert rows(browser) == [objection_ref, "提醒 1"]
    checked(browser)

    act(browser, f"/console/objections/{world.objection.pk}/accept/", "accept", "材料齐全，予以受理")
    assert (
        f"{objection_ref} 已受理，已转提供单位核实" in browser.find_element(By.CSS_SELECTOR, ".messages").text
    )
    assert rows(browser) == ["提醒 1"]
    checked(browser)

    assert ListEntry.objects.get(pk=world.entry.pk).state == "notice_sent"
    assert Objection.objects.get(pk=world.objection.pk).state == "with_provider"
