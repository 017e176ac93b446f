"""Progress reports on plan tasks (plan task 55 督导考核, ADR 0038): who owes a report per period, the review
machine (draft → submitted → accepted | returned → resubmitted), four eyes, lateness in working days against
the period's deadline, overdue reports, the timeliness the metrics read, and what the public page reads.
Reporting periods: quarters from 2026Q3, due 10 working days after the quarter (2026Q3: 2026-10-20)."""

import datetime as dt
import os
import stat

import pytest

from tests.support.oversight import (
    CREDIT_OFFICE_UNIT,
    DONGCHENG,
    FINANCE,
    PDF,
    Q3_DUE,
    reviewer_actor,
    unit_actor,
)
from xinyong.accounts.models import Unit
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from xinyong.core.evidence import Upload
from xinyong.oversight import selectors
from xinyong.oversight.models import PlanProgressReport, PlanTask, PlanTaskUnit, ReportState
from xinyong.oversight.periods import periods_started
from xinyong.oversight.services import (
    plan_report_accept,
    plan_report_evidence_read,
    plan_report_return,
    plan_report_save,
    plan_report_submit,
)

pytestmark = pytest.mark.django_db
BEIJING = dt.timezone(dt.timedelta(hours=8))
OCT_12 = dt.datetime(2026, 10, 12, 10, 0, tzinfo=BEIJING)  # before the 2026Q3 deadline


def _save(code: str = FINANCE, *, task: int = 3, at: dt.datetime = OCT_12, submit: bool = True, **kw):
    values = {"progress": "on_track", "narrative": "已建立政府采购政务诚信责任制。", "evidence": []} | kw
    return plan_report_save(
        actor=unit_actor(code), task_number=task, period="2026Q3", now=at, submit=submit, **values
    )


def _direct_tasks(code: str) -> int:
    return PlanTaskUnit.objects.filter(unit__code=code).count()


