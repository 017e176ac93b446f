"""Retention of natural persons' negative records (征信业管理条例第十六条, rule `retention.negative_personal`:
5 years from the end of the conduct, then deleted): the clock jumps across the exact boundary, the sweep
leaves no personal data, keeps tombstones only where another case points at a record, and the profile, the
report and the check show nothing of what it deleted."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from tests.support.records import PERSON, cf_row
from xinyong.accounts.models import Unit
from xinyong.audit.models import AuditEvent
from xinyong.audit.selectors import audit_chain_verify
from xinyong.catalog.models import Category
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict
from xinyong.core.timeutil import business_date
from xinyong.disclosure.profile import subject_profile
from xinyong.intake.services import SubmissionSource, submission_receive
from xinyong.lists.models import ListEntry, ListType
from xinyong.lists.services import list_types_load
from xinyong.pushes.models import Push
from xinyong.records.flags import record_current_locked
from xinyong.records.models import Record, RecordStatusChange
from xinyong.records.retention import REASON, RetentionResult, conduct_end, retention_sweep
from xinyong.records.services import records_sweep
from xinyong.records.shown import negative_summaries
from xinyong.reports.content import FULL, report_content
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db

UTC = dt.UTC
d = dt.date
SYSTEM = Actor(label="system:retention", roles=frozenset({"admin"}))
CASE_OFFICER = Actor(label="token:sw000001", unit_code="bj-shuiwuju", roles=frozenset({"case_officer"}))
# The conduct of P-ENDED and P-BASIS ended on 2020-06-30 (处罚有效期): kept through 2025-06-30 (Beijing).
LAST_KEPT = dt.datetime(2025, 6, 30, 15, 59, 59, tzinfo=UTC)  # 2025-06-30 23:59:59 Beijing
FIRST_ERASED = dt.datetime(2025, 6, 30, 16, 0, 0, tzinfo=UTC)  # 2025-07-01 00:00:00 Beijing
NAME = "王小明"


def person_cf(doc_no: str, **overrides) -> dict:
    return cf_row(
        CF_WSH=doc_no,
        CF_XDR_MC=NAME,
        CF_XDR_LB="自然人",
        CF_XDR_SHXYM=None,
        CF_FRDB=None,
        CF_XDR_ZJLX="身份证",
        CF_XDR_ZJHM=PERSON,
        **overrides,
    )


def _receive(rows: list[dict], key: str, now: dt.datetime, category: str = "CF") -> None:
    officer = Actor(label="token:gsj00001", unit_code="bj-gongshangju", roles=frozenset({"data_officer"}))
    submission_receive(
        actor=officer,
        unit=Unit.objects.get(code="bj-gongshangju"),
        category=Category.objects.get(code=category),
        rows=enumerate(rows),
        source=SubmissionSource(channel="api", idempotency_key=key, body_sha256=key),
        now=now,
    )


def _ids(doc_no: str) -> list[int]:
    return sorted(Record.objects.filter(doc_no=doc_no).values_list("id", flat=True))


@pytest.fixture
def history(reference):
    """A person's and a company's penalties of 2020 (expired in 2021), one corrected, one the basis of a list
    entry (another case, which keeps it as a tombstone); the person's long-term and recent penalties."""
    decided = {"CF_JDRQ": "2020-03-10", "CF_YXQ": "2020-06-30"}
    _receive(
        [
            person_cf("P-ENDED", **decided),
            person_cf("P-BASIS", **decided),
            person_cf("P-LONG", CF_JDRQ="2020-03-10", CF_YXQ="2099-12-31"),
            cf_row(CF_WSH="C-ENDED", **decided),
        ],
        "2020",
        dt.datetime(2020, 3, 12, 2, 0, tzinfo=UTC),
    )
    _receive(
        [person_cf("P-ENDED", CF_NR="罚款人民币一万元", CF_NR_FK="1", **decided)],
        "2020-fix",
        dt.datetime(2020, 3, 20, 2, 0, tzinfo=UTC),
    )
    records_sweep(actor=Actor.system(), now=dt.datetime(2021, 4, 1, 2, 0, tzinfo=UTC))
    _receive(
        [person_cf("P-RECENT", CF_JDRQ="2025-03-03", CF_YXQ="2025-06-30")],
        "2025",
        dt.datetime(2025, 3, 5, 2, 0, tzinfo=UTC),
    )
    list_types_load(actor=Actor.system(), now=dt.datetime(2026, 1, 5, 2, 0, tzinfo=UTC))
    person = Subject.objects.get(kind="natural_person")
    entry = ListEntry.objects.create(
        list_type=ListType.objects.order_by("code").first(),
        subject=person,
        state="rejected",
        legal_basis="测试依据",
        reasons="测试理由",
        proposing_unit=Unit.objects.get(code="bj-gongshangju"),
        proposed_by="token:gsj00001",
        proposed_at=dt.datetime(2020, 4, 1, 2, 0, tzinfo=UTC),
    )
    entry.basis_records.add(Record.objects.get(doc_no="P-BASIS"))
    return person


