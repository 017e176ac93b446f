"""/api/v1/lists over HTTP: the lifecycle end to end, exact JSON of one entry, who sees what, notices for the
subject, and refusals as problem details."""

import json

import pytest
from django.test import Client

from tests.support.lists import (
    APPROVED_AT,
    DECIDED_AT,
    PROPOSED_AT,
    PUBLISHED_AT,
    REMEDY,
    REVIEWER,
    bj,
    entry_in,
    propose,
)
from tests.support.records import COMPANY
from xinyong.accounts.access import subject_account_link
from xinyong.accounts.models import Unit, User
from xinyong.accounts.services import api_token_create, user_token_create
from xinyong.core import timeutil
from xinyong.core.actor import Actor

pytestmark = pytest.mark.django_db
URL = "/api/v1/lists"


@pytest.fixture
def clock(clock):
    """The instant the lists API hands to the services (and checks tokens at)."""
    clock.set(PROPOSED_AT)
    return clock


def _client(unit_code: str, role: str, officer: str = "") -> Client:
    unit = Unit.objects.get(code=unit_code)
    issued = api_token_create(actor=Actor.system(), unit=unit, role=role, now=timeutil.now(), officer=officer)
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def _subject_client(subject) -> Client:
    user = User.objects.create_user(username="huaxin", password="x-strong-password-1")
    subject_account_link(actor=REVIEWER, user=user, subject_id=subject.pk, now=PROPOSED_AT)
    issued = user_token_create(actor=REVIEWER, user=user, now=timeutil.now())
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def _post(client: Client, path: str, body: dict | None = None):
    return client.post(f"{URL}{path}", json.dumps(body or {}), content_type="application/json")


def _public_entry(entry_id, company, penalty) -> dict:
    """The exact public view of the standard entry once published."""
    return {
        "id": entry_id,
        "list_type": "scjg-yzsx",
        "list_type_name": "市场监督管理严重违法失信名单",
        "kind": "black",
        "state": "published",
        "state_label": "已公布",
        "subject": {"id": company.pk, "code": COMPANY, "kind": "enterprise", "name": "北京华信科技有限公司"},
        "legal_basis": "《市场监督管理严重违法失信名单管理办法》第二条",
        "reasons": "在商品包装上作虚假宣传，受到从重罚款的较重行政处罚",
        "basis_record_ids": [penalty.pk],
        "proposing_unit": "bj-gongshangju",
        "deciding_unit": "bj-gongshangju",
        "proposed_at": "2025-09-26T10:00:00+08:00",
        "statement_deadline": "2025-10-13T23:59:59+08:00",
        "statement_deadline_provisional": False,
        "statement_waived": False,
        "decided_at": "2025-10-14T09:00:00+08:00",
        "remedy": REMEDY,
        "duration_months": 36,
        "published_at": "2025-10-15T09:00:00+08:00",
        "expires_on": "2028-10-14",
        "earliest_exit_on": "2026-10-14",
        "exited_at": None,
        "under_objection_since": None,
        "exit_reason": "",
        "version": 4,
    }


