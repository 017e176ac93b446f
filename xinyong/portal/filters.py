"""The filter form of the public columns (issue 15): GET parameters in, a `PublicityQuery` and a page number
out, or one Chinese message per field that is wrong (the page then shows an error summary, GOV.UK style, and
no rows). Units and districts are chosen from lists; a value not on them is refused here, never looked up."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext

from xinyong.accounts.models import UnitType
from xinyong.accounts.selectors import unit_list
from xinyong.portal.subject import NotShown, organisation
from xinyong.records.selectors import PublicityQuery

PAGE_SIZE = 20
# the ids an error summary links to
FORM_FIELDS = ("unit", "district", "subject", "type", "date_from", "date_to")
MAX_PAGE = 50  # at most 1,000 rows through the pages (offset paging stays cheap); narrow the filter for more


@dataclass(frozen=True)
class Choices:
    """What each select offers: (value, label) pairs."""

    units: list[tuple[str, str]]
    districts: list[tuple[str, str]]
    types: list[tuple[str, str]] = field(default_factory=list)


def choices_for(types: list[tuple[str, str]]) -> Choices:
    """Every active unit, the district governments, and the decision types ((value, label): a code list's
    label follows its code, 05 登记; an enum's value is its label)."""
    units = [(u.code, u.name) for u in unit_list()]
    districts = [(u.code, u.name) for u in unit_list(type=UnitType.DISTRICT_GOVERNMENT)]
    return Choices(
        units, districts, [(code, code if code == label else f"{code} {label}") for code, label in types]
    )


@dataclass
class Parsed:
    query: PublicityQuery | None
    page: int
    values: dict[str, str]  # what the form shows again
    errors: list[tuple[str, str]]  # (field id, message), in form order


def parse(data: QueryDict, *, kind: str, choices: Choices, on: dt.date) -> Parsed:
    values = {
        name: data.get(name, "").strip()
        for name in ("unit", "district", "subject", "type", "date_from", "date_to", "page")
    }
    errors: list[tuple[str, str]] = []

    def chosen(name: str, options: list[tuple[str, str]], what: str) -> str | None:
        value = values[name]
        if value and value not in {code for code, _ in options}:
            errors.append((name, not_offered(what, value)))
        return value or None

    unit = chosen("unit", choices.units, gettext("提供单位"))
    district = chosen("district", choices.districts, gettext("所属区"))
    subject = _subject(values["subject"], errors)
    decision_type = chosen("type", choices.types, gettext("类别")) if choices.types else None
    date_from = _date(values["date_from"], "date_from", gettext("起始日期"), errors)
    date_to = _date(values["date_to"], "date_to", gettext("截止日期"), errors)
    if date_from and date_to and date_from > date_to:
        errors.append(("date_to", gettext("截止日期不能早于起始日期")))
    page = page_number(values["page"], errors)
    if errors:
        return Parsed(None, page, values, errors)
    query = PublicityQuery(
        kind=kind,
        unit=unit,
        district=district,
        subject=subject,
        decision_type=decision_type,
        date_from=date_from,
        date_to=date_to,
        on=on,
    )
    return Parsed(query, page, values, errors)


def not_offered(what: str, value: str) -> str:
    """The message for a value that no select offers (a hand-made link)."""
    return gettext("%(what)s“%(value)s”不在可选范围内，请从列表中选择") % {"what": what, "value": value}


def _subject(code: str, errors: list[tuple[str, str]]) -> str | None:
    """An organisation's code (the subject page's 查看全部 link), checked as the subject page checks it: an
    unknown or malformed code, or a person's, is refused with the page's message (never looked up further)."""
    if not code:
        return None
    try:
        organisation(code)
    except NotShown as exc:
        errors.append(("subject", gettext("主体代码：%(reason)s") % {"reason": gettext(exc.message)}))
        return None
    return code


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)  # what <input type=date> sends


def _date(text: str, name: str, label: str, errors: list[tuple[str, str]]) -> dt.date | None:
    if not text:
        return None
    try:
        if ISO_DAY.fullmatch(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    message = gettext("%(label)s应为有效日期，格式为 年-月-日（如 2026-10-01）") % {"label": label}
    errors.append((name, message))
    return None


def page_number(text: str, errors: list[tuple[str, str]]) -> int:
    if not text:
        return 1
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_PAGE:
        message = gettext("页码应为 1 到 %(most)s 之间的整数；更早的信息请缩小筛选范围后查看")
        message %= {"most": MAX_PAGE}
        errors.append(("page", message))
        return 1
    return int(text)


def page_of(rows, page: int) -> tuple[list, bool]:
    """One page of a queryset (offset paging, bounded by MAX_PAGE) and whether another page follows."""
    start = (page - 1) * PAGE_SIZE
    found = list(rows[start : start + PAGE_SIZE + 1])
    return found[:PAGE_SIZE], len(found) > PAGE_SIZE and page < MAX_PAGE


def link_to(values: dict[str, str], **changes: str | int) -> str:
    """The query string of the same filter with `changes` (a page link, the CSV link)."""
    merged = {**values, **{k: str(v) for k, v in changes.items()}}
    return "?" + urlencode([(k, v) for k, v in merged.items() if v])
