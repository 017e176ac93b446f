"""/me/reports/new (信用报告, issue 15 "own credit report (full or 专项)"): the subject, or its agent within a
power of attorney covering 信用报告 (`report` scope), chooses a kind the reports service offers
(reports.content `KINDS`: 全量 or 专项) and a purpose; the report is issued by the service that
`POST /api/v1/reports` calls (reports.services `report_issue`, which records it and audits the issue).
The answer page shows the report number and verification code (`#result`), links to /reports/verify,
and offers the PDF as a download (Content-Disposition attachment).

The platform keeps a report's SHA-256, not its file (reports/api.py): the PDF waits in the signed-in session
for its one download (`PENDING_KEY`, one report at a time) and is dropped from the session once downloaded."""

from __future__ import annotations

import base64

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from xinyong.core.errors import DomainError
from xinyong.core.timeutil import now
from xinyong.portal.selfservice.common import Me, me_context, me_of, refused
from xinyong.portal.selfservice.forms import domain_errors_to_form
from xinyong.portal.wording import word
from xinyong.reports.content import KIND_SUBTITLES, KINDS
from xinyong.reports.services import report_issue

PENDING_KEY = "portal.report_pdf"
FIELD_OF_CODE = {
    "report.kind_invalid": "kind",
    "report.purpose_required": "purpose",
    "report.purpose_too_long": "purpose",
}
GONE = gettext_noop("报告文件只能下载一次，本次会话中已没有待下载的报告；如需报告，请重新申请")


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("报告类型"),
        choices=[
            (code, format_lazy("{}{}", _(label), _(KIND_SUBTITLES[code]))) for code, label in KINDS.items()
        ],  # noqa: E501
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择报告类型"), "invalid_choice": _("请从列表中选择报告类型")},
    )
    purpose = forms.CharField(
        label=_("报告用途"),
        max_length=200,
        error_messages={"required": _("请说明报告用途"), "max_length": _("报告用途不能超过 200 字")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_new_page(request: HttpRequest) -> HttpResponse:
    me = me_of(request)
    try:
        actor, _subject_id = me.acting("reports_issue")
    except DomainError as exc:
        return refused(request, me, exc)
    if request.method == "GET":
        return _form_page(request, me, ReportForm(initial={"kind": "full"}))
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _form_page(request, me, form, status=400)
    try:
        issued = report_issue(
            actor=actor,
            subject=me.subject,  # type: ignore[arg-type]
            kind=form.cleaned_data["kind"],
            purpose=form.cleaned_data["purpose"],
            now=now(),
        )
    except DomainError as exc:
        if exc.status == 403:
            return refused(request, me, exc)
        domain_errors_to_form(form, exc, FIELD_OF_CODE)
        return _form_page(request, me, form, status=exc.status)
    report = issued.report
    request.session[PENDING_KEY] = {
        "number": report.number,
        "pdf": base64.b64encode(issued.pdf).decode("ascii"),
    }
    context = {
        **me_context(me, request),
        "report": report,
        "code": issued.code,
        "kind_label": word(KINDS[report.kind]),
    }
    return render(request, "portal/me/report_issued.html", context, status=201)


@login_required
@require_GET
def report_download(request: HttpRequest, number: str) -> HttpResponse:
    """The PDF just issued to this session, once, as an attachment; afterwards a Chinese 404 page."""
    me = me_of(request)
    pending = request.session.get(PENDING_KEY) or {}
    if pending.get("number") != number:
        return refused(request, me, DomainError("report.download_gone", GONE, status=404))
    del request.session[PENDING_KEY]
    response = HttpResponse(base64.b64decode(pending["pdf"]), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _form_page(request: HttpRequest, me: Me, form: ReportForm, status: int = 200) -> HttpResponse:
    context = {**me_context(me, request), "form": form}
    return render(request, "portal/me/report_new.html", context, status=status)
