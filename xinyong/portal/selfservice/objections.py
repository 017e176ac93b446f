"""/me/objections/new (提出异议): the subject, or its agent within the power of attorney, files an objection
on one of the subject's own records through the remedies service the API's `objections_file` calls; the
answer shows the query code (`#result`). Errors are shown per field, in Chinese, above the form too."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from xinyong.core.errors import DomainError
from xinyong.core.evidence import uploads_read
from xinyong.core.pagelimits import page_limited
from xinyong.core.timeutil import now
from xinyong.portal.selfservice.common import Me, me_context, me_of, refused
from xinyong.portal.selfservice.forms import EvidenceField, domain_errors_to_form
from xinyong.portal.selfservice.records import own_record_choices
from xinyong.records.models import RecordStatus
from xinyong.remedies import services
from xinyong.remedies.models import Grounds

OBJECTIONABLE = (
    RecordStatus.PUBLISHED,
    RecordStatus.UNDER_OBJECTION,
    RecordStatus.EXPIRED,
    RecordStatus.NOT_PUBLISHED,
)
# the service's refusals without a field of their own, by code, to the form field they concern
FIELD_OF_CODE = {
    "objection.grounds_invalid": "grounds",
    "objection.already_open": "record",
    "objection.target_closed": "record",
    "record.not_found": "record",
    "record.erased": "record",
    "record.no_current_version": "record",
    "objection.description_required": "description",
    "objection.applicant_required": "applicant_name",
    "evidence.invalid": "evidence",
    "evidence.too_many": "evidence",
}


class ObjectionForm(forms.Form):
    record = forms.TypedChoiceField(
        label=_("提出异议的信用信息"),
        coerce=int,
        error_messages={
            "required": _("请选择要提出异议的信用信息"),
            "invalid_choice": _("请从列表中选择本主体的信用信息"),
        },
    )
    grounds = forms.ChoiceField(
        label=_("异议理由"),
        choices=[("", _("请选择")), *[(code, _(label)) for code, label in Grounds.choices]],
        error_messages={"required": _("请选择异议理由"), "invalid_choice": _("请从列表中选择异议理由")},
    )
    description = forms.CharField(
        label=_("异议说明"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请说明异议的具体内容"), "max_length": _("异议说明不能超过 4000 字")},
    )
    applicant_name = forms.CharField(
        label=_("申请人"),
        max_length=200,
        error_messages={"required": _("请填写申请人"), "max_length": _("申请人不能超过 200 字")},
    )
    evidence = EvidenceField(label=_("证明材料（可选）"))

    def __init__(self, *args, records: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = [("", _("请选择")), *records]  # type: ignore[attr-defined]


@login_required
@require_http_methods(["GET", "POST"])
@page_limited("filing", "upload", methods=("POST",), per_user=True)
def objection_new_page(request: HttpRequest) -> HttpResponse:
    me = me_of(request)
    try:
        actor, subject_id = me.acting("objections_file")
    except DomainError as exc:
        return refused(request, me, exc)
    records = own_record_choices(subject_id=subject_id, statuses=OBJECTIONABLE)
    if request.method == "GET":
        initial = {"applicant_name": me.subject.name if me.subject else ""}
        form = ObjectionForm(initial=initial, records=records)
        return _form_page(request, me, form)
    form = ObjectionForm(request.POST, request.FILES, records=records)
    if not form.is_valid():
        return _form_page(request, me, form, status=400)
    try:
        objection = services.objection_file(
            actor=actor,
            target_kind="record",
            target_id=form.cleaned_data["record"],
            grounds=form.cleaned_data["grounds"],
            description=form.cleaned_data["description"],
            applicant_name=form.cleaned_data["applicant_name"],
            evidence=uploads_read(form.cleaned_data["evidence"]),
            agent_name=_agent_name(request) if me.agency else "",
            now=now(),
        )
    except DomainError as exc:
        if exc.status == 403:
            return refused(request, me, exc)
        domain_errors_to_form(form, exc, FIELD_OF_CODE)
        return _form_page(request, me, form, status=exc.status)
    context = {**me_context(me, request), "objection": objection}
    return render(request, "portal/me/objection_filed.html", context, status=201)


def _agent_name(request: HttpRequest) -> str:
    user = request.user
    return getattr(user, "full_name", "") or user.get_username()


def _form_page(request: HttpRequest, me: Me, form: ObjectionForm, status: int = 200) -> HttpResponse:
    context = {**me_context(me, request), "form": form}
    return render(request, "portal/me/objection_new.html", context, status=status)
