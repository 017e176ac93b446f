"""The entry state machine through its services: every transition with its history, audit event and letters,
and every invalid transition from each state. Four eyes, units and proposals: test_lifecycle_proposals.py;
statements, decision and exits: test_lifecycle_decision.py."""

import datetime as dt

import pytest

from tests.support.lists import (
    APPROVED_AT,
    DEADLINE,
    DECIDED_AT,
    DECIDER,
    OUTSIDER,
    PROPOSED_AT,
    PROPOSER,
    PUBLISHED_AT,
    REMEDY,
    REVIEWER,
    REVIEWER_2,
    bj,
    entry_in,
    propose,
)
from xinyong.audit.models import AuditEvent
from xinyong.core.models import OutboxEvent
from xinyong.lists import services
from xinyong.lists.models import TRANSITIONS, EntryState, ListEntry, Notice
from xinyong.lists.services.machine import ACTION_LABELS
from xinyong.lists.tests.lifecycle_cases import (
    LATER,
    _refused,
    _subject_actor,
)

pytestmark = pytest.mark.django_db


# ── the whole walk ──────────────────────────────────────────────────────────────────────────────────────


def test_walk_every_transition_with_history_audit_letters_and_outbox(company, penalty):
    entry = propose(company, [penalty])
    assert (entry.state, entry.version, entry.proposing_unit.code) == ("proposed", 1, "bj-gongshangju")
    assert list(entry.basis_records.values_list("pk", flat=True)) == [penalty.pk]

    entry = services.list_entry_review(
        actor=REVIEWER, entry_id=entry.pk, approve=True, reason="依据充分", now=APPROVED_AT
    )
    assert (entry.state, entry.version, entry.reviewed_by) == ("notice_sent", 2, "user:71")
    assert (entry.statement_deadline, entry.statement_deadline_provisional) == (DEADLINE, False)

    subject = _subject_actor(company)
    statement = services.list_entry_statement(
        actor=subject,
        entry_id=entry.pk,
        text="处罚决定已申请行政复议",
        kind="objection",
        now=bj(2025, 10, 10, 16),
    )
    assert (statement.kind, statement.on_behalf, statement.recorded_by) == ("objection", False, subject.label)

    entry = services.list_entry_decide(
        actor=DECIDER, entry_id=entry.pk, remedy=REMEDY, reason="复议不停止执行，不予采纳", now=DECIDED_AT
    )
    assert (entry.state, entry.version, entry.decided_at, entry.duration_months) == (
        "decided",
        3,
        DECIDED_AT,
        36,
    )

    entry = services.list_entry_publish(actor=DECIDER, entry_id=entry.pk, now=PUBLISHED_AT)
    assert (entry.state, entry.version, entry.published_at) == ("published", 4, PUBLISHED_AT)
    assert (entry.expires_on, entry.earliest_exit_on) == (dt.date(2028, 10, 14), dt.date(2026, 10, 14))

    entry = services.list_entry_exit(
        actor=DECIDER,
        entry_id=entry.pk,
        reason_code="court",
        reason="法院判决撤销处罚决定",
        now=bj(2026, 3, 2, 9),
    )
    assert (entry.state, entry.version, entry.exit_reason, entry.exited_at) == (
        "exited",
        5,
        "court",
        bj(2026, 3, 2, 9),
    )

    rows = [
        (t.action, t.from_state, t.to_state, t.actor, t.unit_code, t.reason, t.at)
        for t in entry.transitions.all()
    ]
    assert rows == [
        (
            "propose",
            "",
            "proposed",
            "token:gsj00001",
            "bj-gongshangju",
            "在商品包装上作虚假宣传，受到从重罚款的较重行政处罚",
            PROPOSED_AT,
        ),
        ("approve", "proposed", "notice_sent", "user:71", "bj-jingxinwei", "依据充分", APPROVED_AT),
        (
            "decide",
            "notice_sent",
            "decided",
            "token:gsj00002",
            "bj-gongshangju",
            "复议不停止执行，不予采纳",
            DECIDED_AT,
        ),
        ("publish", "decided", "published", "token:gsj00002", "bj-gongshangju", "", PUBLISHED_AT),
        (
            "exit",
            "published",
            "exited",
            "token:gsj00002",
            "bj-gongshangju",
            "法院判决撤销处罚决定",
            bj(2026, 3, 2, 9),
        ),
    ]
    events = AuditEvent.objects.filter(target_type="list_entry", target_id=str(entry.pk)).order_by("seq")
    assert [
        (e.action, e.actor, e.payload.get("from"), e.payload.get("to"), e.payload.get("version"))
        for e in events
    ] == [
        ("list_entry.propose", "token:gsj00001", "", "proposed", 1),
        ("list_entry.approve", "user:71", "proposed", "notice_sent", 2),
        ("list_entry.statement", subject.label, None, None, None),
        ("list_entry.decide", "token:gsj00002", "notice_sent", "decided", 3),
        ("list_entry.publish", "token:gsj00002", "decided", "published", 4),
        ("list_entry.exit", "token:gsj00002", "published", "exited", 5),
    ]
    approve = events[1].payload
    assert (approve["statement_deadline"], approve["provisional_years"]) == ("2025-10-13T23:59:59+08:00", [])
    assert events[0].payload["basis_record_ids"] == [penalty.pk]

    notices = list(Notice.objects.filter(entry=entry).order_by("pk"))
    assert [(n.kind, n.title, n.deadline, n.sent_at) for n in notices] == [
        ("notice", "列入市场监督管理严重违法失信名单告知书", DEADLINE, APPROVED_AT),
        ("decision", "列入市场监督管理严重违法失信名单决定书", None, DECIDED_AT),
    ]
    assert "你（单位）可以在2025年10月13日23时59分59秒（北京时间）前" in notices[0].body
    assert "三、陈述、申辩的采纳情况\n复议不停止执行，不予采纳" in notices[1].body
    assert "在名单上至2028年10月14日止。" in notices[1].body

    outbox = [
        (e.topic, e.payload)
        for e in OutboxEvent.objects.filter(topic__startswith="list_entry.").order_by("pk")
    ]
    base = {"entry_id": entry.pk, "list_type": "scjg-yzsx", "subject_id": company.pk}
    assert outbox == [
        ("list_entry.published", {**base, "event": "published", "reason": ""}),
        ("list_entry.exited", {**base, "event": "exited", "reason": "court"}),
    ]
    assert OutboxEvent.objects.get(topic="list_entry.published").created_at == PUBLISHED_AT


