"""Feedback (执行反馈): each outcome, reasons, only the checking unit, once per measure; overdue checks and the
statistics (奖惩到位率) with exact numbers."""

import datetime as dt

import pytest

from tests.support.measures import NOW, list_subject, officer_of, submit_penalties
from tests.support.records import COMPANY, cf_row
from xinyong.accounts.models import Unit
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import DomainError
from xinyong.measures.models import Check, Feedback
from xinyong.measures.selectors import check_outcome, check_statistics, check_view, checks_overdue
from xinyong.measures.services import check_run, feedback_file
from xinyong.subjects.identifiers import uscc_make
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db

OTHER = uscc_make("9111010500054321")
UNKNOWN = uscc_make("9111010800099999")
D = dt.date
CHECK_DAY_AFTER = D(2026, 11, 3)


def _at(day: int, hour: int = 10) -> dt.datetime:
    """An instant in November 2026, Beijing time."""
    return dt.datetime(2026, 11, day, hour - 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def two_listed(listed_company, list_types):
    """COMPANY on 失信被执行人 (10 WD feedback), OTHER on the procurement list (5 WD)."""
    submit_penalties(
        [cf_row(CF_XDR_SHXYM=OTHER, CF_XDR_MC="北京恒通建筑工程有限公司", CF_WSH="京工商罚字〔2026〕第9号")],
        key="k2",
    )
    other = Subject.objects.get(uscc=OTHER)
    list_subject(other, list_types["zfcg-blxw"], published=dt.datetime(2026, 5, 6, 2, 0, tzinfo=dt.UTC))
    return listed_company, other


def _check(unit, matter, *codes, now=NOW):
    return check_run(
        actor=officer_of(unit), matter_code=matter, case_number="C-1", identifiers=list(codes), now=now
    )


def _file(check, *items, unit="bj-caizhengju", now=None):
    return feedback_file(
        actor=officer_of(unit), check_id=check.check_id, items=list(items), now=now or _at(3)
    )


def _item(result, measure, outcome="applied", reason="", on=CHECK_DAY_AFTER):
    return {
        "result_id": result,
        "measure_code": measure,
        "outcome": outcome,
        "reason": reason,
        "applied_on": on,
    }


def _ids(check):
    return [r["result_id"] for r in check.answers]


def test_each_outcome_is_recorded_and_shown(two_listed):
    check = _check("bj-caizhengju", "政府采购", COMPANY, OTHER)
    first, second = _ids(check)
    created = _file(check, _item(first, "sxbzxr-procurement"),
                    _item(second, "zfcg-ban", "exempted", "  依法豁免：唯一供应商  "))  # fmt: skip
    assert [(f.outcome, f.reason, f.filed_by) for f in created] == [
        ("applied", "", "token:test0001"),
        ("exempted", "依法豁免：唯一供应商", "token:test0001"),
    ]
    view = check_view(
        check=check_outcome(Check.objects.select_related("unit", "matter").get(pk=check.check_id)), now=_at(3)
    )
    assert view["feedback_pending"] == 0 and not view["overdue"]
    feedback = view["results"][1]["measures"][0]["feedback"]
    assert feedback == {"outcome": "exempted", "reason": "依法豁免：唯一供应商", "applied_on": D(2026, 11, 3),
                        "filed_by": "token:test0001", "filed_at": _at(3)}  # fmt: skip
    event = AuditEvent.objects.get(action="check.feedback")
    assert event.payload == {"filed": 2, "applied": 1, "not_applicable": 0, "exempted": 1, "late": False}


def test_not_applicable_with_reason(two_listed):
    check = _check("bj-caizhengju", "政府采购", COMPANY)
    [created] = _file(check, _item(_ids(check)[0], "sxbzxr-procurement", "not_applicable", "采购已终止"))
    assert (created.outcome, created.reason) == ("not_applicable", "采购已终止")


@pytest.mark.parametrize("outcome", ["not_applicable", "exempted"])
def test_reason_required_and_nothing_is_written(two_listed, outcome):
    check = _check("bj-caizhengju", "政府采购", COMPANY, OTHER)
    first, second = _ids(check)
    with pytest.raises(DomainError) as err:
        _file(check, _item(first, "sxbzxr-procurement"), _item(second, "zfcg-ban", outcome, " "))
    assert (err.value.code, err.value.status) == ("feedback.reason_required", 400)
    assert err.value.errors == [{"field": "items[1].reason", "code": "feedback.reason_required",
                                 "message": "第 2 项：不适用或依法豁免须说明理由"}]  # fmt: skip
    assert not Feedback.objects.exists()


def test_only_the_checking_unit(two_listed):
    check = _check("bj-caizhengju", "政府采购", COMPANY)
    with pytest.raises(DomainError) as err:
        _file(check, _item(_ids(check)[0], "sxbzxr-procurement"), unit="bj-haidian")
    assert (err.value.code, err.value.status) == ("feedback.wrong_unit", 403)


def test_once_per_measure(two_listed):
    check = _check("bj-caizhengju", "政府采购", COMPANY)
    item = _item(_ids(check)[0], "sxbzxr-procurement")
    with pytest.raises(DomainError) as err:
        _file(check, item, item)
    assert (err.value.code, err.value.status) == ("feedback.duplicate", 409)
    _file(check, item)
    with pytest.raises(DomainError) as err:
        _file(check, {**item, "outcome": "exempted", "reason": "改主意"})
    assert (err.value.code, err.value.status) == ("feedback.duplicate", 409)
    assert Feedback.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"measure_code": "zfcg-ban"}, "feedback.measure_not_applicable"),  # not applicable to this result
        ({"result_id": 999999}, "feedback.result_unknown"),
        ({"outcome": "done"}, "feedback.outcome_invalid"),
        ({"applied_on": D(2026, 11, 1)}, "feedback.date_invalid"),  # before the check
        ({"applied_on": D(2026, 11, 4)}, "feedback.date_invalid"),  # after today (filed on the 3rd)
    ],
)
def test_item_refusals(two_listed, change, code):
    check = _check("bj-caizhengju", "政府采购", COMPANY)
    with pytest.raises(DomainError) as err:
        _file(check, {**_item(_ids(check)[0], "sxbzxr-procurement"), **change})
    assert (err.value.code, err.value.status) == (code, 400)


