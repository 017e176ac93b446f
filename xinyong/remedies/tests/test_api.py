"""/api/v1/objections and /api/v1/repairs over HTTP: multipart filing by the subject's own token, progress by
query code without an account (a wrong code and a malformed one answer alike), the handling steps, who sees a
case, statistics, and refusals as problem details."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.support.remedies import (
    ACCEPTED_AT,
    APPLIED_AT,
    CHECKED_AT,
    DECIDED_AT,
    FILED_AT,
    PDF,
    REPLIED_AT,
    REVIEWER,
    VERIFIED_AT,
    certificate,
    repair_commitment,
)
from xinyong.accounts.models import Unit, User
from xinyong.accounts.services import api_token_create, user_token_create
from xinyong.audit.models import AuditEvent
from xinyong.core import timeutil
from xinyong.core.actor import Actor
from xinyong.records.models import Record


@pytest.fixture
def clock(clock):
    clock.set(FILED_AT)
    return clock


def unit_client(unit_code: str, role: str) -> Client:
    issued = api_token_create(
        actor=Actor.system(), unit=Unit.objects.get(code=unit_code), role=role, now=timeutil.now()
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def own_client(own: Actor) -> Client:
    issued = user_token_create(actor=REVIEWER, user=User.objects.get(pk=own.user_id), now=timeutil.now())
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def pdf():
    return SimpleUploadedFile(PDF.name, PDF.data, content_type="application/pdf")


def test_objection_over_http_from_filing_to_reply(own, penalty, clock):
    subject = own_client(own)
    answer = subject.post("/api/v1/objections", {
        "target_kind": "record", "target_id": penalty.pk, "grounds": "error",
        "description": "罚款金额有误", "applicant_name": "北京华信科技有限公司", "files": [pdf()]})  # fmt: skip
    assert answer.status_code == 201, answer.content
    body = answer.json()
    code = body["query_code"]
    assert (body["state"], body["state_label"], body["accept_due"]) == (
        "submitted",
        "已提交",
        "2026-10-09T23:59:59+08:00",
    )
    assert body["evidence"][0]["name"] == "缴款凭证.pdf" and body["steps"][0]["actor"] is None
    reviewer, gsj = unit_client("bj-jingxinwei", "reviewer"), unit_client("bj-gongshangju", "data_officer")
    clock.set(ACCEPTED_AT)
    assert (
        reviewer.post(
            f"/api/v1/objections/{body['id']}/accept", {}, content_type="application/json"
        ).status_code
        == 200
    )
    clock.set(VERIFIED_AT)
    verified = gsj.post(f"/api/v1/objections/{body['id']}/verification",
                        {"outcome": "upheld", "verification": "与处罚决定书一致"}, content_type="application/json")  # fmt: skip
    assert verified.json()["state"] == "upheld"
    clock.set(REPLIED_AT)
    reviewer.post(
        f"/api/v1/objections/{body['id']}/reply", {"reply": "经核实信息无误"}, content_type="application/json"
    )
    progress = Client().get("/api/v1/objections/progress", {"code": code.lower().replace("-", " ")})
    assert progress.status_code == 200
    shown = progress.json()
    assert (shown["state"], shown["outcome"], shown["result"], shown["reply"]) == (
        "replied", "upheld", "与处罚决定书一致", "经核实信息无误")  # fmt: skip
    assert [s["action"] for s in shown["steps"]] == ["file", "accept", "uphold", "reply"]
    assert all(s["actor"] is None for s in shown["steps"])
    government = gsj.get(f"/api/v1/objections/{body['id']}").json()
    assert government["query_code"] is None and government["steps"][1]["actor"].startswith("token:")
    stats = reviewer.get("/api/v1/objections/stats").json()["rows"]
    assert stats == [{"unit": "bj-gongshangju", "unit_name": "市工商局", "received": 1, "open": 0, "overdue": 0,
                      "verified": 1, "verified_late": 0, "on_time_rate": 1.0}]  # fmt: skip


def test_wrong_and_malformed_codes_answer_alike(remedies_reference):
    answers = [
        Client().get("/api/v1/objections/progress", {"code": c}) for c in ("YY-0000-0000-0000-0000", "x")
    ]
    assert {a.status_code for a in answers} == {404}
    same = [{k: v for k, v in a.json().items() if k not in ("instance", "request_id")} for a in answers]
    assert same[0] == same[1]
    assert answers[0].json()["code"] == "query_code.not_found"


def test_others_get_404_for_a_case_and_anonymous_filing_is_refused(own, penalty, clock):
    answer = Client().post("/api/v1/objections", {
        "target_kind": "record", "target_id": penalty.pk, "grounds": "error", "description": "有误",
        "applicant_name": "某人", "files": [pdf()]})  # fmt: skip
    assert (answer.status_code, answer.json()["code"]) == (403, "objection.login_required")
    unknown = Client().post("/api/v1/objections", {
        "target_kind": "record", "target_id": 987654, "grounds": "error", "description": "有误",
        "applicant_name": "某人", "files": [pdf()]})  # fmt: skip
    assert (unknown.status_code, unknown.json()["code"]) == (403, "objection.login_required")  # no probing
    filed = own_client(own).post("/api/v1/objections", {
        "target_kind": "record", "target_id": penalty.pk, "grounds": "error", "description": "有误",
        "applicant_name": "北京华信科技有限公司", "files": [pdf()]}).json()  # fmt: skip
    stranger = User.objects.create_user(username="stranger", password="x-strong-password-2")
    token = user_token_create(actor=REVIEWER, user=stranger, now=timeutil.now())
    other = Client(HTTP_AUTHORIZATION=f"Bearer {token.secret}").get(f"/api/v1/objections/{filed['id']}")
    assert (other.status_code, other.json()["detail"]) == (404, f"异议 {filed['id']} 不存在")
    bad = own_client(own).post("/api/v1/objections", {
        "target_kind": "record", "target_id": penalty.pk, "grounds": "error", "description": "有误",
        "applicant_name": "x", "files": [SimpleUploadedFile("a.exe", b"MZ")]})  # fmt: skip
    assert (bad.status_code, bad.json()["code"]) == (400, "evidence.invalid")


def test_repair_over_http(own, company, penalty, entry, clock):
    repair_commitment(company, own, target_kind="record", target_id=penalty.pk)
    cert = certificate(company)
    subject = own_client(own)
    clock.set(APPLIED_AT)
    preview = subject.post("/api/v1/repairs/preview", {"target_kind": "record", "target_id": penalty.pk,
                           "evidence_count": 0, "certificate_no": cert}, content_type="application/json").json()  # fmt: skip
    assert (preview["all_met"], [c["code"] for c in preview["conditions"] if not c["met"]]) == (
        False,
        ["obligations"],
    )
    refused = subject.post("/api/v1/repairs", {"target_kind": "record", "target_id": penalty.pk,
                           "statement": "已整改", "applicant_name": "北京华信科技有限公司", "certificate_no": cert})  # fmt: skip
    assert (refused.status_code, refused.json()["code"]) == (422, "repair.conditions_not_met")
    assert refused.json()["errors"] == [
        {"field": "obligations", "code": "unmet", "message": "未上传履行法定义务的证明材料"}
    ]
    applied = subject.post("/api/v1/repairs", {"target_kind": "record", "target_id": penalty.pk,
                           "statement": "已整改", "applicant_name": "北京华信科技有限公司", "certificate_no": cert,
                           "files": [pdf()]})  # fmt: skip
    assert applied.status_code == 201, applied.content
    repair = applied.json()
    clock.set(CHECKED_AT)
    checked = unit_client("bj-jingxinwei", "reviewer").post(
        f"/api/v1/repairs/{repair['id']}/check",
        {"passed": True, "reason": "材料齐全"},
        content_type="application/json",
    )
    assert checked.json()["state"] == "checked"
    clock.set(DECIDED_AT)
    decided = unit_client("bj-gongshangju", "case_officer").post(
        f"/api/v1/repairs/{repair['id']}/decision", {"approve": True, "reason": "已纠正失信行为"},
        content_type="application/json")  # fmt: skip
    assert (decided.json()["state"], decided.json()["share_due"]) == ("approved", "2026-11-10T23:59:59+08:00")
    assert Record.objects.get(pk=penalty.pk).status == "repaired"
    (file,) = repair["evidence"]
    read = unit_client("bj-gongshangju", "case_officer").get(
        f"/api/v1/repairs/{repair['id']}/evidence/{file['id']}"
    )
    assert (read.status_code, read.content) == (200, PDF.data)
    assert AuditEvent.objects.get(action="evidence.read").payload == {
        "case": "repair", "case_id": repair["id"], "purpose": "repair"}  # fmt: skip
    progress = Client().get("/api/v1/repairs/progress", {"code": repair["query_code"]}).json()
    assert (progress["state_label"], progress["result"]) == ("准予修复", "已纠正失信行为")


def test_the_files_of_a_case_are_read_by_who_sees_it_and_every_read_is_audited(own, penalty, clock):
    filed = own_client(own).post("/api/v1/objections", {
        "target_kind": "record", "target_id": penalty.pk, "grounds": "error", "description": "有误",
        "applicant_name": "北京华信科技有限公司", "files": [pdf()]}).json()  # fmt: skip
    (file,) = filed["evidence"]
    url = f"/api/v1/objections/{filed['id']}/evidence/{file['id']}"
    for client in (own_client(own), unit_client("bj-gongshangju", "data_officer")):
        got = client.get(url)
        assert (got.status_code, got.content, got["Content-Type"]) == (200, PDF.data, "application/pdf")
        assert (
            got["Content-Disposition"]
            == "attachment; filename*=utf-8''%E7%BC%B4%E6%AC%BE%E5%87%AD%E8%AF%81.pdf"
        )
        assert (got["X-Content-Type-Options"], got["Cache-Control"]) == ("nosniff", "private, no-store")
    reads = AuditEvent.objects.filter(action="evidence.read").order_by("seq")
    assert [(e.target_id, e.payload) for e in reads] == [
        (str(file["id"]), {"case": "objection", "case_id": filed["id"], "purpose": "objection"})
    ] * 2
    assert [e.unit_code for e in reads][1] == "bj-gongshangju"
    stranger = User.objects.create_user(username="stranger", password="x-strong-password-2")
    token = user_token_create(actor=REVIEWER, user=stranger, now=timeutil.now()).secret
    hidden = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get(url)
    assert (hidden.status_code, hidden.json()["code"]) == (404, "objection.not_found")
    other = own_client(own).get(f"/api/v1/objections/{filed['id']}/evidence/{file['id'] + 1}")
    assert (other.status_code, other.json()["detail"]) == (404, f"证明材料 {file['id'] + 1} 不存在")
    assert Client().get(url).status_code == 401
    assert reads.count() == 2  # refusals read nothing
