"""The entry state machine through its services: every transition with its history, audit event and letters,
and every refusal (invalid transition from each state, four eyes, wrong unit, deadlines, earliest exit)."""

import datetime as dt

import pytest

from tests.support.constraints import violates
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
    receive,
    walk,
)
from tests.support.records import cf_row
from xinyong.accounts.access import subject_account_link
from xinyong.accounts.models import User
from xinyong.audit.models import AuditEvent
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.models import OutboxEvent
from xinyong.lists import services
from xinyong.lists.models import TRANSITIONS, EntryState, ListEntry, ListEntryStatement, ListType, Notice
from xinyong.lists.services.machine import ACTION_LABELS
from xinyong.records.models import Record
from xinyong.records.services import record_withdraw
from xinyong.subjects.identifiers import uscc_make

pytestmark = pytest.mark.django_db
UTC = dt.UTC
OTHER_COMPANY = uscc_make("9111010500054321")


def _refused(call, code: str, status: int) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    assert (caught.value.code, caught.value.status) == (code, status), caught.value
    return caught.value


def _subject_actor(subject, username="huaxin") -> Actor:
    """The subject's own account (a verified SubjectAccount), as the API would build its actor."""
    user = User.objects.create_user(username=username, password="x-strong-password-1")
    subject_account_link(actor=REVIEWER, user=user, subject_id=subject.pk, now=PROPOSED_AT)
    return Actor(label=f"user:{user.pk}", roles=frozenset({"subject"}), user_id=user.pk)


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

LATER = bj(2026, 12, 1, 9)
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


# ── the statement period ────────────────────────────────────────────────────────────────────────────────


def test_statement_deadline_across_national_day_2025(company, penalty):
    """Approved Mon 2025-09-29: 09-30 is working day 1, 10-01…10-08 are the holiday, 10-09 and 10-10 are 2
    and 3, Saturday 10-11 is a worked day (4), Monday 10-13 is the fifth: the period ends 23:59:59 that day."""
    entry = walk(propose(company, [penalty]), "notice_sent")
    assert entry.statement_deadline == dt.datetime(2025, 10, 13, 15, 59, 59, tzinfo=UTC)
    assert (
        entry.statement_deadline.astimezone(bj(2025, 1, 1).tzinfo).isoformat() == "2025-10-13T23:59:59+08:00"
    )
    assert Notice.objects.get(entry=entry).deadline == entry.statement_deadline


def test_statement_deadline_across_spring_festival_2026(company, penalty):
    """Approved Fri 2026-02-13 on the court list (3 working days): Saturday 02-14 is worked (1), 02-15…02-23 is
    the Spring Festival holiday, 02-24 is 2, 02-25 is 3."""
    receive(
        [cf_row(CF_WSH="京工商罚字〔2026〕第1号", CF_JDRQ="2026-02-02")], key="p2", now=bj(2026, 2, 10, 9)
    )
    basis = Record.objects.get(doc_no="京工商罚字〔2026〕第1号")
    entry = propose(company, [basis], list_type="fy-sxbzx", now=bj(2026, 2, 11, 9))
    entry = services.list_entry_review(
        actor=REVIEWER, entry_id=entry.pk, approve=True, reason="", now=bj(2026, 2, 13, 17)
    )
    assert (entry.statement_deadline, entry.statement_deadline_provisional) == (
        bj(2026, 2, 25, 23, 59, 59),
        False,
    )


def test_a_deadline_in_a_year_without_schedule_is_provisional_and_says_so(company, penalty):
    """Approved Mon 2026-12-28 on the key-attention list (10 working days): 2027 has no loaded schedule, so the
    count is weekends-only (01-01 counts) — 12-29, 30, 31, 01-01, 01-04…01-08, 01-11 — and flagged."""
    entry = propose(company, [penalty], list_type="zdgz", now=bj(2026, 12, 21, 9))
    entry = services.list_entry_review(
        actor=REVIEWER, entry_id=entry.pk, approve=True, reason="", now=bj(2026, 12, 28, 9)
    )
    assert (entry.statement_deadline, entry.statement_deadline_provisional) == (
        bj(2027, 1, 11, 23, 59, 59),
        True,
    )
    notice = Notice.objects.get(entry=entry)
    assert notice.content["note"].startswith("注：期限所涉年份的节假日安排尚未公布")
    assert AuditEvent.objects.get(action="list_entry.approve").payload["provisional_years"] == [2027]