def test_the_lifecycle_over_http_and_the_exact_public_entry(company, penalty, clock):
    officer = _client("bj-gongshangju", "data_officer", officer="王五")
    decider = _client("bj-gongshangju", "case_officer", officer="赵六")  # another person (issue 12)
    reviewer = _client("bj-jingxinwei", "reviewer")
    me = _subject_client(company)

    proposed = _post(
        officer,
        "/entries",
        {
            "list_type": "scjg-yzsx",
            "subject": COMPANY,
            "basis_record_ids": [penalty.pk],
            "legal_basis": "《市场监督管理严重违法失信名单管理办法》第二条",
            "reasons": "在商品包装上作虚假宣传，受到从重罚款的较重行政处罚",
        },
    )
    assert proposed.status_code == 201, proposed.json()
    entry_id = proposed.json()["id"]
    assert [(t["action"], t["to_state"]) for t in proposed.json()["transitions"]] == [("propose", "proposed")]
    assert proposed.json()["transitions"][0]["actor"].startswith("token:")  # government callers see actors

    clock.set(APPROVED_AT)
    own = _post(officer, f"/entries/{entry_id}/review", {"approve": True})
    assert (own.status_code, own.json()["code"]) == (403, "list_entry.four_eyes")
    reviewed = _post(reviewer, f"/entries/{entry_id}/review", {"approve": True, "reason": "依据充分"})
    assert (reviewed.status_code, reviewed.json()["state"]) == (200, "notice_sent")

    notices = me.get(f"{URL}/notices").json()["items"]
    assert [(n["kind"], n["title"], n["deadline"], n["read_at"]) for n in notices] == [
        ("notice", "列入市场监督管理严重违法失信名单告知书", "2025-10-13T23:59:59+08:00", None)
    ]
    clock.set(bj(2025, 10, 9, 15))
    read = _post(me, f"/notices/{notices[0]['id']}/read")
    assert (read.status_code, read.json()["read_at"]) == (200, "2025-10-09T15:00:00+08:00")
    letter = me.get(f"{URL}/notices/{notices[0]['id']}/letter")
    assert letter["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>列入市场监督管理严重违法失信名单告知书</h1>" in letter.content.decode()
    stated = _post(me, f"/entries/{entry_id}/statement", {"text": "已整改完毕", "kind": "statement"})
    assert stated.status_code == 201
    assert stated.json() == {
        "id": stated.json()["id"],
        "entry_id": entry_id,
        "kind": "statement",
        "text": "已整改完毕",
        "on_behalf": False,
        "at": "2025-10-09T15:00:00+08:00",
    }

    clock.set(DECIDED_AT)
    early = _post(decider, f"/entries/{entry_id}/decision", {"remedy": REMEDY})
    assert (early.status_code, early.json()["code"]) == (400, "list_entry.reason_required")
    decided = _post(decider, f"/entries/{entry_id}/decision", {"remedy": REMEDY, "reason": "整改不影响列入"})
    assert (decided.status_code, decided.json()["state"]) == (200, "decided")
    clock.set(PUBLISHED_AT)
    assert _post(decider, f"/entries/{entry_id}/publication").json()["state"] == "published"

    public = Client().get(f"{URL}/entries/{entry_id}")
    assert public.status_code == 200
    body = public.json()
    transitions, statements = body.pop("transitions"), body.pop("statements")
    assert body == _public_entry(entry_id, company, penalty)
    assert transitions == [
        {
            "action": "propose",
            "action_label": "提议列入",
            "from_state": "",
            "to_state": "proposed",
            "actor": None,
            "unit_code": "bj-gongshangju",
            "reason": "在商品包装上作虚假宣传，受到从重罚款的较重行政处罚",
            "at": "2025-09-26T10:00:00+08:00",
        },
        {
            "action": "approve",
            "action_label": "审核通过",
            "from_state": "proposed",
            "to_state": "notice_sent",
            "actor": None,
            "unit_code": "bj-jingxinwei",
            "reason": "依据充分",
            "at": "2025-09-29T10:00:00+08:00",
        },
        {
            "action": "decide",
            "action_label": "作出列入决定",
            "from_state": "notice_sent",
            "to_state": "decided",
            "actor": None,
            "unit_code": "bj-gongshangju",
            "reason": "整改不影响列入",
            "at": "2025-10-14T09:00:00+08:00",
        },
        {
            "action": "publish",
            "action_label": "公布",
            "from_state": "decided",
            "to_state": "published",
            "actor": None,
            "unit_code": "bj-gongshangju",
            "reason": "",
            "at": "2025-10-15T09:00:00+08:00",
        },
    ]
    assert statements == []  # the public does not see what the subject stated
    assert [s["text"] for s in me.get(f"{URL}/entries/{entry_id}").json()["statements"]] == ["已整改完毕"]

    clock.set(bj(2025, 11, 3, 9))
    withdrawn = _post(officer, f"/entries/{entry_id}/withdrawal", {"reason": "案件复查"})
    assert withdrawn.status_code == 409
    assert withdrawn.json() == {
        "type": "https://xinyong.example/problems/list_entry.invalid_transition",
        "title": "list_entry.invalid_transition",
        "status": 409,
        "detail": f"名单条目 {entry_id} 当前状态为“已公布”，不能撤回",
        "code": "list_entry.invalid_transition",
        "instance": f"{URL}/entries/{entry_id}/withdrawal",
        "errors": [],
        "request_id": withdrawn.json()["request_id"],
        "state": "published",
        "action": "withdraw",
    }
    exited = _post(
        decider, f"/entries/{entry_id}/exit", {"reason_code": "revocation", "reason": "处罚决定被撤销"}
    )
    assert (exited.status_code, exited.json()["state"], exited.json()["exit_reason"]) == (
        200,
        "exited",
        "revocation",
    )


def test_who_sees_which_entries(company, penalty, clock):
    published = entry_in("published", company, [penalty])
    hidden = propose(company, [penalty], list_type="zdgz")  # a proposal and a non-public list
    officer = _client("bj-caizhengju", "case_officer")

    def ids(client, query=""):
        response = client.get(f"{URL}/entries{query}")
        assert response.status_code == 200, response.json()
        return [item["id"] for item in response.json()["items"]]

    assert ids(Client()) == [published.pk]
    assert ids(officer) == [hidden.pk, published.pk]
    assert ids(_subject_client(company)) == [hidden.pk, published.pk]
    assert ids(officer, f"?subject={COMPANY}&list_type=zdgz&state=proposed") == [hidden.pk]
    assert ids(Client(), "?state=proposed") == []
    assert Client().get(f"{URL}/entries/{hidden.pk}").json()["code"] == "list_entry.not_found"
    assert Client().get(f"{URL}/entries?state=nonsense").json()["code"] == "list_entry.state_invalid"
    assert Client().get(f"{URL}/entries?subject=123").status_code == 400

    first = officer.get(f"{URL}/entries?limit=1").json()
    assert [i["id"] for i in first["items"]] == [hidden.pk]
    second = officer.get(f"{URL}/entries?limit=1&cursor={first['next_cursor']}").json()
    assert ([i["id"] for i in second["items"]], second["next_cursor"]) == ([published.pk], None)
    assert (first["items"][0]["transitions"], first["items"][0]["statements"]) == (None, None)  # detail only


def test_refusals_are_problem_details(company, penalty, clock):
    anonymous = _post(
        Client(),
        "/entries",
        {"list_type": "x", "subject": COMPANY, "basis_record_ids": [], "legal_basis": "x", "reasons": "x"},
    )
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "auth.required")
    officer = _client("bj-gongshangju", "data_officer")
    body = {
        "list_type": "scjg-yzsx",
        "subject": COMPANY,
        "basis_record_ids": [],
        "legal_basis": "依据",
        "reasons": "理由",
    }
    missing = _post(officer, "/entries", body)
    assert (missing.status_code, missing.json()["code"]) == (400, "list_entry.basis_record_ids_required")
    unknown = _post(officer, "/entries/424242/publication")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "list_entry.not_found")
    assert officer.get(f"{URL}/notices").json()["code"] == "auth.operation_forbidden"
    malformed = _post(officer, "/entries/1/review", {"approve": "maybe"})
    assert (malformed.status_code, malformed.json()["code"]) == (422, "request.invalid")


