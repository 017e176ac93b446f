"""Checks (应查必查): the measures that bind this unit for this matter only, unknown and invalid identifiers, the
negative-record summary, the feedback deadline, what is stored and audited."""

import datetime as dt

import pytest

from tests.support.measures import NOW, list_subject, officer_of, submit_penalties
from tests.support.records import COMPANY, PERSON, cf_row
from xinyong.accounts.models import Unit
from xinyong.audit.models import AuditEvent
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError, PermissionDenied
from xinyong.measures.models import Check, CheckResult
from xinyong.measures.selectors import check_outcome, check_view
from xinyong.measures.services import check_run
from xinyong.subjects.identifiers import ric_mask, uscc_make
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db

UNKNOWN = uscc_make("9111010800099999")  # valid, never registered


def _run(actor, matter, *codes, case="京财采〔2026〕88号"):
    return check_run(actor=actor, matter_code=matter, case_number=case, identifiers=list(codes), now=NOW)


def _measures(check):
    return [[m["code"] for m in r["measures"]] for r in check.answers]


def test_listed_subject_gets_exactly_the_measures_of_this_unit_and_matter(listed_company, caizhengju):
    check = _run(caizhengju, "政府采购", COMPANY)
    assert _measures(check) == [["sxbzxr-procurement"]]
    measure = check.answers[0]["measures"][0]
    assert (
        measure["legal_basis"]
        == "《中华人民共和国政府采购法》第二十二条；《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）"
    )
    assert measure["text"] == "限制失信被执行人作为供应商参加政府采购活动。"
    assert measure["list_types"] == ["fy-sxbzx"]
    assert check.feedback_due == dt.datetime(
        2026, 11, 16, 15, 59, 59, tzinfo=dt.UTC
    )  # 10 WD, 23:59:59 Beijing
    assert (check.subjects_count, check.known_count, check.applicable_count) == (1, 1, 1)


@pytest.mark.parametrize(
    ("unit", "matter", "expected"),
    [
        ("bj-zhujianwei", "government-procurement", []),  # another unit: 市住房城乡建设委 does not procure
        ("bj-caizhengju", "bidding", []),  # another matter: 市财政局 does not implement the bidding measure
        ("bj-zhujianwei", "bidding", ["sxbzxr-bidding"]),
        ("bj-haidian", "government-procurement", ["sxbzxr-procurement"]),  # 各区政府
        ("bj-caizhengju", "fiscal-funds", ["sxbzxr-fiscal-funds"]),  # 各有关部门
        ("bj-gaoyuan", "honours", ["sxbzxr-honours"]),  # 各有关部门: any unit
        ("bj-caizhengju", "fast-track-acceptance", []),  # a reward for red lists, not for a defaulter
        ("bj-caizhengju", "administrative-licensing", ["sxbzxr-no-commitment"]),
    ],
)
def test_measures_depend_on_unit_and_matter(listed_company, unit, matter, expected):
    assert _measures(_run(officer_of(unit), matter, COMPANY)) == [expected]


def test_no_measure_no_deadline(listed_company):
    check = _run(officer_of("bj-zhujianwei"), "政府采购", COMPANY)
    assert check.feedback_due is None and check.applicable_count == 0
    assert check.answers[0]["entries"][0]["list_type"] == "fy-sxbzx"  # still shown: the entry is public


def test_deadline_is_the_shortest_of_the_memoranda_applied(listed_company, list_types, caizhengju):
    list_subject(
        listed_company, list_types["zfcg-blxw"], published=dt.datetime(2026, 5, 6, 2, 0, tzinfo=dt.UTC)
    )
    check = _run(caizhengju, "政府采购", COMPANY)
    assert _measures(check) == [["sxbzxr-procurement", "zfcg-ban"]]
    assert check.feedback_due == dt.datetime(2026, 11, 9, 15, 59, 59, tzinfo=dt.UTC)  # zfcg-2018: 5 WD


def test_red_list_rewards(memoranda, list_types, caizhengju):
    submit_penalties([cf_row(CF_WSH="京工商罚字〔2026〕第5号")])
    company = Subject.objects.get(uscc=COMPANY)
    list_subject(company, list_types["cxdx-hmd"], published=dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC))
    check = _run(officer_of("bj-shangwuwei"), "行政许可", COMPANY)
    assert _measures(check) == [["cxdx-fast-track", "cxdx-green-channel"]]
    assert [m["kind"] for m in check.answers[0]["measures"]] == ["reward", "reward"]


