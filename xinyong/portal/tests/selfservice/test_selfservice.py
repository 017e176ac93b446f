"""The signed-in subject's own pages (issue 14): /me/, /me/query-log/, /me/objections/new, for the subject's
own account; refusals for the signed-out and for users who are no subject. Agents: test_selfservice_agents.py.
The clock stands on Wed 2026-09-30 10:00 Beijing (tests/support/remedies.py FILED_AT)."""

import re

import pytest
from django.test import Client

from tests.support.accounts import signed_in
from tests.support.commitments import GSJ_OFFICER, person_subject
from tests.support.records import PERSON
from tests.support.remedies import FILED_AT
from xinyong.accounts.models import SubjectAccount, User
from xinyong.audit.models import AuditEvent
from xinyong.disclosure.profile import subject_profile
from xinyong.remedies.models import Objection

PAGES = ["/me/", "/me/query-log/", "/me/objections/new", "/me/acting/"]


def text(answer) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.content.decode()))


@pytest.fixture
def at_filing(clock):
    clock.set(FILED_AT)
    return clock


@pytest.fixture
def huaxin(own, at_filing):
    """The company's own verified account, signed in."""
    return signed_in(User.objects.get(pk=own.user_id))


def _form(penalty, **overrides) -> dict:
    return {
        "record": penalty.pk,
        "grounds": "error",
        "description": "罚款金额应为一万元",
        "applicant_name": "北京华信科技有限公司",
        **overrides,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_signed_out_visitors_are_sent_to_sign_in(path):
    answer = Client().get(path)
    assert answer.status_code == 302
    assert answer["Location"] == f"/accounts/login/?next={path}"


def test_the_subject_sees_who_it_is_its_standing_and_its_cases(huaxin, company, penalty):
    answer = huaxin.get("/me/")
    assert answer.status_code == 200
    shown = text(answer)
    assert f"名称 北京华信科技有限公司 主体类型 企业 统一社会信用代码 {company.uscc}" in shown
    assert "公示中的负面信息 1 条" in shown and "异议处理中 0 项" in shown
    assert "尚未提出异议。" in shown and "尚未申请信用修复。" in shown
    assert 'href="/me/objections/new"' in answer.content.decode()
    assert 'href="/me/query-log/"' in answer.content.decode()
    assert "正在代为办理" not in shown


def test_the_subject_files_an_objection_and_reads_its_query_code(huaxin, company, penalty):
    form = huaxin.get("/me/objections/new")
    assert form.status_code == 200
    assert f'<option value="{penalty.pk}">' in form.content.decode()
    assert 'value="北京华信科技有限公司"' in form.content.decode()  # the applicant, filled in
    answer = huaxin.post("/me/objections/new", _form(penalty))
    assert answer.status_code == 201
    objection = Objection.objects.get()
    result = re.search(r'<div class="result" id="result"[^>]*>(.*?)</div>', answer.content.decode(), re.S)
    assert result and objection.query_code in result.group(1)
    assert (objection.subject_id, objection.record_id, objection.agent_name) == (company.pk, penalty.pk, "")
    assert objection.filed_by == f"user:{huaxin.session['_auth_user_id']}"
    assert objection.flagged_at is not None  # the subject itself: flagged at once
    listed = text(huaxin.get("/me/"))
    assert f"{objection.query_code} 信用信息 信息有误" in listed and "异议处理中 1 项" in listed


def test_each_field_is_refused_in_chinese(huaxin, penalty):
    answer = huaxin.post("/me/objections/new", {"record": "", "grounds": "", "description": " "})
    assert answer.status_code == 400
    shown = text(answer)
    assert "提交未成功，请修改以下内容" in shown
    for line in (
        "提出异议的信用信息：请选择要提出异议的信用信息",
        "异议理由：请选择异议理由",
        "异议说明：请说明异议的具体内容",
        "申请人：请填写申请人",
    ):
        assert line in shown
    assert Objection.objects.count() == 0


def test_a_record_of_another_subject_is_not_offered_nor_accepted(huaxin, penalty):
    answer = huaxin.post("/me/objections/new", _form(penalty, record=penalty.pk + 1000))
    assert answer.status_code == 400
    assert "提出异议的信用信息：请从列表中选择本主体的信用信息" in text(answer)
    assert Objection.objects.count() == 0


def test_the_services_refusals_land_on_their_fields(huaxin, penalty):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("说明.txt", b"plain text", content_type="text/plain")
    answer = huaxin.post("/me/objections/new", {**_form(penalty), "evidence": [bad]})
    assert answer.status_code == 400
    assert "证明材料（可选）：证明材料不符合要求：说明.txt：只接受 PDF、JPG、PNG 文件" in text(answer)
    assert Objection.objects.count() == 0
    assert huaxin.post("/me/objections/new", _form(penalty)).status_code == 201
    again = huaxin.post("/me/objections/new", _form(penalty))
    assert again.status_code == 409
    assert re.search(r"提出异议的信用信息：该对象已有正在办理的异议（异议 #\d+），请等待其办结", text(again))


def test_a_person_sees_only_the_masked_resident_id(lists_reference, at_filing):
    person = person_subject()
    user = User.objects.create_user(username="wangfang", password="x-strong-password-1")
    SubjectAccount.objects.create(user=user, subject=person, verified_by="user:1", verified_at=FILED_AT)
    user.roles = ["subject"]
    user.save()
    page = signed_in(user).get("/me/").content.decode()
    assert f'<td id="subject-code">{PERSON[:6]}********{PERSON[-4:]}</td>' in page
    assert PERSON not in page and "公民身份号码" in page


def test_the_subject_reads_who_looked_at_its_data(huaxin, company, at_filing):
    subject_profile(actor=GSJ_OFFICER, subject=company, now=FILED_AT, purpose="行政许可审查")
    answer = huaxin.get("/me/query-log/")
    assert answer.status_code == 200
    assert "2026年09月30日 10:00 市工商局 查询信用档案 行政许可审查" in text(answer)


def test_a_user_who_is_no_subject_is_refused(remedies_reference, at_filing):
    plain = signed_in(User.objects.create_user(username="nobody", password="x-strong-password-1"))
    assert "您的账户尚未绑定经实名核验的信用主体。" in text(plain.get("/me/"))
    for path in ("/me/query-log/", "/me/objections/new"):
        answer = plain.get(path)
        assert answer.status_code == 403
        assert 'data-code="me.not_a_subject"' in answer.content.decode()
        assert "仅限已实名核验的信用主体账户，或正在代为办理的代理人使用" in text(answer)
    assert not AuditEvent.objects.filter(action__startswith="objection").exists()
