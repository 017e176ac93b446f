"""Red lists are dynamic (a black-list entry or a serious negative record ends them), the expiry sweep
(catch-up, idempotent), and the selectors the checks use."""

import datetime as dt

import pytest

from tests.support.lists import (
    DECIDER,
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
from tests.support.records import cf_row, xk_row
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.models import OutboxEvent
from xinyong.core.outbox import outbox_process
from xinyong.intake.models import Submission
from xinyong.lists import selectors, services
from xinyong.lists.events import red_entries_end_on_serious_record
from xinyong.lists.models import ListEntry
from xinyong.records.models import Record
from xinyong.subjects.identifiers import uscc_make
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
CLEAN = uscc_make("9111010500054321")
CLEAN_NAME = "北京清源环保科技有限公司"
CZJ = Actor(label="token:czj00002", unit_code="bj-caizhengju", roles=frozenset({"case_officer"}))


@pytest.fixture
def clean(lists_reference) -> Subject:
    """A company with a licence only: fit for a red list."""
    row = xk_row(
        XK_WSH="京工商许字〔2025〕第7号", XK_JDRQ="2025-06-02", XK_YXQZ="2025-06-02", XK_YXQZI="2030-06-01"
    )
    receive([{**row, "XK_XDR_MC": CLEAN_NAME, "XK_XDR_SHXYM": CLEAN}], category="XK", key="licence")
    return Subject.objects.get(uscc=CLEAN)


def _red(subject, list_type="cxdx-hmd", to="published") -> ListEntry:
    basis = Record.objects.filter(subject=subject, category__code="XK")
    return walk(propose(subject, basis, list_type=list_type), to, decider=REVIEWER_2)


def _penalty(subject, doc_no, severity=None, key=None) -> Record:
    row = cf_row(CF_WSH=doc_no, CF_JDRQ="2025-10-30", CF_XDR_MC=subject.name, CF_XDR_SHXYM=subject.uscc)
    if severity:
        row["XY_YZCD"] = severity
    receive([row], key=key or doc_no, now=bj(2025, 11, 3, 9))
    return Record.objects.get(doc_no=doc_no)


def _black(subject, basis) -> ListEntry:
    """A market-regulation black-list entry walked in November 2025."""
    entry = propose(subject, [basis], now=bj(2025, 11, 3, 10))
    services.list_entry_review(
        actor=REVIEWER, entry_id=entry.pk, approve=True, reason="", now=bj(2025, 11, 4, 9)
    )
    services.list_entry_decide(actor=DECIDER, entry_id=entry.pk, remedy=REMEDY, now=bj(2025, 11, 12, 9))
    return services.list_entry_publish(actor=DECIDER, entry_id=entry.pk, now=bj(2025, 11, 13, 9))


def test_publishing_a_black_entry_ends_the_subjects_published_red_entries(clean):
    red = _red(clean)
    pending = _red(clean, list_type="nsxy-a", to="decided")  # not published: not ended, but blocked later
    general = _penalty(clean, "京工商罚字〔2025〕第201号")  # a general penalty leaves red lists alone
    assert ListEntry.objects.get(pk=red.pk).state == "published"
    assert not OutboxEvent.objects.filter(topic="records.serious_negative").exists()
    OutboxEvent.objects.all().delete()

    black = _black(clean, general)
    red = ListEntry.objects.get(pk=red.pk)
    assert (red.state, red.exit_reason, red.exited_at, red.version) == (
        "exited",
        "superseded",
        bj(2025, 11, 13, 9),
        5,
    )
    last = red.transitions.last()
    assert (last.action, last.actor, last.reason) == (
        "exit",
        "token:gsj00002",
        f"主体被列入市场监督管理严重违法失信名单（名单条目 {black.pk}），依规移出红名单",
    )
    assert [(e.topic, e.payload) for e in OutboxEvent.objects.order_by("pk")] == [
        (
            "list_entry.published",
            {
                "entry_id": black.pk,
                "event": "published",
                "list_type": "scjg-yzsx",
                "subject_id": clean.pk,
                "reason": "",
            },
        ),
        (
            "list_entry.exited",
            {
                "entry_id": red.pk,
                "event": "exited",
                "list_type": "cxdx-hmd",
                "subject_id": clean.pk,
                "reason": "superseded",
            },
        ),
    ]
    assert ListEntry.objects.get(pk=pending.pk).state == "decided"


def test_a_red_entry_cannot_be_published_for_a_black_listed_subject(clean):
    red = _red(clean, to="decided")
    black = _black(clean, _penalty(clean, "京工商罚字〔2025〕第202号"))
    with pytest.raises(DomainError) as caught:
        services.list_entry_publish(actor=REVIEWER_2, entry_id=red.pk, now=bj(2025, 11, 14, 9))
    assert (caught.value.code, caught.value.status, caught.value.message) == (
        "list_entry.red_blocked",
        409,
        f"该主体已被列入市场监督管理严重违法失信名单（名单条目 {black.pk}），不能列入红名单",
    )
    assert ListEntry.objects.get(pk=red.pk).state == "decided"


def test_a_subject_with_a_serious_record_cannot_be_proposed_for_a_red_list(company, penalty):
    with pytest.raises(DomainError) as caught:
        propose(company, [penalty], list_type="cxdx-hmd")
    assert (caught.value.code, caught.value.message) == (
        "list_entry.red_blocked",
        "该主体有严重失信信息（行政处罚信息 京工商罚字〔2025〕第88号），不能列入红名单",
    )


def test_red_entries_end_for_subjects_is_idempotent_and_cheap(clean, company, django_assert_num_queries):
    red = _red(clean)
    ended = services.red_entries_end_for_subjects(
        actor=Actor.system(),
        subject_ids=[company.pk, clean.pk, 424242],
        reason="新增严重失信信息",
        now=bj(2025, 12, 1, 9),
    )
    assert ended == 1
    red = ListEntry.objects.get(pk=red.pk)
    assert (red.state, red.exit_reason, red.transitions.last().reason) == (
        "exited",
        "superseded",
        "新增严重失信信息",
    )
    with django_assert_num_queries(1):
        again = services.red_entries_end_for_subjects(
            actor=Actor.system(),
            subject_ids=[clean.pk, company.pk],
            reason="新增严重失信信息",
            now=bj(2025, 12, 2, 9),
        )
    assert again == 0
    with pytest.raises(DomainError) as caught:
        services.red_entries_end_for_subjects(
            actor=Actor.system(), subject_ids=[clean.pk], reason=" ", now=bj(2025, 12, 2, 9)
        )
    assert caught.value.code == "list_entry.reason_required"


def test_a_serious_record_ends_red_entries_through_the_outbox(clean):
    red = _red(clean)
    _penalty(clean, "京工商罚字〔2025〕第203号", severity="严重", key="serious")
    event = OutboxEvent.objects.get(topic="records.serious_negative")
    assert event.payload["subject_ids"] == [clean.pk]
    OutboxEvent.objects.exclude(pk=event.pk).update(processed_at=bj(2025, 11, 3, 9))  # other topics: not ours

    assert outbox_process(now=bj(2025, 11, 3, 9, 5)) == 1  # the configured handler is events.red_entries_…
    red = ListEntry.objects.get(pk=red.pk)
    submission = Submission.objects.get(idempotency_key="serious")
    assert (red.state, red.exit_reason) == ("exited", "superseded")
    assert (
        red.transitions.last().reason == f"主体新增严重失信信息（归集批次 {submission.pk}），依规移出红名单"
    )
    assert red.transitions.last().actor == "system:outbox"
    red_entries_end_on_serious_record(payload=event.payload, now=bj(2025, 11, 3, 10))  # redelivered: nothing
    assert ListEntry.objects.get(pk=red.pk).version == 5


# ── the expiry sweep ────────────────────────────────────────────────────────────────────────────────────


def test_the_sweep_catches_up_in_expiry_order_and_is_idempotent(company, penalty):
    long = entry_in("published", company, [penalty])  # 36 months: on the list through 2028-10-14
    short = propose(company, [penalty], list_type="zfcg-blxw")
    walk(short, "notice_sent")
    services.list_entry_decide(
        actor=CZJ, entry_id=short.pk, remedy=REMEDY, duration_months=12, now=bj(2025, 10, 14, 9)
    )
    short = services.list_entry_publish(actor=CZJ, entry_id=short.pk, now=PUBLISHED_AT)
    assert (long.expires_on, short.expires_on) == (dt.date(2028, 10, 14), dt.date(2026, 10, 14))
    sweeper = Actor(label="system:list_sweep", roles=frozenset({"admin"}))

    assert services.list_entries_expire(actor=sweeper, now=bj(2026, 10, 14, 23, 59)) == 0  # its last day
    OutboxEvent.objects.all().delete()
    assert services.list_entries_expire(actor=sweeper, now=bj(2029, 1, 2, 1)) == 2  # months late: catches up
    assert services.list_entries_expire(actor=sweeper, now=bj(2029, 1, 2, 2)) == 0

    exits = [
        (e.pk, e.state, e.exit_reason, e.transitions.last().actor, e.transitions.last().reason)
        for e in ListEntry.objects.order_by("expires_on")
    ]
    assert exits == [
        (
            short.pk,
            "exited",
            "expiry",
            "system:list_sweep",
            "名单期限届满（在名单上的最后一日为 2026-10-14），到期移出",
        ),
        (
            long.pk,
            "exited",
            "expiry",
            "system:list_sweep",
            "名单期限届满（在名单上的最后一日为 2028-10-14），到期移出",
        ),
    ]
    assert [
        (e.topic, e.payload["entry_id"], e.payload["reason"]) for e in OutboxEvent.objects.order_by("pk")
    ] == [
        ("list_entry.exited", short.pk, "expiry"),
        ("list_entry.exited", long.pk, "expiry"),
    ]


def test_every_exit_path_goes_through_the_list_exit_rule(company, penalty):
    """Issue 17: one exit service. A consequence (sweep, red-list end, repaired record) leaves an entry the
    rule does not let go as it is; an officer is refused with the rule's reason and never gives `superseded`."""
    black = entry_in("published", company, [penalty])  # earliest exit 2026-10-14, last day 2028-10-14
    sweeper = Actor(label="system:list_sweep", roles=frozenset({"admin"}))

    def consequence(code, now):
        return services.list_entry_exit(
            actor=sweeper, entry_id=black.pk, reason_code=code, reason="测试", now=now, consequence=True
        )

    assert consequence("superseded", bj(2026, 1, 5, 9)) is None  # not a red list
    assert consequence("expiry", bj(2028, 10, 14, 23)) is None  # its last day
    assert consequence("repair", bj(2026, 10, 13, 9)) is None  # before the earliest exit
    with pytest.raises(DomainError) as caught:
        services.list_entry_exit(
            actor=DECIDER, entry_id=black.pk, reason_code="repair", reason="修复", now=bj(2026, 10, 13, 9)
        )
    assert caught.value.code == "list_entry.earliest_exit_not_reached"
    with pytest.raises(DomainError) as caught:
        services.list_entry_exit(
            actor=DECIDER, entry_id=black.pk, reason_code="superseded", reason="测试", now=bj(2026, 1, 5, 9)
        )
    assert caught.value.code == "list_entry.exit_reason_invalid"
    assert ListEntry.objects.get(pk=black.pk).state == "published"
    exited = consequence("repair", bj(2026, 10, 14, 9))
    assert (exited.state, exited.exit_reason, exited.transitions.last().actor) == (
        "exited",
        "repair",
        "system:list_sweep",
    )
    assert consequence("revocation", bj(2026, 10, 15, 9)) is None  # exited already: nothing


# ── selectors ───────────────────────────────────────────────────────────────────────────────────────────


def test_entries_for_subjects_in_one_query_and_past_expiry_left_out(
    company, penalty, clean, django_assert_num_queries
):
    black = entry_in("published", company, [penalty])
    red = _red(clean, to="decided")
    with django_assert_num_queries(1):
        found = selectors.list_entries_for_subjects(subject_ids=[company.pk, clean.pk, 424242])
        codes = {sid: [e.list_type.code for e in entries] for sid, entries in found.items()}
    assert codes == {company.pk: ["scjg-yzsx"]}
    both = selectors.list_entries_for_subjects(
        subject_ids=[company.pk, clean.pk], states=("published", "decided")
    )
    assert {sid: [e.pk for e in entries] for sid, entries in both.items()} == {
        company.pk: [black.pk],
        clean.pk: [red.pk],
    }
    assert selectors.list_entries_for_subjects(subject_ids=[company.pk], on=dt.date(2028, 10, 14)) != {}
    assert selectors.list_entries_for_subjects(subject_ids=[company.pk], on=dt.date(2028, 10, 15)) == {}


def test_overdue_statements_are_the_deciders_to_do_list(company, penalty, clean):
    waiting = entry_in("notice_sent", company, [penalty])
    assert list(selectors.list_entries_overdue_statements(now=bj(2025, 10, 13, 23, 59, 59))) == []
    assert list(selectors.list_entries_overdue_statements(now=bj(2025, 10, 14, 0, 0))) == [waiting]
    services.list_entry_decide(actor=DECIDER, entry_id=waiting.pk, remedy=REMEDY, now=bj(2025, 10, 14, 9))
    assert list(selectors.list_entries_overdue_statements(now=bj(2025, 10, 15, 0, 0))) == []
