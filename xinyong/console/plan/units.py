"""A unit's officers (数据报送员、业务经办员): the reports their unit owes per period, what is due and
overdue, the report form (status, narrative, evidence files; save a draft or submit), the evidence files."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from xinyong.accounts.roles import CREDIT_OFFICE, UNIT_OFFICERS
from xinyong.console.access import officer_view
from xinyong.console.plan.common import (
    OVERDUE,
    STATE_FILTERS,
    csv_response,
    errors_to_form,
    obligation_row,
    refusals_as_pages,
)
from xinyong.console.views import console_render
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.evidence import uploads_read
from xinyong.core.timeutil import business_date, now
from xinyong.oversight import selectors, services
from xinyong.oversight.models import Progress, ReportState
from xinyong.oversight.periods import periods_started
from xinyong.oversight.selectors import Obligation


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Optional evidence files; type and size are the service's check (core/evidence.py), as on the API."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(required=False, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        return [one(item, initial) for item in items if item]


class ReportForm(forms.Form):
    progress = forms.ChoiceField(
        label="进度状态",
        choices=Progress.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择进度状态", "invalid_choice": "请选择进度状态"},
    )
    narrative = forms.CharField(
        label="进展情况",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "请填写进展情况", "max_length": "进展情况不能超过 4000 字"},
    )
    evidence = EvidenceField(label="证明材料（可选）")


@officer_view
@refusals_as_pages
@require_GET
def tasks_page(request: HttpRequest, actor: Actor) -> HttpResponseBase:
    """/console/plan/: the unit's owed reports, newest period first (the credit office goes to its queue)."""
    if not actor.has_role(*UNIT_OFFICERS):
        return HttpResponseRedirect(reverse("console:plan-reviews"))
    unit = services.reporting_unit(actor)
    at = now()
    period, state = request.GET.get("period") or None, request.GET.get("state", "")
    rows = [obligation_row(o, at) for o in selectors.plan_obligations(on=business_date(at), unit=unit)]
    overdue_count = sum(row["overdue"] for row in rows)
    rows = [row for row in rows if _shown(row, period, state)]
    if request.GET.get("format") == "csv":
        return csv_response(
            f"plan-reports-{unit.code}.csv",
            ["任务", "报送期", "报送截止", "状态", "逾期未报"],
            ([r["obligation"].task.number, r["obligation"].period.code, r["due"], r["state_label"],
              "是" if r["overdue"] else ""] for r in rows),
        )  # fmt: skip
    context = {
        "unit": unit, "rows": rows, "overdue_count": overdue_count,
        "periods": periods_started(on=business_date(at)), "period": period or "", "state": state,
        "states": STATE_FILTERS, "office": actor.has_role(*CREDIT_OFFICE),
    }  # fmt: skip
    return console_render(request, actor, "console/plan/tasks.html", context)


def _shown(row: dict, period: str | None, state: str) -> bool:
    if period and row["obligation"].period.code != period:
        return False
    if state == OVERDUE:
        return row["overdue"]
    return not state or row["state"] == state


@officer_view
@refusals_as_pages
@require_http_methods(["GET", "POST"])
def report_form_page(request: HttpRequest, actor: Actor, task: int, period: str) -> HttpResponse:
    """Fill in (or correct a returned) report; `action` = save (草稿) or submit (报送)."""
    unit = services.reporting_unit(actor)
    at = now()
    owed = [o for o in selectors.plan_obligations(on=business_date(at), unit=unit, period=period)
            if o.task.number == task]  # fmt: skip
    if not owed:
        raise Http404("没有这项应报送的进度报告")
    obligation = owed[0]
    report = obligation.report
    if report is not None and report.state not in (ReportState.DRAFT, ReportState.RETURNED):
        return HttpResponseRedirect(reverse("console:plan-report", args=[report.pk]))
    if request.method == "GET":
        initial = {"progress": report.progress, "narrative": report.narrative} if report else {}
        return _form(request, actor, obligation, ReportForm(initial=initial))
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form(request, actor, obligation, form, status=400)
    submit = request.POST.get("action") == "submit"
    try:
        saved = services.plan_report_save(
            actor=actor, task_number=task, period=period, progress=form.cleaned_data["progress"],
            narrative=form.cleaned_data["narrative"], evidence=uploads_read(form.cleaned_data["evidence"]),
            now=at, submit=submit,
        )  # fmt: skip
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        errors_to_form(form, exc, "evidence")
        return _form(request, actor, obligation, form, status=exc.status)
    messages.success(request, "进度报告已报送，等待市信用办审核" if submit else "草稿已保存")
    return HttpResponseRedirect(reverse("console:plan-report", args=[saved.pk]))


def _form(
    request: HttpRequest, actor: Actor, obligation: Obligation, form: ReportForm, status: int = 200
) -> HttpResponse:
    context = {"o": obligation, "report": obligation.report, "form": form}
    return console_render(request, actor, "console/plan/report_form.html", context, status=status)


@officer_view
@refusals_as_pages
@require_GET
def evidence_file(request: HttpRequest, actor: Actor, report_id: int, evidence_id: int) -> HttpResponse:
    """One evidence file, for the reporting unit's officers and the credit office (audited)."""
    evidence, data = services.plan_report_evidence_read(
        actor=actor, report_id=report_id, evidence_id=evidence_id, now=now()
    )
    response = HttpResponse(data, content_type=evidence.content_type)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + _quoted(evidence.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _quoted(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
