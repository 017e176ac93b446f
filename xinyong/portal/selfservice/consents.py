"""/me/consents/ (查询授权, issue 15 "consents"): the subject, or its agent within a power of attorney that
covers 查询授权 (`consent` scope), lists its consents, grants one (the unit, the purpose and the last day, as
the API's ConsentIn has them) and revokes one, through the disclosure app's services the API's
`me_consents_list`, `me_consents_grant` and `me_consents_revoke` call (disclosure/consents.py, which audits
each change). A grant or revocation answers with a redirect to the list (post/redirect/get) and a message."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from xinyong.accounts.selectors import unit_get, unit_list
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import business_date, now
from xinyong.disclosure.consents import consent_grant, consent_list, consent_revoke
from xinyong.portal.selfservice.common import Me, me_context, me_of, refused
from xinyong.portal.selfservice.forms import domain_errors_to_form
from xinyong.portal.wording import error_of

FIELD_OF_CODE = {
    "unit.not_found": "grantee",
    "consent.purpose_required": "purpose",
    "consent.validity_invalid": "valid_until",
}


class ConsentForm(forms.Form):
    grantee = forms.ChoiceField(
        label=_("被授权单位"),
        error_messages={"required": _("请选择被授权单位"), "invalid_choice": _("请从列表中选择被授权单位")},
    )
    purpose = forms.CharField(
        label=_("授权用途"),
        max_length=200,
        error_messages={"required": _("请填写授权用途"), "max_length": _("授权用途不能超过 200 字")},
    )
    valid_until = forms.DateField(
        label=_("有效期至"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("请填写授权有效期"), "invalid": _("请按 2026-12-31 的格式填写日期")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = [(u.code, u.name) for u in unit_list()]
        self.fields["grantee"].choices = [("", _("请选择")), *units]  # type: ignore[attr-defined]


@login_required
@require_http_methods(["GET", "POST"])
def consents_page(request: HttpRequest) -> HttpResponse:
    """The list and the grant form; POST grants."""
    me = me_of(request)
    try:
        me.acting("me_consents_list")
        actor, subject_id = me.acting("me_consents_grant") if request.method == "POST" else (None, 0)
    except DomainError as exc:
        return refused(request, me, exc)
    if request.method == "GET":
        return _page(request, me, ConsentForm())
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return _page(request, me, form, status=400)
    data = form.cleaned_data
    try:
        consent = consent_grant(
            actor=actor,  # type: ignore[arg-type]
            subject_id=subject_id,
            grantee=unit_get(name_or_code=data["grantee"]),
            purpose=data["purpose"],
            valid_until=data["valid_until"],
            now=now(),
        )
    except DomainError as exc:
        if exc.status == 403:
            return refused(request, me, exc)
        domain_errors_to_form(form, exc, FIELD_OF_CODE)
        return _page(request, me, form, status=exc.status)
    until = dateformat.format(consent.valid_until, gettext("Y年m月d日"))
    granted = gettext("已授权%(unit)s查询本主体的非公开信息，有效期至 %(until)s")
    messages.success(request, granted % {"unit": consent.grantee.name, "until": until})
    return redirect(reverse("portal:me_consents"))


@login_required
@require_POST
def consent_revoke_page(request: HttpRequest, consent_id: int) -> HttpResponse:
    me = me_of(request)
    try:
        actor, _subject_id = me.acting("me_consents_revoke")
        consent = consent_revoke(actor=actor, consent_id=consent_id, now=now())
    except DomainError as exc:
        if exc.status == 403:
            return refused(request, me, exc)
        return _page(request, me, ConsentForm(), status=exc.status, error=error_of(exc))
    messages.success(request, gettext("已撤回对%(unit)s的授权") % {"unit": consent.grantee.name})
    return redirect(reverse("portal:me_consents"))


def _page(
    request: HttpRequest, me: Me, form: ConsentForm, status: int = 200, error: str = ""
) -> HttpResponse:
    consents = consent_list(subject_id=me.subject.pk)  # type: ignore[union-attr]
    context = {
        **me_context(me, request),
        "form": form,
        "consents": consents,
        "error": error,
        "today": business_date(now()),
    }
    return render(request, "portal/me/consents.html", context, status=status)