def _government_docs(person: Subject, now: dt.datetime) -> list[str]:
    profile = subject_profile(
        actor=CASE_OFFICER, subject=person, now=now, purpose="纳税信用评价", case_number="京税查〔2025〕1号"
    )
    return sorted(r["doc_no"] for c in profile["categories"] for r in c["records"])


def test_the_clock_jumps_across_the_five_year_boundary(history):
    ended_versions, basis = _ids("P-ENDED"), _ids("P-BASIS")
    assert len(ended_versions) == 2
    assert RecordStatusChange.objects.filter(record_id__in=ended_versions + basis).count() == 3
    assert retention_sweep(actor=SYSTEM, now=LAST_KEPT) == RetentionResult(d(2025, 6, 30), 0, 0, 0)
    assert not AuditEvent.objects.filter(action="record.erase").exists()
    assert _government_docs(history, LAST_KEPT) == ["P-BASIS", "P-ENDED", "P-LONG", "P-RECENT"]

    assert retention_sweep(actor=SYSTEM, now=FIRST_ERASED) == RetentionResult(d(2025, 7, 1), 2, 2, 1)

    assert Record.objects.filter(pk__in=ended_versions).count() == 0
    assert RecordStatusChange.objects.filter(record_id__in=ended_versions + basis).count() == 0
    tombstone = Record.objects.get(pk=basis[0])
    assert (
        tombstone.status,
        tombstone.is_current,
        tombstone.payload,
        tombstone.protected,
        tombstone.subject_name,
        tombstone.doc_no,
        tombstone.severity,
        tombstone.publish_from,
        tombstone.publish_max_end,
        tombstone.rule_key,
        tombstone.supersedes_id,
    ) == ("erased", False, {}, {}, "", "", "", None, None, "", None)
    assert list(ListEntry.objects.get().basis_records.values_list("id", flat=True)) == basis
    assert sorted(Record.objects.values_list("doc_no", flat=True)) == ["", "C-ENDED", "P-LONG", "P-RECENT"]

    events = AuditEvent.objects.filter(action="record.erase").order_by("seq")  # in order of current id
    assert [(e.target_type, e.target_id, e.reason, e.actor, e.payload) for e in events] == [
        (
            "record",
            str(basis[0]),
            REASON,
            "system:retention",
            {
                "category": "CF",
                "unit": "bj-gongshangju",
                "deleted": [],
                "tombstoned": basis,
                "rule": "retention.negative_personal",
            },
        ),
        (
            "record",
            str(ended_versions[1]),
            REASON,
            "system:retention",
            {
                "category": "CF",
                "unit": "bj-gongshangju",
                "deleted": ended_versions,
                "tombstoned": [],
                "rule": "retention.negative_personal",
            },
        ),
    ]
    text = json.dumps([e.payload for e in events] + [e.reason for e in events], ensure_ascii=False)
    for personal in (NAME, PERSON, PERSON[-4:], "P-ENDED", "P-BASIS", "2020-06-30", "2020-03-10"):
        assert personal not in text
    assert audit_chain_verify().ok

    # run again, and again a year later: nothing more, no second event
    assert retention_sweep(actor=SYSTEM, now=FIRST_ERASED) == RetentionResult(d(2025, 7, 1), 0, 0, 0)
    later = dt.datetime(2026, 7, 1, 2, 0, tzinfo=UTC)
    assert retention_sweep(actor=SYSTEM, now=later) == RetentionResult(d(2026, 7, 1), 0, 0, 0)
    assert AuditEvent.objects.filter(action="record.erase").count() == 2


def test_legal_entities_long_term_and_recent_records_are_untouched(history):
    before = {
        r.doc_no: (r.pk, r.payload, r.protected, r.status)
        for r in Record.objects.filter(doc_no__in=["C-ENDED", "P-LONG", "P-RECENT"])
    }
    in_2031 = dt.datetime(2031, 1, 1, 2, 0, tzinfo=UTC)
    records_sweep(actor=Actor.system(), now=in_2031)  # P-RECENT's publication ended 2026-03-03
    retention_sweep(actor=SYSTEM, now=in_2031)
    after = {
        r.doc_no: (r.pk, r.payload, r.protected, r.status)
        for r in Record.objects.filter(doc_no__in=["C-ENDED", "P-LONG"])
    }
    assert after == {k: before[k] for k in ("C-ENDED", "P-LONG")}
    assert before["P-LONG"][1]["CF_YXQ"] == "2099-12-31" and before["P-LONG"][2]  # still encrypted
    assert not Record.objects.filter(doc_no="P-RECENT").exists()  # ended 2025-06-30: gone from 2030-07-01