def test_by_identifier_unless_ambiguous(two_listed):
    check = _check("bj-caizhengju", "政府采购", COMPANY, OTHER, OTHER)
    item = {"identifier": COMPANY.lower(), "measure_code": "sxbzxr-procurement", "outcome": "applied",
            "applied_on": D(2026, 11, 2)}  # fmt: skip
    [created] = _file(check, item)
    assert created.result_id == _ids(check)[0]
    with pytest.raises(DomainError) as err:
        _file(check, {**item, "identifier": OTHER, "measure_code": "zfcg-ban"})
    assert err.value.code == "feedback.identifier_ambiguous"
    with pytest.raises(DomainError) as err:
        _file(check, {**item, "identifier": UNKNOWN})
    assert err.value.code == "feedback.result_unknown"


def test_unknown_check(memoranda):
    with pytest.raises(DomainError) as err:
        feedback_file(actor=officer_of("bj-caizhengju"), check_id=12345, items=[{}], now=NOW)
    assert (err.value.code, err.value.status) == ("check.not_found", 404)


# ── overdue and statistics ──────────────────────────────────────────────────────────────────────────────


@pytest.fixture
def history(two_listed):
    """Four checks on Monday 2026-11-02 and the feedback filed since:
    1 市财政局 政府采购 [COMPANY, OTHER, UNKNOWN] due 11-09 (5 WD): COMPANY applied; OTHER nothing
    2 市财政局 财政资金 [COMPANY]                due 11-16: not applicable, filed late on 11-20
    3 市住房城乡建设委 招标投标 [COMPANY, OTHER]    due 11-09: COMPANY exempted; OTHER nothing
    4 市财政局 政府采购 [UNKNOWN]                no measure, no deadline"""
    c1 = _check("bj-caizhengju", "政府采购", COMPANY, OTHER, UNKNOWN)
    c2 = _check("bj-caizhengju", "财政资金", COMPANY)
    c3 = _check("bj-zhujianwei", "招标投标", COMPANY, OTHER)
    c4 = _check("bj-caizhengju", "政府采购", UNKNOWN)
    _file(c1, _item(_ids(c1)[0], "sxbzxr-procurement"))
    _file(c2, _item(_ids(c2)[0], "sxbzxr-fiscal-funds", "not_applicable", "未申请财政资金", D(2026, 11, 20)),
          now=_at(20))  # fmt: skip
    _file(c3, _item(_ids(c3)[0], "sxbzxr-bidding", "exempted", "依法豁免"), unit="bj-zhujianwei")
    return c1, c2, c3, c4


