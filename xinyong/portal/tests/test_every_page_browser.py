"""Issue 15: "axe-core reports no serious or critical violations on every portal page". Every named page of
the portal's URL configuration is opened in headless Chromium, in Chinese and under /en/, public pages as a
visitor and the /me/ pages signed in as the firm; axe-core runs on each; so are the subject-facing account
pages, which have their English version too (sign-in, registration, /me/acting/: accounts/urls.py). A page
added to `portal/urls.py` without an entry here fails `test_every_portal_route_is_listed`, so none escapes the
check."""

import pytest
from django.urls import get_resolver

from tests.browser import axe_violations, browser  # noqa: F401 - the fixture
from tests.support.accounts import browser_sign_in
from tests.support.lists import DECIDER, bj
from xinyong.accounts.models import SubjectAccount
from xinyong.cases.services import case_publish
from xinyong.cases.tests.conftest import draft
from xinyong.portal.tests.walking import checked

PUBLIC = {
    "home": lambda w: "/",
    "search": lambda w: "/search/?q=华信",
    "subject": lambda w: f"/subjects/{w.subject.uscc}/",
    "record": lambda w: f"/records/{w.serious.pk}/",
    "licences": lambda w: "/publicity/licences/",
    "penalties": lambda w: "/publicity/penalties/",
    "lists": lambda w: "/lists/",
    "list_type": lambda w: f"/lists/{w.black.list_type.code}/",
    "commitments": lambda w: "/commitments/",
    "cases": lambda w: "/cases/",
    "case": lambda w: f"/cases/{w.case_id}/",
    "policies": lambda w: "/policies/",
    "plan": lambda w: "/plan/",
    "progress": lambda w: "/progress/",
    "verify": lambda w: "/reports/verify",
    "tipoff_new": lambda w: "/tipoffs/new",
}
SIGNED_IN = {
    "me": "/me/",
    "me_query_log": "/me/query-log/",
    "me_objection_new": "/me/objections/new",
    "me_repair_new": "/me/repairs/new",
    "me_report_new": "/me/reports/new",
    "me_consents": "/me/consents/",
}
ACCOUNT_PUBLIC = [
    "/accounts/login/",
    "/accounts/register/",
    "/accounts/register/enterprise/",
    "/accounts/register/agent/",
]
ACCOUNT_SIGNED_IN = ["/me/acting/"]
NOT_PAGES = {
    "me_report_download": "a PDF download (test_walks_browser.py opens it)",
    "me_consent_revoke": "a POST that redirects to /me/consents/",
}


def _portal_routes() -> set[str]:
    portal = get_resolver().namespace_dict["portal"][1]
    return {p.name for p in portal.url_patterns if getattr(p, "name", None)}


def test_every_portal_route_is_listed():
    assert _portal_routes() == set(PUBLIC) | set(SIGNED_IN) | set(NOT_PAGES)


def _checked(driver, url: str) -> None:
    driver.get(url)
    assert driver.find_elements("css selector", "main"), url
    assert axe_violations(driver) == [], url


@pytest.mark.django_db(transaction=True)
def test_axe_finds_no_serious_violation_on_any_portal_page(browser, live_server, world):  # noqa: F811
    case = draft(subject=world.subject, list_entry_ids=[world.black.pk])
    case_publish(actor=DECIDER, case_id=case.pk, now=bj(2026, 3, 3, 9))
    world.case_id = case.pk
    for prefix in ("", "/en"):
        for path in PUBLIC.values():
            _checked(browser, f"{live_server.url}{prefix}{path(world)}")
        for account_path in ACCOUNT_PUBLIC:
            _checked(browser, f"{live_server.url}{prefix}{account_path}")
    firm = SubjectAccount.objects.get(subject=world.subject).user  # the world's firm signed its commitment
    browser_sign_in(browser, live_server, firm)
    for prefix in ("", "/en"):
        for path in [*SIGNED_IN.values(), *ACCOUNT_SIGNED_IN]:
            _checked(browser, f"{live_server.url}{prefix}{path}")


@pytest.mark.django_db(transaction=True)
def test_the_account_pages_fit_a_375_px_screen_in_both_languages(browser, live_server, world):  # noqa: F811
    """Sign-in, registration and /me/acting/ (issue 15): no sideways scroll at 375 px, axe and the CSP clean."""
    browser.set_window_size(375, 800)
    assert browser.execute_script("return window.innerWidth;") <= 375
    for prefix in ("", "/en"):
        for path in ACCOUNT_PUBLIC:
            browser.get(f"{live_server.url}{prefix}{path}")
            checked(browser, 375)
    browser_sign_in(browser, live_server, SubjectAccount.objects.get(subject=world.subject).user)
    browser.set_window_size(375, 800)
    for prefix in ("", "/en"):
        for path in ACCOUNT_SIGNED_IN:
            browser.get(f"{live_server.url}{prefix}{path}")
            assert browser.current_url == f"{live_server.url}{prefix}{path}"  # signed in: not sent to sign in
            checked(browser, 375)
