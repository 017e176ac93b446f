"""Portal page 举报 /tipoffs/new (issue 15 "举报 (anonymous allowed, evidence upload)"): anyone, with or
without an account, reports a subject's dishonest conduct, anonymously or named with a telephone, with
evidence files. The page calls the filing service `POST /api/v1/tipoffs` calls (tipoffs.services
`tipoff_file`), with the files read as the API reads them (core.evidence `uploads_read`): the service checks
their count, size and type by content, and an anonymous filer's per-request cap, exactly as on the API. Each
POST counts in the API's `filing` and `upload` classes for the address (portal/limits.py). The answer shows
the query code in `#result`, followed on /progress/."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from xinyong.accounts.actors import request_actor
from xinyong.accounts.selectors import unit_list
from xinyong.catalog.selectors import category_list
from xinyong.core.errors import DomainError
from xinyong.core.evidence import uploads_read
from xinyong.core.timeutil import now
from xinyong.portal.limits import FILING_CLASSES, rate_limited
from xinyong.portal.selfservice.forms import EvidenceField, domain_errors_to_form
from xinyong.tipoffs.services import tipoff_file

# the service's refusals about the files, by code, to the form's evidence field
FIELD_OF_CODE = {
    "evidence.invalid": "evidence",
    "evidence.too_many": "evidence",
    "evidence.too_large": "evidence",
}


class TipoffForm(forms.Form):
    """The fields of the API's TipoffFileIn, with the same lengths; the rest is the service's check."""

    subject = forms.CharField(
        label=_("被举报主体"),
        max_length=200,
        error_messages={
            "required": _("请填写被举报主体的名称或统一社会信用代码"),
            "max_length": _("被举报主体最多 200 字"),
        },
    )
    category = forms.ChoiceField(
        label=_("失信行为类别"),
        error_messages={
            "required": _("请选择失信行为类别"),
            "invalid_choice": _("请从列表中选择失信行为类别"),
        },
    )
    description = forms.CharField(
        label=_("举报内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("请填写举报内容（失信行为的事实）"),
            "max_length": _("举报内容最多 5000 字"),
        },
    )
    unit = forms.ChoiceField(
        label=_("承办单位（可选）"),
        required=False,
        error_messages={"invalid_choice": _("请从列表中选择承办单位")},
    )
    anonymous = forms.BooleanField(label=_("匿名举报（不填写举报人信息）"), required=False)
    reporter_name = forms.CharField(
        label=_("举报人姓名"),
        max_length=30,
        required=False,
        error_messages={"max_length": _("举报人姓名最多 30 个字")},
    )
    reporter_phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        required=False,
        error_messages={"max_length": _("联系电话最多 20 位")},
    )
    reporter_id_number = forms.CharField(
        label=_("举报人公民身份号码（可选）"),
        max_length=20,
        required=False,
        error_messages={"max_length": _("公民身份号码最多 20 位")},
    )
    evidence = EvidenceField(label=_("证明材料（可选）"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        named = gettext("%(name)s（%(code)s）")
        categories = [(c.code, named % {"name": c.name, "code": c.code}) for c in category_list()]
        units = [(u.code, u.name) for u in unit_list()]
        self.fields["category"].choices = [("", _("请选择")), *categories]  # type: ignore[attr-defined]
        self.fields["unit"].choices = [("", _("不指定（按目录分派）")), *units]  # type: ignore[attr-defined]


@require_http_methods(["GET", "POST"])
@rate_limited("anon", post_also=FILING_CLASSES)
def tipoff_new_page(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _form_page(request, TipoffForm())
    form = TipoffForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    data = form.cleaned_data
    try:
        tipoff = tipoff_file(
            actor=request_actor(request),
            subject=data["subject"],
            category=data["category"],
            description=data["description"],
            unit=data["unit"],
            anonymous=data["anonymous"],
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
            reporter_id_number=data["reporter_id_number"],
            files=uploads_read(data["evidence"]),
            now=now(),
        )
    except DomainError as exc:
        domain_errors_to_form(form, exc, FIELD_OF_CODE)
        return _form_page(request, form, status=exc.status)
    return render(request, "portal/tipoff_filed.html", {"tipoff": tipoff}, status=201)


def _form_page(request: HttpRequest, form: TipoffForm, status: int = 200) -> HttpResponse:
    return render(request, "portal/tipoff_new.html", {"form": form}, status=status)
