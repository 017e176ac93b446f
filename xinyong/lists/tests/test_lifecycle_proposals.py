"""The entry state machine: four eyes, units and proposals (who may propose, one open entry per list and
subject, basis records, required fields)."""

import pytest

from tests.support.constraints import violates
from tests.support.lists import (
    APPROVED_AT,
    DECIDED_AT,
    DECIDER,
    OUTSIDER,
    PROPOSED_AT,
    PROPOSER,
    PUBLISHED_AT,
    REMEDY,
    REVIEWER,
    REVIEWER_2,
    propose,
    receive,
    walk,
)
from tests.support.records import cf_row
from xinyong.core.actor import Actor
from xinyong.lists import services
from xinyong.lists.models import ListEntry, ListType
from xinyong.lists.tests.lifecycle_cases import (
    LATER,
    OTHER_COMPANY,
    _refused,
)
from xinyong.records.models import Record
from xinyong.records.services import record_withdraw

pytestmark = pytest.mark.django_db


# ── four eyes and units ─────────────────────────────────────────────────────────────────────────────────


def test_four_eyes_the_proposer_never_approves_or_decides(company, penalty):
    entry = propose(company, [penalty], actor=REVIEWER)  # a reviewer proposes this time
    error = _refused(
        lambda: services.list_entry_review(
            actor=REVIEWER, entry_id=entry.pk, approve=True, reason="", now=APPROVED_AT
        ),
        "list_entry.four_eyes",
        403,
    )
    assert error.message == f"四眼原则：提议人不能对自己的提议审核通过（名单条目 {entry.pk}）"
    same_user = Actor(
        label="token:other001", unit_code="bj-jingxinwei", roles=frozenset({"reviewer"}), user_id=71
    )
    _refused(
        lambda: services.list_entry_review(
            actor=same_user, entry_id=entry.pk, approve=False, reason="x", now=APPROVED_AT
        ),
        "list_entry.four_eyes",
        403,
    )
    assert ListEntry.objects.get(pk=entry.pk).state == "proposed"
    services.list_entry_review(actor=REVIEWER_2, entry_id=entry.pk, approve=True, reason="", now=APPROVED_AT)
    _refused(
        lambda: services.list_entry_decide(actor=REVIEWER, entry_id=entry.pk, remedy=REMEDY, now=DECIDED_AT),
        "list_entry.four_eyes",
        403,
    )


def test_four_eyes_holds_in_the_database_too(company, penalty):
    entry = propose(company, [penalty])
    with violates(ListEntry, "list_entry_four_eyes"):
        ListEntry.objects.filter(pk=entry.pk).update(reviewed_by=entry.proposed_by)


def test_an_officer_of_the_deciding_unit_who_proposed_cannot_review(company, penalty):
    entry = propose(company, [penalty])  # PROPOSER is an officer of the deciding unit bj-gongshangju
    _refused(
        lambda: services.list_entry_review(
            actor=PROPOSER, entry_id=entry.pk, approve=True, reason="", now=APPROVED_AT
        ),
        "list_entry.four_eyes",
        403,
    )
    entry = services.list_entry_review(
        actor=DECIDER, entry_id=entry.pk, approve=True, reason="", now=APPROVED_AT
    )
    assert entry.state == "notice_sent"


def test_wrong_unit_is_refused_at_every_step(company, penalty):
    entry = propose(company, [penalty])
    error = _refused(
        lambda: services.list_entry_review(
            actor=OUTSIDER, entry_id=entry.pk, approve=True, reason="", now=APPROVED_AT
        ),
        "list_entry.wrong_unit",
        403,
    )
    assert (
        error.message
        == f"只有认定单位（市工商局）的工作人员或信用办审核员可以审核通过（名单条目 {entry.pk}）"
    )
    walk(entry, "notice_sent")
    _refused(
        lambda: services.list_entry_decide(actor=OUTSIDER, entry_id=entry.pk, remedy=REMEDY, now=DECIDED_AT),
        "list_entry.wrong_unit",
        403,
    )
    services.list_entry_decide(actor=DECIDER, entry_id=entry.pk, remedy=REMEDY, now=DECIDED_AT)
    _refused(
        lambda: services.list_entry_publish(actor=OUTSIDER, entry_id=entry.pk, now=PUBLISHED_AT),
        "list_entry.wrong_unit",
        403,
    )
    services.list_entry_publish(actor=DECIDER, entry_id=entry.pk, now=PUBLISHED_AT)
    _refused(
        lambda: services.list_entry_exit(
            actor=OUTSIDER, entry_id=entry.pk, reason_code="court", reason="x", now=LATER
        ),
        "list_entry.wrong_unit",
        403,
    )