def test_profile_report_and_check_show_nothing_that_was_deleted(history):
    retention_sweep(actor=SYSTEM, now=FIRST_ERASED)
    assert _government_docs(history, FIRST_ERASED) == ["P-LONG", "P-RECENT"]
    report = report_content(subject=history, kind=FULL, now=FIRST_ERASED)
    assert report.record_ids == _ids("P-RECENT")
    assert "P-ENDED" not in report.text() and "P-BASIS" not in report.text()
    rows = negative_summaries([history.pk], on=business_date(FIRST_ERASED))[history.pk]
    assert [(r.category, r.count, r.latest) for r in rows] == [("CF", 1, "2025-03-03")]


def test_a_record_still_published_is_held(reference):
    """Never expired (no expiry sweep ran): the platform still states it, so retention waits."""
    _receive(
        [person_cf("P-OPEN", CF_JDRQ="2020-03-10", CF_YXQ="2020-06-30")],
        "open",
        dt.datetime(2020, 3, 12, 2, 0, tzinfo=UTC),
    )
    assert retention_sweep(actor=SYSTEM, now=FIRST_ERASED).erased == 0
    assert Record.objects.get(doc_no="P-OPEN").status == "published"


def test_conduct_end_per_category(reference):
    decided = d(2020, 3, 10)
    assert conduct_end(category_code="CF", decision_date=decided, payload={"CF_YXQ": "2020-06-30"}) == d(
        2020, 6, 30
    )
    assert conduct_end(category_code="CF", decision_date=decided, payload={"CF_YXQ": "2099-12-31"}) == d(
        2099, 12, 31
    )
    # never before the decision that records it
    assert conduct_end(category_code="CF", decision_date=decided, payload={"CF_YXQ": "2020-01-01"}) == decided
    assert conduct_end(category_code="QZ", decision_date=decided, payload={"QZ_QXZ": "2020-09-30"}) == d(
        2020, 9, 30
    )
    assert conduct_end(category_code="QZ", decision_date=decided, payload={"QZ_QXZ": ""}) == decided
    assert conduct_end(category_code="YZSX", decision_date=decided, payload={"YZSX_YXQZ": "2023-03-09"}) == d(
        2023, 3, 9
    )
    assert conduct_end(category_code="SXBZX", decision_date=decided, payload={}) == decided  # no end field


def test_retention_sweep_command(history, clock):
    clock.set(FIRST_ERASED)
    out = io.StringIO()
    call_command("retention_sweep", stdout=out)
    assert out.getvalue() == (
        "2025-07-01：2 条自然人不良信息保存期满，已删除"
        "（删除 2 个版本，1 个版本因其他案件引用保留为删除标记）\n"
    )
    out = io.StringIO()
    call_command("retention_sweep", stdout=out)
    assert out.getvalue() == (
        "2025-07-01：0 条自然人不良信息保存期满，已删除（删除 0 个版本，0 个版本因其他案件引用保留为删除标记）\n"
    )


def test_a_tombstone_has_no_current_version_to_act_on(history):
    retention_sweep(actor=SYSTEM, now=FIRST_ERASED)
    with pytest.raises(Conflict) as caught:
        record_current_locked(_ids("")[0])
    assert (caught.value.code, caught.value.message) == (
        "record.erased",
        f"信用信息 {_ids('')[0]} 保存期满，已删除",
    )


def test_a_superseded_version_another_case_points_at_stays_a_tombstone(history):
    """A push (another app's foreign key) names the first, superseded version: it stays, erased; the current
    version, which nothing else references, is deleted."""
    first, second = _ids("P-ENDED")
    Push.objects.create(
        unit=Unit.objects.get(code="bj-shuiwuju"),
        record_id=first,
        event="record.repaired",
        payload={"record_id": first},
        created_at=dt.datetime(2020, 5, 1, 2, 0, tzinfo=UTC),
    )
    assert retention_sweep(actor=SYSTEM, now=FIRST_ERASED) == RetentionResult(d(2025, 7, 1), 2, 1, 2)
    assert not Record.objects.filter(pk=second).exists()
    kept = Record.objects.get(pk=first)
    assert (kept.status, kept.is_current, kept.payload, kept.protected, kept.doc_no, kept.subject_name) == (
        "erased",
        False,
        {},
        {},
        "",
        "",
    )
    assert Push.objects.get().record_id == first
    event = AuditEvent.objects.get(action="record.erase", target_id=str(second))
    assert (event.payload["deleted"], event.payload["tombstoned"]) == ([second], [first])
