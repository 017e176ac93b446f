"""/me/repairs/new (申请信用修复, free of charge): the subject, or its agent within the power of attorney,
chooses one of the subject's published records, reads the conditions of repair as they stand (the service the
API's `repairs_preview` calls; nothing is written), then applies (`repairs_apply`'s service: refused at once,
condition by condition, unless every one holds). The answer shows the query code (`#result`)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.evidence import uploads_read
from xinyong.core.pagelimits import page_limited
from xinyong.core.timeutil import now
from xinyong.portal.selfservice.common import Me, me_context, me_of, refused
from xinyong.portal.selfservice.forms import EvidenceField, domain_errors_to_form
from xinyong.portal.selfservice.records import own_record_choices
from xinyong.portal.wording import conditions_shown
from xinyong.records.models import RecordStatus
from xinyong.remedies import services

FIELD_OF_CODE = {
    "repair.statement_required": "statement",
    "repair.applicant_required": "applicant_name",
    "repair.already_open": "record",
    "repair.not_negative": "record",
    "repair.under_objection": "record",
    "repair.not_public": "record",
    "repair.not_repairable": "record",
    "record.not_found": "record",
    "evidence.invalid": "evidence",
    "evidence.too_many": "evidence",
}


class RepairForm(forms.Form):
    record = forms.TypedChoiceField(
        label=_("申请修复的信用信息"),
        coerce=int,
        error_messages={
            "required": _("请选择要修复的信用信息"),
            "invalid_choice": _("请从列表中选择本主体的信用信息"),
        },
    )
    certificate_no = forms.CharField(
        label=_("信用修复培训证书编号（如需）"),
        max_length=32,
        required=False,
        error_messages={"max_length": _("证书编号不能超过 32 个字符")},
    )
    statement = forms.CharField(
        label=_("申请说明"),
        max_length=4000,
        required=False,  # required on applying only; the service says so (repair.statement_required)
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": _("申请说明不能超过 4000 字")},
    )
    applicant_name = forms.CharField(
        label=_("申请人"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("申请人不能超过 200 字")},
    )
    evidence = EvidenceField(label=_("履行义务的证明材料"))

    def __init__(self, *args, records: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = [("", _("请选择")), *records]  # type: ignore[attr-defined]


@login_required
@require_http_methods(["GET", "POST"])
@page_limited("filing", "upload", methods=("POST",), per_user=True)
def repair_new_page(request: HttpRequest) -> HttpResponse:
    me = me_of(request)
    operation = "repairs_apply" if request.POST.get("action") == "apply" else "repairs_preview"
    try:
        actor, subject_id = me.acting(operation)
    except DomainError as exc:
        return refused(request, me, exc)
    records = own_record_choices(subject_id=subject_id, statuses=(RecordStatus.PUBLISHED,))
    if request.method == "GET":
        form = RepairForm(initial={"applicant_name": me.subject.name if me.subject else ""}, records=records)
        return _page(request, me, form)
    form = RepairForm(request.POST, request.FILES, records=records)
    if not form.is_valid():
        return _page(request, me, form, status=400)
    try:
        if operation == "repairs_preview":
            return _page(request, me, form, conditions=_preview(actor, form.cleaned_data))
        repair = _apply(actor, form.cleaned_data)
    except DomainError as exc:
        if exc.status == 403:
            return refused(request, me, exc)
        domain_errors_to_form(form, exc, FIELD_OF_CODE)
        return _page(request, me, form, status=exc.status, conditions=exc.extra.get("conditions"))
    return render(
        request, "portal/me/repair_filed.html", {**me_context(me, request), "repair": repair}, status=201
    )


def _preview(actor: Actor, data: dict) -> list[dict]:
    _target, conditions = services.repair_preview(
        actor=actor,
        target_kind="record",
        target_id=data["record"],
        evidence_count=len(data["evidence"]),
        certificate_no=data["certificate_no"],
        now=now(),
    )
    return [c.as_dict() for c in conditions]


def _apply(actor: Actor, data: dict):
    return services.repair_apply(
        actor=actor,
        target_kind="record",
        target_id=data["record"],
        statement=data["statement"],
        applicant_name=data["applicant_name"],
        evidence=uploads_read(data["evidence"]),
        certificate_no=data["certificate_no"],
        now=now(),
    )


def _page(request: HttpRequest, me: Me, form: RepairForm, status: int = 200, conditions=None) -> HttpResponse:
    context = {**me_context(me, request), "form": form, "conditions": conditions_shown(conditions)}
    return render(request, "portal/me/repair_new.html", context, status=status)