@pytest.mark.parametrize(
    "actor",
    [
        Actor.anonymous(),
        Actor(label="token:inst0001", unit_code="bj-gongshangju", roles=frozenset({"institution"})),
        Actor(label="token:nounit01", roles=frozenset({"data_officer"})),
    ],
)
def test_only_officers_of_a_unit_or_reviewers_propose(company, penalty, actor):
    error = _refused(lambda: propose(company, [penalty], actor=actor), "list_entry.propose_not_allowed", 403)
    assert error.message == "只有单位的数据报送员、业务经办员或信用办审核员可以提议列入名单"
    assert ListEntry.objects.count() == 0


# ── proposals ───────────────────────────────────────────────────────────────────────────────────────────


def test_one_open_entry_per_list_and_subject(company, penalty):
    first = propose(company, [penalty])
    error = _refused(lambda: propose(company, [penalty]), "list_entry.duplicate", 409)
    assert (
        error.message == f"该主体在市场监督管理严重违法失信名单上已有未结束的名单条目（{first.pk}，已提议）"
    )
    assert error.extra == {"entry_id": first.pk}
    with violates(ListEntry, "list_entry_one_open_per_list"):  # the database holds the line too
        ListEntry.objects.create(
            list_type=first.list_type, subject=company, legal_basis="x", reasons="x",
            proposing_unit=first.proposing_unit, proposed_by="token:x", proposed_at=PROPOSED_AT,
        )  # fmt: skip
    assert propose(company, [penalty], list_type="zdgz").state == "proposed"  # another list is fine
    services.list_entry_review(
        actor=REVIEWER, entry_id=first.pk, approve=False, reason="依据不足", now=APPROVED_AT
    )
    assert propose(company, [penalty]).state == "proposed"  # a closed entry does not block a new one


def test_basis_records_must_be_current_records_of_the_subject(company, penalty):
    receive(
        [
            cf_row(
                CF_WSH="别家",
                CF_JDRQ="2025-09-01",
                CF_XDR_MC="北京另一家科技有限公司",
                CF_XDR_SHXYM=OTHER_COMPANY,
            )
        ],
        key="other",
    )
    other = Record.objects.get(doc_no="别家")
    error = _refused(
        lambda: propose(company, [penalty, Record(pk=999999), other]), "list_entry.basis_invalid", 400
    )
    assert error.errors == [
        {"field": "basis_record_ids", "code": "record_not_found", "message": "信息 999999 不存在"},
        {
            "field": "basis_record_ids",
            "code": "record_other_subject",
            "message": f"信息 {other.pk} 不是该主体的信息",
        },
    ]
    record_withdraw(
        actor=Actor(label="token:gsj", unit_code="bj-gongshangju", roles=frozenset({"data_officer"})),
        record_id=penalty.pk,
        reason="决定已撤销",
        now=PROPOSED_AT,
    )
    error = _refused(lambda: propose(company, [penalty]), "list_entry.basis_invalid", 400)
    assert error.message == f"依据信息有误：信息 {penalty.pk} 不是现行有效的版本（已撤回、更正或修复）"
    _refused(lambda: propose(company, []), "list_entry.basis_record_ids_required", 400)


def test_legal_basis_and_reasons_are_required_and_list_types_must_be_active(company, penalty):
    def call(**kw):
        args = {"legal_basis": "依据", "reasons": "理由", "list_type": "scjg-yzsx", **kw}
        return services.list_entry_propose(
            actor=PROPOSER, subject=company, basis_record_ids=[penalty.pk], now=PROPOSED_AT, **args
        )

    assert (
        _refused(lambda: call(legal_basis=" "), "list_entry.legal_basis_required", 400).errors[0]["field"]
        == "legal_basis"
    )
    _refused(lambda: call(reasons=""), "list_entry.reasons_required", 400)
    _refused(lambda: call(list_type="no-such-list"), "list_type.not_found", 404)
    ListType.objects.filter(code="scjg-yzsx").update(active=False)
    assert (
        _refused(lambda: call(), "list_type.inactive", 409).message
        == "名单类型“市场监督管理严重违法失信名单”已停用，不能再提议列入"
    )