def test_statements_only_in_the_period_and_before_the_deadline(company, penalty):
    entry = propose(company, [penalty])
    subject = _subject_actor(company)
    error = _refused(
        lambda: services.list_entry_statement(actor=subject, entry_id=entry.pk, text="说明", now=PROPOSED_AT),
        "list_entry.statement_not_open",
        409,
    )
    assert error.message == f"名单条目 {entry.pk} 当前状态为“已提议”，不在陈述申辩期内"
    walk(entry, "notice_sent")
    at_deadline = services.list_entry_statement(
        actor=subject, entry_id=entry.pk, text="最后一刻的陈述", now=DEADLINE
    )
    assert at_deadline.text == "最后一刻的陈述"
    error = _refused(
        lambda: services.list_entry_statement(
            actor=subject, entry_id=entry.pk, text="迟到的陈述", now=DEADLINE + dt.timedelta(seconds=1)
        ),
        "list_entry.statement_deadline_passed",
        409,
    )
    assert error.message == "陈述申辩期已于 2025年10月13日23时59分59秒（北京时间） 届满"
    assert ListEntryStatement.objects.count() == 1
    assert ListEntry.objects.get(pk=entry.pk).statement == "最后一刻的陈述"


def test_who_may_state_and_officers_record_written_statements(company, penalty):
    entry = walk(propose(company, [penalty]), "notice_sent")
    stranger = Actor(label="user:999", roles=frozenset({"subject"}), user_id=999)  # no subject account
    _refused(
        lambda: services.list_entry_statement(
            actor=stranger, entry_id=entry.pk, text="x", now=bj(2025, 10, 9, 9)
        ),
        "list_entry.statement_not_allowed",
        403,
    )
    _refused(
        lambda: services.list_entry_statement(
            actor=OUTSIDER, entry_id=entry.pk, text="x", now=bj(2025, 10, 9, 9)
        ),
        "list_entry.statement_not_allowed",
        403,
    )
    _refused(
        lambda: services.list_entry_statement(
            actor=PROPOSER, entry_id=entry.pk, text=" ", now=bj(2025, 10, 9, 9)
        ),
        "list_entry.text_required",
        400,
    )
    written = services.list_entry_statement(
        actor=PROPOSER, entry_id=entry.pk, text="当事人书面陈述：已整改", now=bj(2025, 10, 9, 9)
    )
    assert (written.on_behalf, written.unit_code, written.kind) == (True, "bj-gongshangju", "statement")
    _refused(
        lambda: services.list_entry_statement(
            actor=PROPOSER, entry_id=entry.pk, text="x", kind="chat", now=bj(2025, 10, 9, 9)
        ),
        "list_entry.statement_kind_invalid",
        400,
    )


def test_decision_waits_for_the_deadline_unless_the_subject_waives(company, penalty):
    entry = walk(propose(company, [penalty]), "notice_sent")
    error = _refused(
        lambda: services.list_entry_decide(actor=DECIDER, entry_id=entry.pk, remedy=REMEDY, now=DEADLINE),
        "list_entry.statement_period_open",
        409,
    )
    assert (
        error.message
        == "陈述申辩期至 2025年10月13日23时59分59秒（北京时间） 届满，届满前（当事人放弃的除外）不能作出决定"
    )
    assert error.extra == {"statement_deadline": "2025-10-13T23:59:59+08:00"}
    subject = _subject_actor(company)
    waiver = services.list_entry_statement(
        actor=subject, entry_id=entry.pk, text="", waive=True, now=bj(2025, 10, 9, 9)
    )
    assert (waiver.kind, ListEntry.objects.get(pk=entry.pk).statement_waived) == ("waiver", True)
    _refused(
        lambda: services.list_entry_statement(
            actor=subject, entry_id=entry.pk, text="补充", now=bj(2025, 10, 9, 10)
        ),
        "list_entry.statement_waived",
        409,
    )
    entry = services.list_entry_decide(
        actor=DECIDER, entry_id=entry.pk, remedy=REMEDY, now=bj(2025, 10, 9, 11)
    )
    assert entry.state == "decided"
    assert (
        "三、陈述、申辩的采纳情况\n你（单位）已声明放弃陈述、申辩。"
        in Notice.objects.get(kind="decision").body
    )