def test_list_types_are_public(lists_reference):
    response = Client().get(f"{URL}/types")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 6
    assert body["list_types"][0] == {
        "code": "cxdx-hmd",
        "name": "诚信典型红名单",
        "kind": "red",
        "kind_label": "红名单（守信激励）",
        "legal_basis": body["list_types"][0]["legal_basis"],
        "criteria": body["list_types"][0]["criteria"],
        "deciding_unit": "bj-jingxinwei",
        "deciding_unit_name": "市经济信息化委",
        "duration_months": 24,
        "earliest_exit_months": 0,
        "repairable": False,
        "training_required": False,
        "public": True,
        "statement_working_days": 5,
        "remedy": body["list_types"][0]["remedy"],
        "category": "HMD",
    }
    assert body["list_types"][0]["legal_basis"].startswith(
        "《国务院关于建立完善守信联合激励和失信联合惩戒制度"
    )


def test_statement_through_the_api_after_the_deadline_is_refused(company, penalty, clock):
    entry = entry_in("notice_sent", company, [penalty])
    clock.set(bj(2025, 10, 14, 0, 0, 1))
    late = _post(_subject_client(company), f"/entries/{entry.pk}/statement", {"text": "迟到"})
    assert (late.status_code, late.json()["code"]) == (409, "list_entry.statement_deadline_passed")
    assert late.json()["detail"] == "陈述申辩期已于 2025年10月13日23时59分59秒（北京时间） 届满"
