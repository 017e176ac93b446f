"""/api/v1/commitments and /api/v1/training over HTTP: happy paths with exact JSON, who sees what, and the
refusals as problem details (403, 404, 409)."""

import json

import pytest
from django.test import Client

from tests.support.commitments import SIGNED_AT, VERIFIED_AT, account_for, person_subject
from tests.support.lists import REVIEWER, bj, entry_in
from tests.support.records import COMPANY
from xinyong.accounts.models import Unit, User
from xinyong.accounts.services import api_token_create, user_token_create
from xinyong.core import timeutil
from xinyong.core.actor import Actor
from xinyong.records.models import Record

pytestmark = pytest.mark.django_db
URL = "/api/v1/commitments"
TRAINING = "/api/v1/training"


@pytest.fixture
def clock(clock):
    clock.set(SIGNED_AT)
    return clock


def _client(unit_code: str, role: str) -> Client:
    issued = api_token_create(
        actor=Actor.system(), unit=Unit.objects.get(code=unit_code), role=role, now=timeutil.now()
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def _subject_client(subject, username="huaxin") -> Client:
    actor = account_for(subject, username)
    issued = user_token_create(actor=REVIEWER, user=User.objects.get(pk=actor.user_id), now=timeutil.now())
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def _post(client: Client, path: str, body: dict | None = None):
    return client.post(path, json.dumps(body or {}), content_type="application/json")


SIGN = {
    "template": "approval-general",
    "subject": COMPANY,
    "matter": "食品经营许可证核发",
    "accepting_unit": "bj-gongshangju",
    "signer_name": "张伟",
}


def _problem(response) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["code"], body["detail"]


def test_templates_are_public(commitments_reference):
    body = Client().get(f"{URL}/templates").json()
    assert body["count"] == 4
    assert [(t["code"], t["kind"], t["verify_months"]) for t in body["templates"]] == [
        ("approval-general", "approval", 3),
        ("industry-self-discipline", "industry", 6),
        ("repair-general", "repair", 3),
        ("voluntary-general", "voluntary", 3),
    ]
    assert body["templates"][0]["kind_label"] == "审批替代型（告知承诺）"


def test_sign_read_verify_as_broken(company, commitments_reference, clock):
    me = _subject_client(company)
    signed = _post(me, URL, SIGN)
    assert signed.status_code == 201
    body = signed.json()
    cid = body.pop("id")
    text = body.pop("text")
    assert text.startswith(
        "北京市市场监督管理局：\n本人/本单位 北京华信科技有限公司（统一社会信用代码或身份证件号码："
    )
    assert body == {
        "kind": "approval",
        "kind_label": "审批替代型（告知承诺）",
        "state": "signed",
        "state_label": "已签署（待核查）",
        "template": "approval-general",
        "subject": {"id": company.pk, "code": COMPANY, "kind": "enterprise", "name": "北京华信科技有限公司"},
        "matter": "食品经营许可证核发",
        "accepting_unit": "bj-gongshangju",
        "accepting_unit_name": "市工商局",
        "signer_name": "张伟",
        "signed_at": "2025-11-03T10:00:00+08:00",
        "on_behalf": False,
        "signed_by": None,
        "evidence": None,
        "verify_due": "2026-02-03",
        "verified_at": None,
        "verified_by": None,
        "result": "",
        "withdrawn_at": None,
        "target_kind": "",
        "target_id": None,
        "breach_record_id": None,
    }
    officer = _client("bj-gongshangju", "case_officer")
    seen = officer.get(f"{URL}/{cid}").json()
    assert seen["signed_by"].startswith("token:") and seen["evidence"] == ""
    assert Client().get(f"{URL}/{cid}").status_code == 404
    stranger = _subject_client(person_subject(), "other")
    assert _problem(stranger.get(f"{URL}/{cid}")) == (404, "commitment.not_found", f"信用承诺 {cid} 不存在")

    clock.set(VERIFIED_AT)
    other_unit = _client("bj-caizhengju", "data_officer")
    verdict = {"kept": False, "result": "经现场核查，申请时承诺的经营场所不存在"}
    assert _problem(_post(other_unit, f"{URL}/{cid}/verification", verdict)) == (
        403,
        "commitment.verify_not_allowed",
        f"只有受理单位（市工商局）的工作人员或信用办审核员可以核查信用承诺 {cid}",
    )
    broken = _post(officer, f"{URL}/{cid}/verification", verdict)
    assert broken.status_code == 200
    record = Record.objects.get(category__code="XYCNWY")
    assert {k: broken.json()[k] for k in ("state", "verified_at", "result", "breach_record_id")} == {
        "state": "broken",
        "verified_at": "2025-12-01T10:00:00+08:00",
        "result": "经现场核查，申请时承诺的经营场所不存在",
        "breach_record_id": record.pk,
    }
    again = _post(officer, f"{URL}/{cid}/verification", verdict)
    assert _problem(again) == (
        409,
        "commitment.invalid_transition",
        f"信用承诺 {cid} 当前状态为“未履约（违诺）”，不能核查",
    )
    assert Record.objects.filter(category__code="XYCNWY").count() == 1


def test_approval_refused_to_a_black_listed_subject(company, penalty, commitments_reference, clock):
    entry = entry_in("published", company, [penalty])
    refused = _post(_subject_client(company), URL, SIGN)
    assert _problem(refused) == (
        409,
        "commitment.serious_list",
        f"该主体在“市场监督管理严重违法失信名单”上（名单条目 {entry.pk}），不得适用告知承诺",
    )


def test_sign_refusals(company, commitments_reference, clock):
    assert _post(Client(), URL, SIGN).status_code == 401
    assert _problem(_post(_client("bj-caizhengju", "data_officer"), URL, SIGN)) == (
        403,
        "commitment.sign_not_allowed",
        "只有承诺主体本人（主体账户），或受理单位的工作人员（登记书面承诺）可以签署信用承诺",
    )
    assert _problem(_post(_subject_client(company), URL, {**SIGN, "template": "nope"})) == (
        404,
        "commitment.template_not_found",
        "承诺书模板 nope 不存在或已停用",
    )


def test_withdraw_and_overdue(company, commitments_reference, clock):
    me = _subject_client(company)
    officer = _client("bj-gongshangju", "data_officer")
    written = _post(
        officer, URL, {**SIGN, "template": "voluntary-general", "evidence": "书面承诺书第12号"}
    ).json()
    assert (written["on_behalf"], written["evidence"]) == (True, "书面承诺书第12号")
    first = _post(me, URL, {**SIGN, "template": "voluntary-general"}).json()["id"]
    clock.set(VERIFIED_AT)
    assert _problem(_post(officer, f"{URL}/{first}/withdrawal"))[:2] == (403, "auth.operation_forbidden")
    withdrawn = _post(me, f"{URL}/{first}/withdrawal", {"reason": "不再申请"}).json()
    assert (withdrawn["state"], withdrawn["withdrawn_at"]) == ("withdrawn", "2025-12-01T10:00:00+08:00")

    overdue = officer.get(f"{URL}/overdue", {"on": "2026-02-04"}).json()
    assert (overdue["count"], [c["id"] for c in overdue["items"]]) == (1, [written["id"]])
    assert officer.get(f"{URL}/overdue", {"on": "2026-02-03"}).json()["count"] == 0
    assert _problem(officer.get(f"{URL}/overdue", {"unit": "bj-caizhengju"})) == (
        403,
        "commitment.other_unit",
        "只能查看本单位受理的信用承诺",
    )
    reviewer = _client("bj-jingxinwei", "reviewer")
    assert reviewer.get(f"{URL}/overdue", {"unit": "bj-caizhengju", "on": "2026-02-04"}).json()["count"] == 0
    assert reviewer.get(f"{URL}/overdue", {"on": "2026-02-04"}).json()["count"] == 1
    assert _problem(me.get(f"{URL}/overdue")) == (
        403,
        "auth.operation_forbidden",
        "当前身份不能调用此接口（允许：数据报送员、业务经办员、信用办审核员、信用办管理员、信用办审计员）",
    )


def test_training_enrol_complete_and_check_the_certificate(company, commitments_reference, clock):
    courses = Client().get(f"{TRAINING}/courses", {"list_type": "scjg-yzsx"}).json()
    assert [c["code"] for c in courses["courses"]] == ["scjg-xyxf-offline", "xyxf-online-basic"]
    assert courses["courses"][0] == {
        "code": "scjg-xyxf-offline",
        "title": "市场监管领域严重违法失信主体信用修复培训（线下）",
        "mode": "offline",
        "mode_label": "线下",
        "hours": 8,
        "provider": "bj-gongshangju",
        "provider_name": "市工商局",
        "list_types": ["scjg-yzsx"],
        "description": "市场主体登记、公示、产品质量与广告等法规，严重违法失信名单的移出条件；现场签到，结业考试。",
    }
    me = _subject_client(company)
    enrolled = _post(me, f"{TRAINING}/enrolments", {"course": "scjg-xyxf-offline", "subject": COMPANY})
    assert enrolled.status_code == 201
    eid = enrolled.json()["id"]
    assert _problem(
        _post(me, f"{TRAINING}/enrolments", {"course": "scjg-xyxf-offline", "subject": COMPANY})
    ) == (
        409,
        "training.already_enrolled",
        f"该主体已报名课程“市场监管领域严重违法失信主体信用修复培训（线下）”（报名记录 {eid}）",
    )
    assert _problem(_post(me, f"{TRAINING}/enrolments/{eid}/completion")) == (
        403,
        "training.complete_not_allowed",
        "只有培训单位（市工商局）的工作人员可以登记结业",
    )
    clock.set(bj(2025, 12, 1, 16))
    officer = _client("bj-gongshangju", "case_officer")
    done = _post(
        officer, f"{TRAINING}/enrolments/{eid}/completion", {"score": 86, "note": "结业考试合格"}
    ).json()
    number = f"PX-2025-{eid:06d}"
    assert {k: done[k] for k in ("completed_at", "certificate_no", "score", "note")} == {
        "completed_at": "2025-12-01T16:00:00+08:00",
        "certificate_no": number,
        "score": 86,
        "note": "结业考试合格",
    }
    assert _problem(_post(officer, f"{TRAINING}/enrolments/{eid}/completion"))[:2] == (
        409,
        "training.already_completed",
    )
    assert Client().get(f"{TRAINING}/certificates/{number.lower()}").json() == {
        "certificate_no": number,
        "course": "scjg-xyxf-offline",
        "course_title": "市场监管领域严重违法失信主体信用修复培训（线下）",
        "mode": "offline",
        "hours": 8,
        "provider_name": "市工商局",
        "subject_name": "北京******公司",
        "completed_on": "2025-12-01",
    }
    assert _problem(Client().get(f"{TRAINING}/certificates/PX-2025-999999")) == (
        404,
        "training.certificate_not_found",
        "结业证书 PX-2025-999999 不存在",
    )