def test_decision_needs_a_remedy_and_an_answer_to_statements(company, penalty):
    entry = walk(propose(company, [penalty]), "notice_sent")
    services.list_entry_statement(actor=DECIDER, entry_id=entry.pk, text="书面申辩", now=bj(2025, 10, 9, 9))
    _refused(
        lambda: services.list_entry_decide(actor=DECIDER, entry_id=entry.pk, remedy=" ", now=DECIDED_AT),
        "list_entry.remedy_required",
        400,
    )
    error = _refused(
        lambda: services.list_entry_decide(actor=DECIDER, entry_id=entry.pk, remedy=REMEDY, now=DECIDED_AT),
        "list_entry.reason_required",
        400,
    )
    assert error.message == "当事人提出了陈述、申辩或异议，作出决定须说明采纳情况"
    entry = services.list_entry_decide(
        actor=DECIDER, entry_id=entry.pk, remedy=REMEDY, reason="申辩理由不成立", now=DECIDED_AT
    )
    assert entry.state == "decided"


def test_the_decision_may_shorten_the_term_within_the_list_types(company, penalty):
    """政府采购: a ban of one to three years; the decision sets it (here 12 months)."""
    officer = Actor(label="token:czj00002", unit_code="bj-caizhengju", roles=frozenset({"case_officer"}))
    entry = walk(propose(company, [penalty], list_type="zfcg-blxw"), "notice_sent")
    _refused(
        lambda: services.list_entry_decide(
            actor=officer, entry_id=entry.pk, remedy=REMEDY, duration_months=48, now=DECIDED_AT
        ),
        "list_entry.duration_invalid",
        400,
    )
    services.list_entry_decide(
        actor=officer, entry_id=entry.pk, remedy=REMEDY, duration_months=12, now=DECIDED_AT
    )
    entry = services.list_entry_publish(actor=officer, entry_id=entry.pk, now=PUBLISHED_AT)
    assert (entry.duration_months, entry.expires_on, entry.earliest_exit_on) == (
        12,
        dt.date(2026, 10, 14),
        dt.date(2025, 10, 14),
    )


# ── exits ───────────────────────────────────────────────────────────────────────────────────────────────


def test_repair_exit_waits_for_the_earliest_exit_date(company, penalty):
    entry = entry_in("published", company, [penalty])  # decided 2025-10-14; early exit after 12 months
    error = _refused(
        lambda: services.list_entry_exit(
            actor=DECIDER,
            entry_id=entry.pk,
            reason_code="repair",
            reason="信用修复",
            now=bj(2026, 10, 13, 23, 59),
        ),
        "list_entry.earliest_exit_not_reached",
        409,
    )
    assert error.message == "市场监督管理严重违法失信名单须列入满 12 个月方可提前移出（最早 2026-10-14）"
    assert error.extra == {"earliest_exit_on": "2026-10-14"}
    entry = services.list_entry_exit(
        actor=DECIDER,
        entry_id=entry.pk,
        reason_code="repair",
        reason="信用修复申请已批准",
        now=bj(2026, 10, 14, 0, 1),
    )
    assert (entry.state, entry.exit_reason) == ("exited", "repair")


def test_exit_refusals_not_repairable_not_expired_unknown_reason(company, penalty):
    officer = Actor(label="token:czj00002", unit_code="bj-caizhengju", roles=frozenset({"case_officer"}))
    entry = walk(propose(company, [penalty], list_type="zfcg-blxw"), "published", decider=officer)

    def exit_(code, at=LATER):
        return services.list_entry_exit(
            actor=officer, entry_id=entry.pk, reason_code=code, reason="理由", now=at
        )

    assert (
        _refused(lambda: exit_("repair"), "list_entry.not_repairable", 409).message
        == "政府采购严重违法失信行为记录名单不适用信用修复提前移出"
    )
    error = _refused(lambda: exit_("expiry"), "list_entry.not_expired", 409)
    assert error.message == f"名单条目 {entry.pk} 尚未期满（在名单上的最后一日为 2028-10-14）"
    assert _refused(lambda: exit_("superseded"), "list_entry.exit_reason_invalid", 400).message == (
        "移出原因只能是 expiry（期满）、repair（信用修复）、revocation（撤销）、court（法院裁判），实为 superseded"
    )
    _refused(
        lambda: services.list_entry_exit(
            actor=officer, entry_id=entry.pk, reason_code="court", reason="", now=LATER
        ),
        "list_entry.reason_required",
        400,
    )
    assert exit_("expiry", at=bj(2028, 10, 15, 0, 0)).exit_reason == "expiry"


def test_unknown_entry_is_a_404(lists_reference):
    _refused(
        lambda: services.list_entry_publish(actor=DECIDER, entry_id=424242, now=LATER),
        "list_entry.not_found",
        404,
    )