def test_entries_that_are_not_published_or_past_their_end_do_not_count(
    listed_company, list_types, caizhengju
):
    list_subject(listed_company, list_types["zfcg-blxw"], published=dt.datetime(2026, 5, 6, 2, 0, tzinfo=dt.UTC),
                 state="exited")  # fmt: skip
    list_subject(listed_company, list_types["scjg-yzsx"], published=dt.datetime(2023, 5, 6, 2, 0, tzinfo=dt.UTC),
                 expires_on=dt.date(2026, 11, 1))  # fmt: skip
    check = _run(caizhengju, "政府采购", COMPANY)
    assert [e["list_type"] for e in check.answers[0]["entries"]] == ["fy-sxbzx"]
    assert _measures(check) == [["sxbzxr-procurement"]]


def test_unknown_invalid_and_duplicate_identifiers(listed_company, caizhengju):
    good = uscc_make("91110108MA01ABCD")
    bad_check = good[:-1] + ("H" if good[-1] != "H" else "J")  # kept as given: it cannot be a resident ID
    check = _run(caizhengju, "政府采购", COMPANY, "123", UNKNOWN, bad_check, " " + COMPANY.lower())
    rows = check.answers
    assert [r["index"] for r in rows] == [0, 1, 2, 3, 4]
    assert [r["known"] for r in rows] == [True, False, False, False, True]
    assert [r["error"] and r["error"]["code"] for r in rows] == [
        None,
        "identifier.length",
        "subject.not_found",
        "uscc.check_character",
        None,
    ]
    assert [r["identifier"] for r in rows] == [COMPANY, "123", UNKNOWN, bad_check, COMPANY]
    assert rows[4]["measures"] == rows[0]["measures"]  # duplicates are answered again, in order
    assert rows[2]["records_summary"] is None and rows[2]["subject"] is None
    assert (check.subjects_count, check.known_count, check.applicable_count) == (5, 2, 2)
    stored = list(CheckResult.objects.filter(check_run_id=check.check_id).order_by("position").values_list(
        "position", "identifier", "subject_id"))  # fmt: skip
    assert stored == [(0, COMPANY, listed_company.pk), (1, "123", None), (2, UNKNOWN, None),
                      (3, bad_check, None), (4, COMPANY, listed_company.pk)]  # fmt: skip


def test_negative_record_summary(listed_company, caizhengju):
    summary = _run(caizhengju, "政府采购", COMPANY).answers[0]
    assert summary["records_summary"] == "行政处罚 2 条（最近 2026-10-28）"
    assert summary["negative_records"] == [
        {"category": "CF", "name": "行政处罚信息", "count": 2, "latest": "2026-10-28", "under_objection": 0}
    ]


def test_records_and_entries_under_objection_are_shown_with_the_flag(listed_company, caizhengju):
    """A record or entry under objection stays in the answer, flagged (docs/domain.md Objection)."""
    from xinyong.lists.models import ListEntry
    from xinyong.lists.services import list_entry_objection_mark
    from xinyong.records.flags import record_objection_flag
    from xinyong.records.models import Record

    reviewer = Actor(label="user:71", unit_code="bj-jingxinwei", roles=frozenset({"reviewer"}), user_id=71)
    record = Record.objects.filter(subject=listed_company, category__code="CF").order_by("pk").first()
    record_objection_flag(actor=reviewer, record_id=record.pk, objection_id=1, now=NOW)
    entry = ListEntry.objects.filter(subject=listed_company, state="published").first()
    list_entry_objection_mark(actor=reviewer, entry_id=entry.pk, objection_id=2, flagged=True, now=NOW)
    row = _run(caizhengju, "政府采购", COMPANY).answers[0]
    assert row["records_summary"] == "行政处罚 2 条（最近 2026-10-28，其中 1 条异议处理中）"
    assert row["negative_records"][0]["under_objection"] == 1
    assert [e["under_objection"] for e in row["entries"] if e["entry_id"] == entry.pk] == [True]


def test_subject_without_negative_records(memoranda, caizhengju):
    other = uscc_make("9111010500054321")
    submit_penalties([cf_row(CF_XDR_SHXYM=other, CF_XDR_MC="北京无罚科技有限公司", CF_WSH="W1")], key="k9")
    record = Subject.objects.get(uscc=other).records.get()
    record.status = "expired"
    record.save(update_fields=["status"])
    row = _run(caizhengju, "政府采购", other).answers[0]
    assert (row["known"], row["entries"], row["measures"]) == (True, [], [])
    assert row["records_summary"] == "无公示中的失信记录"


def test_a_person_is_shown_masked_and_stored_masked(memoranda, caizhengju):
    submit_penalties([cf_row(CF_XDR_LB="自然人", CF_XDR_SHXYM=None, CF_FRDB=None, CF_XDR_MC="张伟",
                             CF_XDR_ZJLX="身份证", CF_XDR_ZJHM=PERSON, CF_WSH="P1")], key="kp")  # fmt: skip
    row = _run(caizhengju, "政府采购", PERSON).answers[0]
    assert row["identifier"] == ric_mask(PERSON) == "110105********0025"
    assert row["subject"]["code"] == "110105********0025" and row["subject"]["name"] == "张*"
    assert row["records_summary"] == "行政处罚 1 条（最近 2026-10-28）"
    assert not CheckResult.objects.filter(identifier=PERSON).exists()
    invalid = PERSON[:-1] + "1"  # a mistyped resident ID is not kept in clear either
    assert _run(caizhengju, "政府采购", invalid).answers[0]["identifier"] == "110105********0021"


