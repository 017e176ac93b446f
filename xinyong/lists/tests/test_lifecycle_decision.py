"""The entry state machine: the statement period (deadlines across holidays, who may state), the decision
(deadline, remedy, term) and exits (earliest exit date, refusals)."""

import datetime as dt

import pytest

from tests.support.lists import (
    DEADLINE,
    DECIDED_AT,
    DECIDER,
    OUTSIDER,
    PROPOSED_AT,
    PROPOSER,
    PUBLISHED_AT,
    REMEDY,
    REVIEWER,
    bj,
    entry_in,
    propose,
    receive,
    walk,
)
from tests.support.records import cf_row
from xinyong.audit.models import AuditEvent
from xinyong.core.actor import Actor
from xinyong.lists import services
from xinyong.lists.models import ListEntry, ListEntryStatement, Notice
from xinyong.lists.tests.lifecycle_cases import (
    LATER,
    UTC,
    _refused,
    _subject_actor,
)
from xinyong.records.models import Record

pytestmark = pytest.mark.django_db


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
