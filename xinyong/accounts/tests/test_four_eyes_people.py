"""Four eyes between people (issue 14): two tokens (or a token and the session) of one person never propose
and approve; two officers of one unit are two people where the list type lets its deciding unit review;
integration tokens are one person per named system. Through the real services and over HTTP."""

import json

import pytest
from django.test import Client

from tests.support.lists import APPROVED_AT, PROPOSED_AT, propose
from xinyong.accounts.actors import token_actor, user_actor
from xinyong.accounts.models import Unit
from xinyong.accounts.people import officer_create
from xinyong.accounts.policy import same_person
from xinyong.accounts.services import (
    api_token_authenticate,
    api_token_create,
    integration_token_create,
    person_token_create,
)
from xinyong.core import timeutil
from xinyong.core.actor import Actor
from xinyong.core.errors import PermissionDenied
from xinyong.lists import services

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system()


def _officer(unit_code: str, roles: list[str], name: str):
    user, _ = officer_create(
        actor=SYSTEM, unit=Unit.objects.get(code=unit_code), roles=roles, full_name=name, now=PROPOSED_AT
    )
    return user


def _secret(user) -> str:
    return person_token_create(actor=SYSTEM, user=user, now=timeutil.now(), name="笔记本").secret


def _actor(secret: str) -> Actor:
    return token_actor(api_token_authenticate(secret=secret, now=timeutil.now()))


@pytest.fixture
def people(lists_reference):
    return {
        "x": _officer("bj-gongshangju", ["data_officer"], "王五"),
        "y": _officer("bj-gongshangju", ["case_officer"], "赵六"),
        "r": _officer("bj-jingxinwei", ["reviewer"], "钱七"),
    }


def test_two_tokens_of_one_person_never_propose_and_approve(company, penalty, people):
    a, b = _actor(_secret(people["x"])), _actor(_secret(people["x"]))
    assert a.label != b.label and a.user_id == b.user_id == people["x"].pk
    entry = propose(company, [penalty], actor=a)
    for other in (b, user_actor(people["x"])):  # another token, the session: the same person
        with pytest.raises(PermissionDenied) as refused:
            services.list_entry_review(
                actor=other, entry_id=entry.pk, approve=True, reason="", now=APPROVED_AT
            )
        assert refused.value.code == "list_entry.four_eyes"
    reviewed = services.list_entry_review(
        actor=_actor(_secret(people["y"])),
        entry_id=entry.pk,
        approve=True,
        reason="依据充分",
        now=APPROVED_AT,
    )
    assert reviewed.state == "notice_sent"  # another officer of the deciding unit: another person


def test_a_list_type_decided_elsewhere_is_reviewed_by_its_deciding_unit_not_a_colleague(
    company, penalty, people
):
    entry = propose(company, [penalty], list_type="zdgz", actor=_actor(_secret(people["x"])))
    with pytest.raises(PermissionDenied) as refused:
        services.list_entry_review(
            actor=_actor(_secret(people["y"])), entry_id=entry.pk, approve=True, reason="", now=APPROVED_AT
        )
    assert refused.value.code == "list_entry.wrong_unit"
    reviewed = services.list_entry_review(
        actor=user_actor(people["r"]), entry_id=entry.pk, approve=True, reason="同意", now=APPROVED_AT
    )
    assert reviewed.state == "notice_sent"


def _post(secret: str, path: str, body: dict):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client.post(f"/api/v1/lists{path}", json.dumps(body), content_type="application/json")


def test_over_http_a_second_token_of_the_proposer_is_403_and_a_colleague_approves(
    company, penalty, people, clock
):
    clock.set(PROPOSED_AT)
    a, b, y = _secret(people["x"]), _secret(people["x"]), _secret(people["y"])
    proposed = _post(
        a,
        "/entries",
        {
            "list_type": "scjg-yzsx",
            "subject": penalty.subject.uscc,
            "basis_record_ids": [penalty.pk],
            "legal_basis": "《市场监督管理严重违法失信名单管理办法》第二条",
            "reasons": "虚假宣传",
        },
    )
    assert proposed.status_code == 201, proposed.content
    url = f"/entries/{proposed.json()['id']}/review"
    clock.set(APPROVED_AT)
    refused = _post(b, url, {"approve": True})
    assert (refused.status_code, refused.json()["code"]) == (403, "list_entry.four_eyes")
    approved = _post(y, url, {"approve": True, "reason": "依据充分"})
    assert (approved.status_code, approved.json()["state"]) == (200, "notice_sent")


def test_who_is_the_same_person(people):
    office = Unit.objects.get(code="bj-gongshangju")
    x1, x2, y = _secret(people["x"]), _secret(people["x"]), _secret(people["y"])
    gov1 = integration_token_create(
        actor=SYSTEM, unit=office, role="data_officer", name="区政务服务系统", now=timeutil.now()
    )
    gov2 = integration_token_create(
        actor=SYSTEM, unit=office, role="data_officer", name="区政务服务系统", now=timeutil.now()
    )
    other = integration_token_create(
        actor=SYSTEM, unit=office, role="data_officer", name="审批系统", now=timeutil.now()
    )
    legacy = api_token_create(actor=SYSTEM, unit=office, role="case_officer", now=timeutil.now())
    named = api_token_create(
        actor=SYSTEM, unit=office, role="case_officer", now=timeutil.now(), officer="张三"
    )
    label = {
        k: f"token:{v.token.prefix}" for k, v in {"gov2": gov2, "other": other, "legacy": legacy}.items()
    }
    assert same_person(_actor(x1), f"token:{x2.split('_')[1]}")
    assert same_person(_actor(x1), f"user:{people['x'].pk}")
    assert not same_person(_actor(y), f"token:{x1.split('_')[1]}")
    assert not same_person(_actor(x1), label["gov2"])  # a person and a system
    assert same_person(_actor(gov1.secret), label["gov2"])  # one integration, two tokens
    assert not same_person(_actor(gov1.secret), label["other"])  # two integrations
    assert same_person(_actor(gov1.secret), label["legacy"])  # an unnamed unit token of before: anyone of it
    assert not same_person(_actor(named.secret), label["gov2"])
