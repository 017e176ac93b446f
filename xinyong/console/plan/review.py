"""The credit office (市信用办: reviewer, admin; the auditor reads): submitted reports to review, one report
with its evidence and history (accept, or return with a reason), and the overdue reports of every unit. A
unit's officers open their own unit's reports here read-only."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from xinyong.accounts.policy import same_person
from xinyong.accounts.roles import CREDIT_OFFICE, OFFICE, UNIT_OFFICERS
from xinyong.accounts.selectors import unit_by_code
from xinyong.console.access import officer_view
from xinyong.console.plan.common import (
    STATE_LABELS,
    beijing,
    csv_response,
    errors_to_form,
    obligation_row,
    refusals_as_pages,
)
from xinyong.console.views import console_render
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError, PermissionDenied
from xinyong.core.timeutil import business_date, now
from xinyong.oversight import selectors, services
from xinyong.oversight.models import REPORT_ACTIONS, PlanProgressReport, Progress, ReportState
from xinyong.oversight.periods import periods_started

PROGRESS_LABELS = dict(Progress.choices)
REVIEW_STATES = [
    (s, STATE_LABELS[s]) for s in (ReportState.SUBMITTED, ReportState.RETURNED, ReportState.ACCEPTED)
]


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="退回理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写退回理由", "max_length": "退回理由不能超过 2000 字"},
    )


def _credit_office(actor: Actor) -> None:
    if not actor.has_role(*CREDIT_OFFICE):
        raise PermissionDenied("plan_report.credit_office_only", "只有市信用办可以查看全部进度报告")


def _filters(request: HttpRequest) -> dict:
    code = request.GET.get("unit", "").strip()
    return {
        "period": request.GET.get("period", ""),
        "state": request.GET.get("state", ReportState.SUBMITTED),
        "unit_code": code,
        "unit": unit_by_code(code=code) if code else None,
    }


@officer_view
@refusals_as_pages
@require_GET
def reviews_page(request: HttpRequest, actor: Actor) -> HttpResponseBase:
    """/console/plan/reviews/: reports by state (submitted first), period and unit; CSV with format=csv."""
    _credit_office(actor)
    f = _filters(request)
    reports = selectors.plan_report_list(state=f["state"] or None, period=f["period"] or None, unit=f["unit"])
    if f["unit_code"] and f["unit"] is None:
        reports = reports.none()
    if request.GET.get("format") == "csv":
        return csv_response(
            "plan-reports.csv",
            ["任务", "单位", "报送期", "进度状态", "审核状态", "首次报送", "迟报工作日", "审核时间"],
            ([r.task.number, r.unit.name, r.period, PROGRESS_LABELS[r.progress], STATE_LABELS[r.state],
              beijing(r.first_submitted_at), r.late_working_days, beijing(r.reviewed_at)]
             for r in reports.iterator()),
        )  # fmt: skip
    at = now()
    context = {
        "reports": reports[:500], "filters": f, "states": [("", "全部"), *REVIEW_STATES],
        "periods": periods_started(on=business_date(at)), "progress_labels": PROGRESS_LABELS,
        "state_labels": STATE_LABELS, "overdue_count": len(selectors.plan_reports_overdue(now=at)),
    }  # fmt: skip
    return console_render(request, actor, "console/plan/reviews.html", context)


@officer_view
@refusals_as_pages
@require_GET
def overdue_page(request: HttpRequest, actor: Actor) -> HttpResponseBase:
    """/console/plan/overdue/: reports past their deadline and not submitted, by period and unit; CSV."""
    _credit_office(actor)
    f = _filters(request)
    at = now()
    rows = [
        obligation_row(o, at)
        for o in selectors.plan_reports_overdue(now=at, unit=f["unit"])
        if not f["period"] or o.period.code == f["period"]
    ]
    if f["unit_code"] and f["unit"] is None:
        rows = []
    if request.GET.get("format") == "csv":
        return csv_response(
            "plan-reports-overdue.csv",
            ["任务", "单位", "报送期", "报送截止", "状态"],
            ([r["obligation"].task.number, r["obligation"].unit.name, r["obligation"].period.code, r["due"],
              r["state_label"]] for r in rows),
        )  # fmt: skip
    context = {"rows": rows, "filters": f, "periods": periods_started(on=business_date(at))}
    return console_render(request, actor, "console/plan/overdue.html", context)


@officer_view
@refusals_as_pages
@require_http_methods(["GET", "POST"])
def report_page(request: HttpRequest, actor: Actor, report_id: int) -> HttpResponse:
    """One report: read by its unit's officers and the credit office; accept or return (POST `action`)."""
    report = selectors.plan_report_get(report_id=report_id)
    own = actor.has_role(*UNIT_OFFICERS) and actor.unit_code == report.unit.code
    if not own and not actor.has_role(*CREDIT_OFFICE):
        raise Http404("进度报告不存在")
    form = ReturnForm()
    if request.method == "POST":
        form = ReturnForm(request.POST)
        answer = _review(request, actor, report, form)
        if answer is not None:
            return answer
        report = selectors.plan_report_get(report_id=report_id)
    can_review = (
        actor.has_role(*OFFICE)
        and report.state == ReportState.SUBMITTED
        and not any(same_person(actor, label) for label in (report.created_by, report.submitted_by))
    )
    context = {
        "report": report, "form": form, "can_review": can_review, "own": own,
        "progress_label": PROGRESS_LABELS[report.progress], "state_label": STATE_LABELS[report.state],
        "due": beijing(report.due_at), "submitted": beijing(report.first_submitted_at),
        "last_submitted": beijing(report.submitted_at), "reviewed": beijing(report.reviewed_at),
        "steps": [(beijing(t.at), REPORT_ACTIONS[t.action], t) for t in report.transitions.all()],
    }  # fmt: skip
    return console_render(
        request, actor, "console/plan/report.html", context, status=400 if form.errors else 200
    )


def _review(
    request: HttpRequest, actor: Actor, report: PlanProgressReport, form: ReturnForm
) -> HttpResponse | None:
    """Accept, or return with a reason; None (the page again, with the form's errors) when refused."""
    action = request.POST.get("action")
    try:
        if action == "accept":
            services.plan_report_accept(actor=actor, report_id=report.pk, now=now())
            messages.success(request, "进度报告已采纳，将在规划进度页面公开")
        elif action == "return":
            if not form.is_valid():
                return None
            services.plan_report_return(
                actor=actor, report_id=report.pk, reason=form.cleaned_data["reason"], now=now()
            )
            messages.success(request, "进度报告已退回责任单位")
        else:
            form.add_error(None, "请选择采纳或退回")
            return None
    except DomainError as exc:
        if exc.status == 403:
            raise
        errors_to_form(form, exc, None)
        return None
    return HttpResponseRedirect(reverse("console:plan-report", args=[report.pk]))