def test_deadlines(history):
    c1, c2, c3, c4 = history
    assert [c.feedback_due for c in history] == [
        dt.datetime(2026, 11, 9, 15, 59, 59, tzinfo=dt.UTC), dt.datetime(2026, 11, 16, 15, 59, 59, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 9, 15, 59, 59, tzinfo=dt.UTC), None,
    ]  # fmt: skip


def test_overdue_after_the_working_day_deadline(history):
    c1, c2, c3, c4 = history
    caizhengju = Unit.objects.get(code="bj-caizhengju")
    assert checks_overdue(unit=caizhengju, now=_at(9, 23)) == []  # the deadline day is not over yet
    rows = checks_overdue(unit=caizhengju, now=_at(12))
    assert rows == [{
        "check_id": c1.check_id, "matter": "government-procurement", "matter_name": "政府采购", "case_number": "C-1",
        "checked_at": NOW, "feedback_due": dt.datetime(2026, 11, 9, 23, 59, 59, tzinfo=rows[0]["feedback_due"].tzinfo),
        "pending": 1, "overdue_working_days": 3,
    }]  # fmt: skip
    assert [
        r["check_id"] for r in checks_overdue(unit=Unit.objects.get(code="bj-zhujianwei"), now=_at(12))
    ] == [c3.check_id]
    assert checks_overdue(unit=Unit.objects.get(code="bj-haidian"), now=_at(12)) == []


def _row(checks, subjects, applicable, applied, na, exempted, pending, overdue, late, rate, **named):
    return {**named, "checks": checks, "subjects": subjects, "applicable": applicable, "applied": applied,
            "not_applicable": na, "exempted": exempted, "pending": pending, "overdue": overdue, "late": late,
            "rate": rate}  # fmt: skip


def test_statistics_exact(history):
    stats = check_statistics(now=_at(25))
    assert stats["total"] == _row(4, 7, 5, 1, 1, 1, 2, 2, 1, 0.2)
    assert stats["by_unit"] == [
        _row(3, 5, 3, 1, 1, 0, 1, 1, 1, 0.3333, code="bj-caizhengju", name="市财政局"),
        _row(1, 2, 2, 0, 0, 1, 1, 1, 0, 0.0, code="bj-zhujianwei", name="市住房城乡建设委"),
    ]
    assert stats["by_matter"] == [
        _row(1, 2, 2, 0, 0, 1, 1, 1, 0, 0.0, code="bidding", name="招标投标"),
        _row(1, 1, 1, 0, 1, 0, 0, 0, 1, 0.0, code="fiscal-funds", name="财政资金"),
        _row(2, 4, 2, 1, 0, 0, 1, 1, 0, 0.5, code="government-procurement", name="政府采购"),
    ]
    by_measure = {r["code"]: r for r in stats["by_measure"]}
    assert list(by_measure) == [
        "sxbzxr-bidding",
        "sxbzxr-fiscal-funds",
        "sxbzxr-procurement",
        "zfcg-ban",
        "zfcg-bidding",
    ]
    assert by_measure["zfcg-ban"] == _row(1, 1, 1, 0, 0, 0, 1, 1, 0, 0.0, code="zfcg-ban",
                                          name="在不良行为记录名单期间（一至三年）禁止参加政府采购活动。")  # fmt: skip
    assert (
        by_measure["sxbzxr-procurement"]["applied"] == 1 and by_measure["sxbzxr-procurement"]["rate"] == 1.0
    )


def test_statistics_filters(history):
    before = check_statistics(now=_at(5), unit="bj-caizhengju")  # before any deadline: pending, not overdue
    assert before["total"] == _row(3, 5, 3, 1, 1, 0, 1, 0, 1, 0.3333)
    assert [r["code"] for r in before["by_unit"]] == ["bj-caizhengju"]
    assert check_statistics(now=_at(25), matter="bidding")["total"] == _row(1, 2, 2, 0, 0, 1, 1, 1, 0, 0.0)
    assert check_statistics(now=_at(25), measure="zfcg-ban")["total"] == _row(1, 3, 1, 0, 0, 0, 1, 1, 0, 0.0)
    assert check_statistics(now=_at(25), month="2026-11")["total"]["checks"] == 4
    empty = check_statistics(now=_at(25), month="2026-10")
    assert empty["total"] == _row(0, 0, 0, 0, 0, 0, 0, 0, 0, None) and empty["by_unit"] == []