def test_reject_needs_a_reason_and_ends_the_entry(company, penalty):
    entry = propose(company, [penalty])
    error = _refused(
        lambda: services.list_entry_review(
            actor=REVIEWER, entry_id=entry.pk, approve=False, reason="  ", now=APPROVED_AT
        ),
        "list_entry.reason_required",
        400,
    )
    assert error.message == "审核不通过须说明理由"
    entry = services.list_entry_review(
        actor=REVIEWER, entry_id=entry.pk, approve=False, reason="依据不足", now=APPROVED_AT
    )
    assert (entry.state, entry.reviewed_by, entry.statement_deadline) == ("rejected", "user:71", None)
    assert Notice.objects.count() == 0
    assert AuditEvent.objects.filter(action="list_entry.reject", reason="依据不足").count() == 1


@pytest.mark.parametrize("state", ["proposed", "notice_sent", "decided"])
def test_withdraw_from_every_open_state_before_publication(company, penalty, state):
    entry = entry_in(state, company, [penalty])
    entry = services.list_entry_withdraw(
        actor=PROPOSER, entry_id=entry.pk, reason="案件复查", now=bj(2025, 10, 20, 9)
    )
    assert (entry.state, entry.transitions.last().action, entry.transitions.last().from_state) == (
        "withdrawn",
        "withdraw",
        state,
    )
    _refused(
        lambda: services.list_entry_withdraw(
            actor=OUTSIDER, entry_id=entry.pk, reason="x", now=bj(2025, 10, 20, 9)
        ),
        "list_entry.wrong_unit",
        403,
    )


def test_withdraw_after_publication_is_refused(company, penalty):
    entry = entry_in("published", company, [penalty])
    error = _refused(
        lambda: services.list_entry_withdraw(
            actor=PROPOSER, entry_id=entry.pk, reason="案件复查", now=bj(2025, 10, 20, 9)
        ),
        "list_entry.invalid_transition",
        409,
    )
    assert error.message == f"名单条目 {entry.pk} 当前状态为“已公布”，不能撤回"
    assert error.extra == {"state": "published", "action": "withdraw"}
    assert ListEntry.objects.get(pk=entry.pk).version == 4


# ── invalid transitions from every state ────────────────────────────────────────────────────────────────

ACTIONS = {
    "approve": lambda e: services.list_entry_review(
        actor=REVIEWER_2, entry_id=e.pk, approve=True, reason="", now=LATER
    ),
    "reject": lambda e: services.list_entry_review(
        actor=REVIEWER_2, entry_id=e.pk, approve=False, reason="x", now=LATER
    ),
    "decide": lambda e: services.list_entry_decide(actor=DECIDER, entry_id=e.pk, remedy=REMEDY, now=LATER),
    "publish": lambda e: services.list_entry_publish(actor=DECIDER, entry_id=e.pk, now=LATER),
    "exit": lambda e: services.list_entry_exit(
        actor=DECIDER, entry_id=e.pk, reason_code="revocation", reason="x", now=LATER
    ),
    "withdraw": lambda e: services.list_entry_withdraw(actor=PROPOSER, entry_id=e.pk, reason="x", now=LATER),
}
REFUSED = {state: [a for a in ACTIONS if a not in TRANSITIONS[state]] for state in EntryState.values}


def test_the_refusal_table_covers_every_state_and_action():
    assert (
        sum(len(actions) for actions in REFUSED.values())
        == 6 * 7 - sum(len(m) for m in TRANSITIONS.values())
        == 34
    )
    assert REFUSED["published"] == ["approve", "reject", "decide", "publish", "withdraw"]
    assert REFUSED["exited"] == list(ACTIONS)


@pytest.mark.parametrize("state", EntryState.values)
def test_every_invalid_transition_from_each_state_is_refused_and_changes_nothing(company, penalty, state):
    """One entry per state; each action the table does not allow is refused with 409 and leaves no trace
    (state, version, history, audit)."""
    entry = entry_in(state, company, [penalty])
    label = dict(EntryState.choices)[state]
    before = (
        state,
        ListEntry.objects.get(pk=entry.pk).version,
        entry.transitions.count(),
        AuditEvent.objects.count(),
    )
    for action in REFUSED[state]:
        error = _refused(lambda action=action: ACTIONS[action](entry), "list_entry.invalid_transition", 409)
        assert error.extra == {"state": state, "action": action}
        assert error.message == f"名单条目 {entry.pk} 当前状态为“{label}”，不能{ACTION_LABELS[action]}"
        after = ListEntry.objects.get(pk=entry.pk)
        assert (
            after.state,
            after.version,
            after.transitions.count(),
            AuditEvent.objects.count(),
        ) == before, action
