"""The dashboards' filter (issue 16): a month range (YYYY-MM, Beijing calendar months) and the city or one
district; errors per field, in Chinese."""

from __future__ import annotations

import datetime as dt

from django import forms

from xinyong.dashboards.tables import district_choices

MONTHS_MAX = 60


def _month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise forms.ValidationError("月份格式应为 YYYY-MM，如 2026-11") from None


class FilterForm(forms.Form):
    month_from = forms.CharField(label="起始月份", max_length=7, required=False, help_text="YYYY-MM")
    month_to = forms.CharField(label="截止月份", max_length=7, required=False, help_text="YYYY-MM")
    district = forms.ChoiceField(label="区域", required=False)

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        district = self.fields["district"]
        assert isinstance(district, forms.ChoiceField)
        district.choices = district_choices()

    def clean_month_from(self) -> dt.date:
        value = self.cleaned_data.get("month_from")
        if not value:  # default: the twelve months up to this one
            year, month = divmod(self.today.year * 12 + self.today.month - 1 - 11, 12)
            return dt.date(year, month + 1, 1)
        return _month(value)

    def clean_month_to(self) -> dt.date:
        value = self.cleaned_data.get("month_to")
        return _month(value) if value else self.today.replace(day=1)

    def clean(self):
        data = super().clean()
        start, end = data.get("month_from"), data.get("month_to")
        if start and end:
            if start > end:
                self.add_error("month_to", "截止月份不能早于起始月份")
            elif (end.year - start.year) * 12 + end.month - start.month >= MONTHS_MAX:
                self.add_error("month_to", f"一次最多查看 {MONTHS_MAX} 个月")
        return data
