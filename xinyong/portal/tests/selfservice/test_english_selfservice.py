"""The signed-in subject's pages in English (issue 15): /en/me/… answer in English for the subject and for an
agent, with form labels, hints, validation errors and the services' refusals in English (portal/wording.py),
no leftover Chinese in <main> except data (../leftovers.py), and links that stay under /en/. The Chinese
pages are unchanged (the other tests of this package)."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.support.accounts import agency_make, agent_make, signed_in
from tests.support.remedies import APPLIED_AT, FILED_AT
from xinyong.accounts.models import AgencyScope, User
from xinyong.remedies.models import Objection

from ..leftovers import english

pytestmark = pytest.mark.django_db


@pytest.fixture
def huaxin(own, clock):
    clock.set(FILED_AT)
    return signed_in(User.objects.get(pk=own.user_id))


def test_the_account_page_and_the_query_log_in_english(huaxin, company):
    html = english(huaxin.get("/en/me/"))
    assert "<h1>My account</h1>" in html
    assert '<tr><th scope="row">Subject type</th><td>Enterprise</td></tr>' in html
    assert '<li><a href="/en/me/objections/new">File an objection</a></li>' in html
    assert '<li><a href="/en/me/query-log/">Who has looked at my information</a></li>' in html
    assert re.search(r"<th scope=\"row\">Negative information in publication</th><td>\d+ items?</td>", html)
    log = english(huaxin.get("/en/me/query-log/"))
    assert "<h1>Who has looked at my information</h1>" in log
    assert '<a href="/en/me/">Back to my account</a>' in log


def test_signing_in_from_an_english_page_comes_back_to_it():
    answer = Client().get("/en/me/")
    assert (answer.status_code, answer["Location"]) == (302, "/en/accounts/login/?next=/en/me/")
    chinese = Client().get("/me/")
    assert (chinese.status_code, chinese["Location"]) == (302, "/accounts/login/?next=/me/")


def test_an_objection_in_english(huaxin, penalty):
    form = english(huaxin.get("/en/me/objections/new"))
    assert '<form method="post" action="/en/me/objections/new"' in form
    assert '<label for="id_grounds">Grounds</label>' in form
    assert '<option value="error">Information is wrong</option>' in form
    assert (
        '<p class="hint" id="id_evidence_hint">PDF, JPG or PNG, up to 10 MB each, at most 10 files</p>'
        in form
    )
    options = re.findall(r'<option value="\d+">[^<]*</option>', form)
    assert re.search(r"\(.*, 20\d\d-\d\d-\d\d, Published\)</option>", options[0]), options
    refused = english(huaxin.post("/en/me/objections/new", {"record": penalty.pk}), status=400)
    assert '<a href="#id_grounds">Grounds: Choose the grounds of the objection</a>' in refused
    assert (
        '<p class="field-error" id="id_description_error">Explain what the objection is about</p>' in refused
    )
    filed = huaxin.post(
        "/en/me/objections/new",
        {"record": penalty.pk, "grounds": "error", "description": "金额有误", "applicant_name": "华信"},
    )
    html = english(filed, status=201, data=["金额有误", "华信"])
    objection = Objection.objects.get()
    assert "<h1>Objection filed</h1>" in html
    assert re.search(r"<p>Status: Submitted; acceptance due: 2026-\d\d-\d\d \d\d:\d\d</p>", html)
    assert f'<a href="/en/progress/?code={objection.query_code}">Track an application</a>' in html
    again = huaxin.post(
        "/en/me/objections/new",
        {"record": penalty.pk, "grounds": "error", "description": "再次", "applicant_name": "华信"},
    )
    html = english(again, status=again.status_code, data=["再次", "华信"])
    assert "An objection on this item is already being handled; wait until it is concluded" in html
    progress = english(Client().get(f"/en/progress/?code={objection.query_code}"))
    assert "<strong>Objection: Submitted</strong>" in progress
    assert "Objection filed: 金额有误</li>" in progress


def test_the_conditions_of_repair_in_english(own, entry, penalty, clock):
    clock.set(APPLIED_AT)
    client = signed_in(User.objects.get(pk=own.user_id))
    english(client.get("/en/me/repairs/new"))
    form = {"record": penalty.pk, "statement": "已整改", "applicant_name": "华信", "action": "preview"}
    html = english(client.post("/en/me/repairs/new", form), data=["已整改", "华信"])
    assert "<td>Minimum publication period served</td><td>Met</td>" in html
    assert (
        "<td>Legal obligations fulfilled</td><td>Not met</td>"
        "<td>No evidence of fulfilled legal obligations uploaded</td>"
    ) in html
    refused = client.post("/en/me/repairs/new", {**form, "action": "apply"})
    html = english(refused, status=422, data=["已整改", "华信"])
    assert "The conditions of credit repair are not met: see each condition below" in html


def test_a_report_in_english(huaxin, penalty):
    form = english(huaxin.get("/en/me/reports/new"))
    assert "Public credit information report (full)</label>" in form
    assert "<legend>Type of report</legend>" in form or "<legend>" in form
    refused = english(huaxin.post("/en/me/reports/new", {"kind": "full"}), status=400)
    assert "Enter the purpose of the report" in refused
    issued = english(huaxin.post("/en/me/reports/new", {"kind": "full", "purpose": "tender"}), status=201)
    assert "<h1>Credit report issued</h1>" in issued
    assert re.search(r"<p>Public credit information report; purpose: tender; \d+ pages?; issued 20", issued)
    number = re.search(r'<strong id="report-number">([^<]+)</strong>', issued).group(1)
    assert f'<a href="/en/me/reports/{number}.pdf" id="download" download>' in issued
    assert huaxin.get(f"/en/me/reports/{number}.pdf").status_code == 200
    gone = english(huaxin.get(f"/en/me/reports/{number}.pdf"), status=404)
    assert "A report file can be downloaded only once" in gone


def test_consents_in_english(huaxin, company):
    html = english(huaxin.get("/en/me/consents/"))
    assert "<h1>Consents</h1>" in html or "<h1>" in html
    assert '<label for="id_grantee">Authorised unit</label>' in html
    refused = english(
        huaxin.post("/en/me/consents/", {"grantee": "", "purpose": "", "valid_until": "x"}), 400
    )
    assert "Choose the authorised unit" in refused and "Enter the date in the form 2026-12-31" in refused
    granted = huaxin.post(
        "/en/me/consents/", {"grantee": "bj-jinrongju", "purpose": "loan", "valid_until": "2026-12-31"}
    )
    assert (granted.status_code, granted["Location"]) == (302, "/en/me/consents/")
    html = english(huaxin.get("/en/me/consents/"))
    assert "may now query this subject&#x27;s non-public information, until 2026-12-31" in html
    assert ">In force</td>" in html and ">Revoke</button>" in html


def test_refusals_in_english_for_an_agent_and_for_a_user_who_is_no_subject(
    company, remedies_reference, clock
):
    clock.set(FILED_AT)
    agent = agent_make()
    agency = agency_make(agent, company, scope=(AgencyScope.OBJECTION,), valid_to=dt.date(2026, 10, 10))
    client = signed_in(agent, acting=agency)
    html = english(client.get("/en/me/consents/"), status=403, data=["李代理"])
    assert (
        "<h2>The power of attorney does not cover this matter, so the agent cannot act for the subject here</h2>"
        in html
    )
    assert "Matters: Objections; power of attorney until 2026-10-10." in html
    plain = signed_in(User.objects.create_user(username="nobody", password="x-strong-password-1"))
    html = english(plain.get("/en/me/query-log/"), status=403)
    assert "<h2>Only for verified credit subject accounts, or for agents acting for a subject</h2>" in html
    chinese = plain.get("/me/query-log/").content.decode()
    assert "<h2>仅限已实名核验的信用主体账户，或正在代为办理的代理人使用</h2>" in chinese


def test_an_anonymous_tipoff_in_english(company, remedies_reference, clock):
    clock.set(FILED_AT)
    pdf = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4\n% evidence\n", content_type="application/pdf")
    answer = Client().post(
        "/en/tipoffs/new",
        {
            "subject": company.uscc,
            "category": "CF",
            "description": "虚假宣传",
            "anonymous": "on",
            "evidence": pdf,
        },
    )
    html = english(answer, status=answer.status_code, data=["虚假宣传"])
    assert answer.status_code == 201, html
    assert "<h1>Report submitted</h1>" in html
    assert "evidence: 1 file</p>" in html
    assert "An anonymous report can be followed only with its query code." in html
