"""Forms of the back-office pages for people and tokens (issue 14, accounts/peopleadmin.py). They check input
field by field in Chinese; the account services do the writing and the auditing."""

from __future__ import annotations

from django import forms

from xinyong.accounts.models import Unit, User
from xinyong.accounts.policy import PERSON_ROLES, ROLE_LABELS, officer_roles_check
from xinyong.accounts.services import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS
from xinyong.core.errors import DomainError

ROLE_CHOICES = [(role, ROLE_LABELS[role]) for role in ROLE_LABELS if role in PERSON_ROLES]


def _roles_checked(form: forms.Form, unit: Unit | None, roles: list[str]) -> list[str]:
    if unit is None:
        return roles
    try:
        return officer_roles_check(unit, roles)
    except DomainError as err:
        form.add_error("roles", err.message)
        return roles


class OfficerCreateForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="所属单位", queryset=Unit.objects.filter(active=True).order_by("code")
    )
    roles = forms.MultipleChoiceField(
        label="角色",
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="信用办的角色只属于信用办",
    )
    full_name = forms.CharField(label="姓名", max_length=50)
    username = forms.CharField(
        label="用户名",
        max_length=150,
        required=False,
        help_text="留空则按单位代码自动生成，如 bj-gongshangju-001",
    )

    def clean(self):
        data = super().clean()
        data["roles"] = _roles_checked(self, data.get("unit"), data.get("roles") or [])
        username = (data.get("username") or "").strip()
        if username and User.objects.filter(username=username).exists():
            self.add_error("username", f"用户名 {username} 已被使用")
        return data


class RolesForm(forms.ModelForm):
    """The change page of a person: only the roles are edited here (through `officer_roles_set`)."""

    roles = forms.MultipleChoiceField(label="角色", choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = User
        fields = ["roles"]

    def clean_roles(self):
        return _roles_checked(self, self.instance.unit, self.cleaned_data["roles"])


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3, "cols": 60})
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("请填写原因")
        return reason


class TokenCreateForm(forms.Form):
    KINDS = [("person", "工作人员本人令牌（随本人的单位和角色）"), ("integration", "单位的系统对接令牌")]

    kind = forms.ChoiceField(label="令牌类型", choices=KINDS, widget=forms.RadioSelect, initial="person")
    user = forms.ModelChoiceField(
        label="工作人员",
        required=False,
        queryset=User.objects.filter(is_active=True, unit__isnull=False).order_by("username"),
    )
    unit = forms.ModelChoiceField(
        label="单位（系统对接）", required=False, queryset=Unit.objects.filter(active=True).order_by("code")
    )
    role = forms.ChoiceField(label="角色（系统对接）", required=False, choices=[("", "——"), *ROLE_CHOICES])
    name = forms.CharField(
        label="名称",
        max_length=100,
        required=False,
        help_text="系统对接令牌必填：对接系统的名称，如 区政务服务系统",
    )
    days = forms.IntegerField(
        label="有效天数", min_value=1, max_value=MAX_TOKEN_DAYS, initial=DEFAULT_TOKEN_DAYS
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == "person":
            if not data.get("user"):
                self.add_error("user", "请选择工作人员")
        elif data.get("kind") == "integration":
            for field, message in (
                ("unit", "请选择单位"),
                ("role", "请选择角色"),
                ("name", "请填写对接系统名称"),
            ):
                value = data.get(field)
                if not value or (isinstance(value, str) and not value.strip()):
                    self.add_error(field, message)
        return data
