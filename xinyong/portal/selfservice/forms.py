"""Form pieces of the self-service pages: several evidence files in one field, and a service's refusal shown
on the form that caused it (per field where it names one)."""

from __future__ import annotations

from django import forms

from xinyong.core.errors import DomainError
from xinyong.portal.wording import ERRORS, error_of, error_text


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Optional evidence files (证明材料): a list of uploads; their type and size are the service's check
    (core/evidence.py), as on the API."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(item, initial) for item in data if item]
        return [one(data, initial)] if data else []


def domain_errors_to_form(form: forms.Form, exc: DomainError, field_of_code: dict[str, str]) -> None:
    """Put `exc` on `form`: each of its per-field errors on its field, else on the field its code concerns
    (`field_of_code`), else on the form as a whole. Evidence errors name `files[i]`: one message on the
    evidence field, naming each file. Messages in the page's language (portal/wording.py)."""
    by_code = field_of_code.get(exc.code)
    if not exc.errors or by_code == "evidence":
        form.add_error(by_code if by_code in form.fields else None, error_of(exc))
        return
    for error in exc.errors:
        name = error.get("field", "")
        target = name if name in form.fields else by_code
        code = error.get("code", "")
        message = error_text(code if code in ERRORS else exc.code, error.get("message") or exc.message)
        form.add_error(target if target in form.fields else None, message)