def test_periods_are_quarters_from_2026q3_due_ten_working_days_after(reporting):
    periods = periods_started(on=dt.date(2027, 1, 1))
    assert [(p.code, p.label, p.start, p.end) for p in periods] == [
        ("2027Q1", "2027年第一季度", dt.date(2027, 1, 1), dt.date(2027, 3, 31)),
        ("2026Q4", "2026年第四季度", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("2026Q3", "2026年第三季度", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
    ]
    assert periods[-1].due_at == Q3_DUE and not periods[-1].provisional
    assert periods_started(on=dt.date(2026, 6, 30)) == []


def test_named_units_and_the_districts_owe_reports_but_not_an_open_group(reporting):
    owers = selectors.plan_report_owers()
    task3, task7 = PlanTask.objects.get(number=3), PlanTask.objects.get(number=7)
    codes = [unit.code for unit in owers[task3.pk]]
    assert codes[0] == FINANCE and len(codes) == 17 and DONGCHENG in codes  # 市财政局 + the 16 districts
    assert len(owers[task7.pk]) == 16  # 各区政府 only
    departments = PlanTask.objects.filter(links__group__code="group-departments").exclude(
        links__unit__isnull=False
    )
    assert departments.count() == 3  # 各有关部门,各区政府: the districts report, the open group does not
    assert {len(owers[task.pk]) for task in departments} == {16}
    finance = Unit.objects.get(code=FINANCE)
    on = dt.date(2026, 10, 12)
    obligations = selectors.plan_obligations(on=on, unit=finance)
    assert len(obligations) == 2 * _direct_tasks(FINANCE)  # 2026Q4 and 2026Q3
    assert [o.period.code for o in obligations[:1]] == ["2026Q4"]


def test_submit_then_accept_writes_history_and_audit(reporting):
    report = _save(evidence=[Upload("采购责任制.pdf", PDF)])
    assert (report.state, report.late_working_days, report.due_at) == ("submitted", 0, Q3_DUE)
    assert report.submitted_by == "user:11" and report.first_submitted_at == OCT_12
    evidence = report.evidence.get()
    path = reporting_path(evidence.stored_name)
    assert path.read_bytes() == PDF and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    accepted = plan_report_accept(
        actor=reviewer_actor(), report_id=report.pk, now=OCT_12 + dt.timedelta(days=1)
    )
    assert (accepted.state, accepted.reviewed_by) == ("accepted", "user:21")
    steps = list(report.transitions.values_list("action", "from_state", "to_state"))
    assert steps == [
        ("create", "", "draft"),
        ("submit", "draft", "submitted"),
        ("accept", "submitted", "accepted"),
    ]
    actions = list(AuditEvent.objects.filter(target_type="plan_report").values_list("action", flat=True))
    assert actions == ["plan_report.create", "plan_report.submit", "plan_report.accept"]
    with pytest.raises(Conflict) as refused:
        _save(narrative="改一改")
    assert refused.value.code == "plan_report.invalid_transition"


def test_returned_report_is_edited_and_resubmitted_and_lateness_counts_the_first_submission(reporting):
    report = _save()
    with pytest.raises(DomainError) as blank:
        plan_report_return(actor=reviewer_actor(), report_id=report.pk, reason="  ", now=OCT_12)
    assert (blank.value.code, blank.value.errors[0]["field"]) == ("plan_report.reason_required", "reason")
    returned = plan_report_return(
        actor=reviewer_actor(), report_id=report.pk, reason="请补充证明材料", now=OCT_12
    )
    assert (returned.state, returned.return_reason) == ("returned", "请补充证明材料")
    later = dt.datetime(2026, 10, 23, 9, 0, tzinfo=BEIJING)
    again = _save(at=later, evidence=[Upload("补充.png", b"\x89PNG\r\n\x1a\n....")])
    assert (again.state, again.first_submitted_at, again.submitted_at) == ("submitted", OCT_12, later)
    assert again.late_working_days == 0 and again.evidence.count() == 1
    assert list(again.transitions.values_list("action", flat=True)) == [
        "create",
        "submit",
        "return",
        "edit",
        "resubmit",
    ]


@pytest.mark.parametrize(
    ("at", "late"),
    [
        (dt.datetime(2026, 10, 20, 23, 59, 59, tzinfo=BEIJING), 0),
        (dt.datetime(2026, 10, 21, 0, 0, 30, tzinfo=BEIJING), 1),
        (dt.datetime(2026, 10, 26, 9, 0, tzinfo=BEIJING), 4),  # Wed, Thu, Fri, Mon
    ],
)
def test_lateness_in_working_days_after_the_deadline(reporting, at, late):
    assert _save(at=at).late_working_days == late


def test_four_eyes_only_the_credit_office_and_never_its_own_report(reporting):
    report = _save()
    with pytest.raises(PermissionDenied) as unit_officer:
        plan_report_accept(actor=unit_actor(DONGCHENG, 12), report_id=report.pk, now=OCT_12)
    assert unit_officer.value.code == "plan_report.reviewer_only"
    both = unit_actor(CREDIT_OFFICE_UNIT, 30)
    both = type(both)(
        label=both.label, unit_code=both.unit_code, roles=frozenset({"data_officer", "reviewer"})
    )
    own = plan_report_save(
        actor=both, task_number=8, period="2026Q3", progress="completed", narrative="已建立考核评价制度。",
        evidence=[], now=OCT_12, submit=True,
    )  # fmt: skip
    with pytest.raises(PermissionDenied) as self_review:
        plan_report_accept(actor=both, report_id=own.pk, now=OCT_12)
    assert self_review.value.code == "plan_report.four_eyes"
    assert plan_report_accept(actor=reviewer_actor(), report_id=own.pk, now=OCT_12).state == "accepted"


def test_refusals_leave_nothing_behind(reporting, tmp_path):
    with pytest.raises(DomainError) as bad_file:
        _save(evidence=[Upload("说明.pdf", b"not a pdf")])
    assert bad_file.value.code == "evidence.invalid"
    with pytest.raises(DomainError) as invalid:
        _save(progress="maybe", narrative="  ")
    assert [e["field"] for e in invalid.value.errors] == ["progress", "narrative"]
    with pytest.raises(DomainError) as not_owed:
        _save(task=7)  # 各区政府 only: 市财政局 owes no report on it
    assert not_owed.value.code == "plan_report.not_owed"
    with pytest.raises(DomainError) as future:
        plan_report_save(
            actor=unit_actor(FINANCE), task_number=3, period="2027Q1", progress="on_track", narrative="x",
            evidence=[], now=OCT_12,
        )  # fmt: skip
    assert future.value.code == "plan_report.not_owed"
    with pytest.raises(PermissionDenied):
        plan_report_save(
            actor=reviewer_actor(), task_number=3, period="2026Q3", progress="on_track", narrative="x",
            evidence=[], now=OCT_12,
        )  # fmt: skip
    assert not PlanProgressReport.objects.exists()
    assert not list((tmp_path / "uploads" / "oversight").glob("*"))


def test_a_draft_is_submitted_by_its_unit_only(reporting):
    draft = _save(submit=False)
    assert draft.state == ReportState.DRAFT and draft.first_submitted_at is None
    with pytest.raises(Conflict):
        plan_report_accept(actor=reviewer_actor(), report_id=draft.pk, now=OCT_12)
    with pytest.raises(NotFound):
        plan_report_submit(actor=unit_actor(DONGCHENG, 12), report_id=draft.pk, now=OCT_12)
    assert plan_report_submit(actor=unit_actor(FINANCE), report_id=draft.pk, now=OCT_12).state == "submitted"


def test_overdue_is_past_the_deadline_and_not_submitted(reporting):
    finance = Unit.objects.get(code=FINANCE)
    tasks = _direct_tasks(FINANCE)
    _save()  # task 3 on time
    _save(task=2, submit=False)  # a draft is still overdue
    before = dt.datetime(2026, 10, 20, 23, 59, 59, tzinfo=BEIJING)
    after = before + dt.timedelta(seconds=1)
    assert selectors.plan_reports_overdue(now=before, unit=finance) == []
    overdue = selectors.plan_reports_overdue(now=after, unit=finance)
    assert len(overdue) == tasks - 1 and {o.period.code for o in overdue} == {"2026Q3"}
    assert 3 not in {o.task.number for o in overdue} and 2 in {o.task.number for o in overdue}
    assert (
        len(selectors.plan_reports_overdue(now=after))
        == sum(len(units) for units in selectors.plan_report_owers().values()) - 1
    )


def test_timeliness_counts_reports_due_in_the_month_and_first_submitted_on_time(reporting):
    _save(task=3)  # on time
    _save(task=2, at=dt.datetime(2026, 10, 22, 9, 0, tzinfo=BEIJING))  # late
    _save(DONGCHENG, task=7, at=dt.datetime(2026, 10, 20, 23, 0, tzinfo=BEIJING))  # on time
    _save(DONGCHENG, task=1, submit=False)  # a draft: not submitted
    finance, dongcheng = Unit.objects.get(code=FINANCE), Unit.objects.get(code=DONGCHENG)
    october = selectors.progress_report_timeliness(month="2026-10")
    assert october[finance.pk] == (_direct_tasks(FINANCE), 1)
    district_tasks = PlanTask.objects.filter(
        links__group__code__isnull=False, links__group__open_membership=False
    )
    assert october[dongcheng.pk] == (district_tasks.distinct().count() + _direct_tasks(DONGCHENG), 1)
    assert selectors.progress_report_timeliness(month=dt.date(2026, 10, 31)) == october
    assert selectors.progress_report_timeliness(month="2026-09") == {}
    assert selectors.progress_report_timeliness(month="2026-11") == {}


def test_the_public_page_reads_the_latest_accepted_report_of_each_unit(reporting):
    first = _save()
    plan_report_accept(actor=reviewer_actor(), report_id=first.pk, now=OCT_12)
    returned = _save(DONGCHENG, task=3)
    plan_report_return(actor=reviewer_actor(), report_id=returned.pk, reason="不完整", now=OCT_12)
    published = selectors.plan_reports_published()
    assert [(r.unit.code, r.period, r.state) for r in published[first.task_id]] == [
        (FINANCE, "2026Q3", "accepted")
    ]


def test_evidence_is_read_by_its_unit_and_the_credit_office_and_audited(reporting):
    report = _save(evidence=[Upload("采购责任制.pdf", PDF)])
    evidence = report.evidence.get()
    found, data = plan_report_evidence_read(
        actor=reviewer_actor(), report_id=report.pk, evidence_id=evidence.pk, now=OCT_12
    )
    assert (found.name, data) == ("采购责任制.pdf", PDF)
    assert AuditEvent.objects.filter(action="plan_report.evidence_view").count() == 1
    with pytest.raises(NotFound):
        plan_report_evidence_read(
            actor=unit_actor(DONGCHENG, 12), report_id=report.pk, evidence_id=evidence.pk, now=OCT_12
        )


def reporting_path(stored_name: str):
    from django.conf import settings

    return settings.XINYONG_UPLOAD_DIR / "oversight" / stored_name
