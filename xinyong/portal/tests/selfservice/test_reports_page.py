"""/me/reports/new (信用报告, issue 15): the subject issues its own report, full or 专项, through the reports
service the API calls; the answer shows the number and verification code, the PDF downloads once as an
attachment, and the report verifies on /reports/verify. Refusals in Chinese; an agent needs the `report`
scope. Clock: Wed 2026-09-30 10:00 Beijing."""

import datetime as dt
import hashlib
import re

import pytest

from tests.support.accounts import agency_make, agent_make, signed_in
from tests.support.remedies import FILED_AT
from xinyong.accounts.models import AgencyScope, User
from xinyong.audit.models import AuditEvent
from xinyong.reports.models import Report

URL = "/me/reports/new"


def text(answer) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.content.decode()))


@pytest.fixture
def huaxin(own, clock, penalty):
    clock.set(FILED_AT)
    return signed_in(User.objects.get(pk=own.user_id))


def test_the_form_offers_the_kinds_of_the_service(huaxin):
    answer = huaxin.get(URL)
    assert answer.status_code == 200
    shown = text(answer)
    assert "公共信用信息报告（全量版）" in shown
    assert "专项信用报告（行政处罚、行政强制、严重失信名单及刑事犯罪记录情况）" in shown
    assert 'value="full" id="id_kind_0" checked' in answer.content.decode().replace("required ", "")


@pytest.mark.parametrize(("kind", "label"), [("full", "公共信用信息报告"), ("compliance", "专项信用报告")])
def test_the_subject_issues_downloads_once_and_verifies(huaxin, company, kind, label):
    answer = huaxin.post(URL, {"kind": kind, "purpose": "招投标"})
    assert answer.status_code == 201
    report = Report.objects.get()
    assert (report.subject_id, report.kind, report.purpose) == (company.pk, kind, "招投标")
    page = answer.content.decode()
    code = re.search(r'<strong id="report-code">([2-9A-Z]{10})</strong>', page).group(1)
    assert f'<strong id="report-number">{report.number}</strong>' in page
    assert f"{label}；用途：招投标；共 {report.pages} 页；出具时间：2026年09月30日 10:00" in text(answer)
    assert f'href="/reports/verify?number={report.number}&amp;code={code}"' in page
    pdf = huaxin.get(f"/me/reports/{report.number}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="{report.number}.pdf"'
    assert hashlib.sha256(pdf.content).hexdigest() == report.sha256
    again = huaxin.get(f"/me/reports/{report.number}.pdf")
    assert again.status_code == 404
    assert "报告文件只能下载一次，本次会话中已没有待下载的报告；如需报告，请重新申请" in text(again)
    verified = huaxin.get(f"/reports/verify?number={report.number}&code={code}")
    assert "报告真实有效：该报告由本平台出具。" in text(verified)
    assert AuditEvent.objects.filter(action="report.issue").count() == 1


def test_each_field_is_refused_in_chinese(huaxin):
    answer = huaxin.post(URL, {"kind": "", "purpose": ""})
    assert answer.status_code == 400
    shown = text(answer)
    assert "报告类型：请选择报告类型" in shown and "报告用途：请说明报告用途" in shown
    wrong = huaxin.post(URL, {"kind": "secret", "purpose": " "})
    assert wrong.status_code == 400
    assert "报告类型：请从列表中选择报告类型" in text(wrong)
    blank = huaxin.post(URL, {"kind": "full", "purpose": "   "})
    assert blank.status_code == 400 and "报告用途：请说明报告用途" in text(blank)
    assert Report.objects.count() == 0


def test_another_sessions_report_is_not_downloaded(huaxin, own):
    huaxin.post(URL, {"kind": "full", "purpose": "招投标"})
    number = Report.objects.get().number
    other = signed_in(User.objects.get(pk=own.user_id))
    assert other.get(f"/me/reports/{number}.pdf").status_code == 404


def test_an_agent_needs_the_report_scope(company, penalty, remedies_reference, clock):
    clock.set(FILED_AT)
    agent = agent_make()
    without = agency_make(agent, company, valid_to=dt.date(2026, 10, 10))
    answer = signed_in(agent, acting=without).post(URL, {"kind": "full", "purpose": "招投标"})
    assert answer.status_code == 403
    assert "授权委托书的委托事项不包括“信用报告”，代理人不能代为办理" in text(answer)
    within = agency_make(agent, company, scope=(AgencyScope.REPORT,), valid_to=dt.date(2026, 10, 10))
    issued = signed_in(agent, acting=within).post(URL, {"kind": "compliance", "purpose": "招投标"})
    assert issued.status_code == 201
    assert Report.objects.get().subject_id == company.pk


def test_a_user_who_is_no_subject_is_refused(remedies_reference, clock):
    clock.set(FILED_AT)
    plain = signed_in(User.objects.create_user(username="nobody", password="x-strong-password-1"))
    for answer in (plain.get(URL), plain.post(URL, {"kind": "full", "purpose": "招投标"})):
        assert answer.status_code == 403
        assert "仅限已实名核验的信用主体账户，或正在代为办理的代理人使用" in text(answer)
    assert Report.objects.count() == 0
