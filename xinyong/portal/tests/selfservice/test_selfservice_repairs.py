"""/me/repairs/new (issue 14): the subject reads the conditions of repair before applying (nothing written),
applies when they all hold and reads the query code, and is told condition by condition when they do not; an
agent whose power covers repair previews for the subject. Clock: Mon 2026-11-02 10:00 Beijing (APPLIED_AT)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.support.accounts import agency_make, agent_make, signed_in
from tests.support.remedies import APPLIED_AT, certificate, repair_commitment
from xinyong.accounts.models import AgencyScope, User
from xinyong.remedies.models import RepairApplication


def text(answer) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.content.decode()))


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("缴款凭证.pdf", b"%PDF-1.4\n% evidence\n", content_type="application/pdf")


@pytest.fixture
def huaxin(own, entry, clock):
    clock.set(APPLIED_AT)
    return signed_in(User.objects.get(pk=own.user_id))


def _post(client, penalty, action, **extra):
    form = {
        "record": penalty.pk,
        "statement": "已缴清罚款并整改完毕",
        "applicant_name": "北京华信科技有限公司",
    }
    return client.post("/me/repairs/new", {**form, "action": action, **extra})


def test_the_conditions_are_shown_before_applying_and_nothing_is_written(huaxin, penalty):
    page = huaxin.get("/me/repairs/new")
    assert page.status_code == 200 and f'<option value="{penalty.pk}">' in page.content.decode()
    answer = _post(huaxin, penalty, "preview")
    assert answer.status_code == 200
    shown = text(answer)
    assert "已满最短公示期 符合 按决定日适用的规则（2023-05-01 起施行）最短公示期至 2026-09-20，已满" in shown
    assert "已履行法定义务 不符合 未上传履行法定义务的证明材料" in shown
    assert RepairApplication.objects.count() == 0


def test_unmet_conditions_refuse_the_application_one_by_one(huaxin, penalty):
    answer = _post(huaxin, penalty, "apply")
    assert answer.status_code == 422
    shown = text(answer)
    assert "提交未成功，请修改以下内容" in shown
    assert "未上传履行法定义务的证明材料" in shown and "未签署针对本次修复对象的信用修复承诺" in shown
    assert 'id="conditions"' in answer.content.decode()
    assert RepairApplication.objects.count() == 0


def test_the_subject_applies_and_reads_the_query_code(huaxin, own, company, penalty):
    repair_commitment(company, own, target_kind="record", target_id=penalty.pk)
    number = certificate(company)
    answer = _post(huaxin, penalty, "apply", certificate_no=number, evidence=[pdf()])
    assert answer.status_code == 201
    repair = RepairApplication.objects.get()
    assert re.search(rf'id="result"[^>]*>\s*<p>查询码：<strong id="query-code">{repair.query_code}</strong>',
                     answer.content.decode())  # fmt: skip
    assert (repair.subject_id, repair.filed_by, repair.state) == (company.pk, own.label, "submitted")
    assert repair.query_code in text(huaxin.get("/me/"))


def test_statement_is_required_on_applying(huaxin, penalty):
    answer = _post(huaxin, penalty, "apply", statement=" ")
    assert answer.status_code == 400
    assert "申请说明：请说明申请修复的理由和已纠正失信行为的情况" in text(answer)


def test_an_agent_with_repair_in_scope_previews_for_the_subject(huaxin, company, penalty):
    agent = agent_make()
    agency = agency_make(agent, company, scope=(AgencyScope.REPAIR,))
    client = signed_in(agent, acting=agency)
    assert _post(client, penalty, "preview").status_code == 200
    assert client.get("/me/objections/new").status_code == 403
