"""The console's forms (issue 16): the workbench's filters and the reviewer's two decisions. They check shape
only; what a decision needs (a reason to reject or refuse) is the service's to say, and its per-field errors
land on the form (`errors_onto`)."""

from __future__ import annotations

from django import forms

from xinyong.console.workbench.due import DUE_LABELS
from xinyong.core.errors import DomainError

REASON_MAX = 4000


class WorkbenchFilter(forms.Form):
    kind = forms.ChoiceField(label="事项类型", required=False)
    due = forms.ChoiceField(
        label="期限", required=False, choices=[("", "全部")] + [(k, v) for k, v in DUE_LABELS.items()]
    )
    unit = forms.ChoiceField(label="单位", required=False)

    def __init__(self, data, *, kinds: list[tuple[str, str]], units: list[tuple[str, str]] | None) -> None:
        super().__init__(data)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", "全部")] + kinds
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ChoiceField)
        if units is None:
            del self.fields["unit"]
        else:
            unit.choices = [("", "全部单位")] + units


class ProposalReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核结论",
        choices=[("approve", "审核通过（发出告知书）"), ("reject", "审核不通过")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择审核结论", "invalid_choice": "请选择审核结论"},
    )
    reason = forms.CharField(
        label="审核意见",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="审核不通过须说明理由；审核通过可留空。",
        error_messages={"max_length": f"审核意见最多 {REASON_MAX} 字"},
    )


class ObjectionAcceptForm(forms.Form):
    decision = forms.ChoiceField(
        label="受理结论",
        choices=[("accept", "受理（转提供单位核实）"), ("refuse", "不予受理")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择受理结论", "invalid_choice": "请选择受理结论"},
    )
    reason = forms.CharField(
        label="理由",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="不予受理须说明理由（即书面答复）；受理可留空。",
        error_messages={"max_length": f"理由最多 {REASON_MAX} 字"},
    )


def errors_onto(form: forms.Form, error: DomainError) -> None:
    """A service's refusal onto the form: its per-field errors on their fields, the rest as the form's."""
    placed = False
    for one in error.errors:
        if one.get("field") in form.fields:
            form.add_error(one["field"], one["message"])
            placed = True
    if not placed:
        form.add_error(None, error.message)
