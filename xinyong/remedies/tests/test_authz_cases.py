"""Issue 12's reproducers for objections, repairs and list entries (accounts/policy.py, ADR 0017):

- every unit's officers read the evidence of objections and repairs about other units' records — now only the
  credit office, the case's unit (核实单位 / 认定单位) and the subject;
- a `reviewer` token of any unit checked repairs and reviewed other units' list entries — now the credit
  office's roles cannot be issued to another unit, and such a token issued before acts with no role;
- a second token of the proposer's (checker's) own unit passed four eyes — now two tokens of one unit are one
  person unless they name different officers."""

import datetime as dt
import json

import pytest
from django.test import Client

from tests.support.lists import APPROVED_AT, PROPOSED_AT
from tests.support.records import COMPANY
from tests.support.remedies import (
    APPLIED_AT,
    CHECKED_AT,
    DECIDED_AT,
    FILED_AT,
    certificate,
    repair_commitment,
)
from xinyong.accounts.models import ApiToken, Unit
from xinyong.accounts.services import api_token_create, token_secret_hash
from xinyong.core import timeutil
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.remedies.tests.test_api import own_client, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(clock):
    clock.set(FILED_AT)
    return clock


def _client(unit_code: str, role: str, officer: str = "") -> Client:
    unit = Unit.objects.get(code=unit_code)
    issued = api_token_create(actor=Actor.system(), unit=unit, role=role, now=timeutil.now(), officer=officer)
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def _legacy_reviewer(unit_code: str) -> Client:
    """A reviewer token of an ordinary unit, issued before the rule (written straight into the table)."""
    at = timeutil.now()
    ApiToken.objects.create(unit=Unit.objects.get(code=unit_code), role="reviewer", prefix="legacy99",
                            secret_hash=token_secret_hash("xy_legacy_reviewer"), created_at=at, created_by="test",
                            expires_at=at + dt.timedelta(days=1))  # fmt: skip
    return Client(HTTP_AUTHORIZATION="Bearer xy_legacy_reviewer")


def _post(client: Client, url: str, body: dict):
    return client.post(url, json.dumps(body, ensure_ascii=False), content_type="application/json")


# ── evidence ─────────────────────────────────────────────────────────────────────────────────────────────


def test_objection_evidence_only_for_the_office_the_providing_unit_and_the_subject(own, penalty, clock):
    filed = own_client(own).post("/api/v1/objections", {
        "target_kind": "record", "target_id": penalty.pk, "grounds": "error", "description": "有误",
        "applicant_name": "北京华信科技有限公司", "files": [pdf()]}).json()  # fmt: skip
    url = f"/api/v1/objections/{filed['id']}/evidence/{filed['evidence'][0]['id']}"
    for client in (_client("bj-caizhengju", "data_officer"), _client("bj-caizhengju", "case_officer")):
        for path in (url, f"/api/v1/objections/{filed['id']}"):
            got = client.get(path)
            assert (got.status_code, got.json()["code"]) == (404, "objection.not_found")
    for client in (_client("bj-gongshangju", "case_officer"), _client("bj-jingxinwei", "reviewer"),
                   _client("bj-jingxinwei", "auditor"), own_client(own)):  # fmt: skip
        assert client.get(url).status_code == 200


def _repair(own, company, penalty, clock) -> dict:
    repair_commitment(company, own, target_kind="record", target_id=penalty.pk)
    clock.set(APPLIED_AT)
    applied = own_client(own).post("/api/v1/repairs", {
        "target_kind": "record", "target_id": penalty.pk, "statement": "已整改",
        "applicant_name": "北京华信科技有限公司", "certificate_no": certificate(company), "files": [pdf()]})  # fmt: skip
    assert applied.status_code == 201, applied.content
    return applied.json()


def test_repair_evidence_is_not_for_other_units(own, company, penalty, entry, clock):
    repair = _repair(own, company, penalty, clock)
    url = f"/api/v1/repairs/{repair['id']}/evidence/{repair['evidence'][0]['id']}"
    got = _client("bj-caizhengju", "data_officer").get(url)
    assert (got.status_code, got.json()["code"]) == (404, "repair.not_found")
    assert _client("bj-gongshangju", "data_officer").get(url).status_code == 200