def test_one_audit_event_with_counts_not_subjects(listed_company, caizhengju):
    check = _run(caizhengju, "政府采购", COMPANY, UNKNOWN)
    event = AuditEvent.objects.get(action="check.run")
    assert (event.target_type, event.target_id, event.unit_code) == (
        "check",
        str(check.check_id),
        "bj-caizhengju",
    )
    assert event.reason == "案件编号 京财采〔2026〕88号"
    assert event.payload == {"matter": "government-procurement", "case_number": "京财采〔2026〕88号", "subjects": 2,
                             "known": 1, "listed": 1, "applicable": 1, "feedback_due": "2026-11-16T23:59:59+08:00"}  # fmt: skip
    assert COMPANY not in str(event.payload)


def test_stored_answer_is_the_answer_given(listed_company, caizhengju):
    check = _run(caizhengju, "政府采购", COMPANY, "123")
    fresh = check_view(check=check, now=NOW)
    stored = check_view(
        check=check_outcome(Check.objects.select_related("unit", "matter").get(pk=check.check_id)), now=NOW
    )
    assert stored == fresh
    result = CheckResult.objects.get(check_run_id=check.check_id, position=0)
    assert [m.code for m in result.measures.all()] == ["sxbzxr-procurement"]
    assert [e.list_type.code for e in result.entries.all()] == ["fy-sxbzx"]


@pytest.mark.parametrize(
    ("kwargs", "code", "status"),
    [
        ({"identifiers": []}, "check.subjects_required", 400),
        ({"identifiers": [COMPANY] * 1001}, "check.too_many_subjects", 413),
        ({"case_number": "  "}, "check.case_number_required", 400),
        ({"matter_code": "买菜"}, "check.matter_unknown", 400),
    ],
)
def test_refusals(memoranda, caizhengju, kwargs, code, status):
    args = {
        "actor": caizhengju,
        "matter_code": "政府采购",
        "case_number": "C",
        "identifiers": [COMPANY],
        "now": NOW,
    }
    with pytest.raises(DomainError) as err:
        check_run(**{**args, **kwargs})
    assert (err.value.code, err.value.status) == (code, status)
    assert not Check.objects.exists()


def test_a_thousand_subjects_are_allowed(listed_company, caizhengju):
    check = _run(caizhengju, "government-procurement", *([COMPANY, UNKNOWN] * 500))
    assert (check.subjects_count, check.known_count, check.applicable_count) == (1000, 500, 500)


def test_only_officers_of_an_active_unit_check(memoranda):
    with pytest.raises(PermissionDenied):
        _run(
            Actor(label="token:i", unit_code="bj-caizhengju", roles=frozenset({"institution"})),
            "政府采购",
            COMPANY,
        )
    with pytest.raises(PermissionDenied):
        _run(officer_of("no-such-unit"), "政府采购", COMPANY)


def test_a_unit_handed_in_is_used_only_if_it_is_the_actors_and_active(memoranda, caizhengju):
    """The API hands in the unit read with the token; anything else is looked up and judged afresh."""
    own = Unit.objects.get(code="bj-caizhengju")
    other = Unit.objects.get(code="bj-zhujianwei")
    run = check_run(actor=caizhengju, matter_code="政府采购", case_number="C1", identifiers=[COMPANY], now=NOW,
                    unit=other)  # fmt: skip
    assert run.unit.id == own.pk  # not the unit handed in: the actor's own
    Unit.objects.filter(pk=own.pk).update(active=False)
    own.active = False
    with pytest.raises(PermissionDenied) as refused:
        check_run(actor=caizhengju, matter_code="政府采购", case_number="C2", identifiers=[COMPANY], now=NOW,
                  unit=own)  # fmt: skip
    assert refused.value.code == "check.unit_required"


def test_a_merged_duplicate_leads_to_the_live_subject(listed_company, caizhengju):
    duplicate_code = uscc_make("9111010800077777")
    submit_penalties(
        [cf_row(CF_XDR_SHXYM=duplicate_code, CF_XDR_MC="北京华信科技有限公司", CF_WSH="D1")], key="kd"
    )
    Subject.objects.filter(uscc=duplicate_code).update(status="merged", merged_into=listed_company)
    row = _run(caizhengju, "政府采购", duplicate_code).answers[0]
    assert (row["identifier"], row["subject"]["code"]) == (duplicate_code, COMPANY)
    assert [m["code"] for m in row["measures"]] == ["sxbzxr-procurement"]