# ── authority ────────────────────────────────────────────────────────────────────────────────────────────


def test_a_reviewer_of_another_unit_neither_is_issued_nor_checks_a_repair(
    own, company, penalty, entry, clock
):
    repair = _repair(own, company, penalty, clock)
    with pytest.raises(DomainError) as refused:
        _client("bj-fagaiwei", "reviewer")
    assert refused.value.code == "token.role_not_for_unit"
    clock.set(CHECKED_AT)
    checked = _post(_legacy_reviewer("bj-fagaiwei"), f"/api/v1/repairs/{repair['id']}/check",
                    {"passed": True, "reason": "材料齐全"})  # fmt: skip
    assert (checked.status_code, checked.json()["code"]) == (403, "auth.operation_forbidden")
    checked = _post(_client("bj-jingxinwei", "reviewer"), f"/api/v1/repairs/{repair['id']}/check",
                    {"passed": True, "reason": "材料齐全"})  # fmt: skip
    assert checked.json()["state"] == "checked"


def test_repair_decision_needs_another_officer_than_the_checker(own, company, penalty, entry, clock):
    repair = _repair(own, company, penalty, clock)
    clock.set(CHECKED_AT)
    checked = _post(_client("bj-jingxinwei", "reviewer", officer="张三"), f"/api/v1/repairs/{repair['id']}/check",
                    {"passed": True, "reason": "材料齐全"})  # fmt: skip
    assert checked.status_code == 200
    clock.set(DECIDED_AT)
    url, body = f"/api/v1/repairs/{repair['id']}/decision", {"approve": True, "reason": "已纠正失信行为"}
    for second in (
        _client("bj-jingxinwei", "reviewer"),
        _client("bj-jingxinwei", "reviewer", officer="张三"),
    ):
        refused = _post(second, url, body)
        assert (refused.status_code, refused.json()["code"]) == (403, "repair.four_eyes")
    assert (
        _post(_client("bj-jingxinwei", "reviewer", officer="李四"), url, body).json()["state"] == "approved"
    )


@pytest.fixture
def proposed(company, penalty, clock) -> tuple[int, dict]:
    """市工商局's officer 王五 proposes the company for its serious list (市工商局 decides it)."""
    clock.set(PROPOSED_AT)
    answer = _post(_client("bj-gongshangju", "data_officer", officer="王五"), "/api/v1/lists/entries", {
        "list_type": "scjg-yzsx", "subject": COMPANY, "basis_record_ids": [penalty.pk],
        "legal_basis": "《市场监督管理严重违法失信名单管理办法》第二条", "reasons": "虚假宣传"})  # fmt: skip
    assert answer.status_code == 201, answer.content
    clock.set(APPROVED_AT)
    return answer.json()["id"], clock


def test_a_reviewer_of_another_unit_cannot_review_a_list_entry(proposed):
    entry_id, _ = proposed
    url = f"/api/v1/lists/entries/{entry_id}/review"
    refused = _post(_legacy_reviewer("bj-fagaiwei"), url, {"approve": True, "reason": "依据充分"})
    assert (refused.status_code, refused.json()["code"]) == (403, "auth.operation_forbidden")
    refused = _post(
        _client("bj-fagaiwei", "case_officer", officer="赵六"), url, {"approve": True, "reason": "x"}
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "list_entry.wrong_unit")


def test_a_second_token_of_the_proposers_unit_passes_four_eyes_only_as_another_named_officer(proposed):
    entry_id, _ = proposed
    url, body = f"/api/v1/lists/entries/{entry_id}/review", {"approve": True, "reason": "依据充分"}
    for same in (
        _client("bj-gongshangju", "case_officer"),
        _client("bj-gongshangju", "case_officer", "王五"),
    ):
        refused = _post(same, url, body)
        assert (refused.status_code, refused.json()["code"]) == (403, "list_entry.four_eyes")
    reviewed = _post(_client("bj-gongshangju", "case_officer", officer="赵六"), url, body)
    assert (reviewed.status_code, reviewed.json()["state"]) == (200, "notice_sent")
