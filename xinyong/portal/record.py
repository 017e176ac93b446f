"""Portal page of one decision (issue 15: a 行政许可 / 行政处罚 detail, and any other record the subject page
lists): the public-tier fields of a record of an organisation, on the days the record is shown (records.shown:
current, published or under objection, within its publication window).

A record that is the basis of a current entry on a public list links to that list's column (/lists/<code>/).

The record is read from the public profile (`disclosure.profile.subject_profile` as `Actor.anonymous()`, the
API's `subjects_profile` for anyone), so the page shows nothing the public API does not. Not shown — no such
record, another version, withdrawn, repaired, past its window, or a person's — answers one 404 page that
explains the publication rules without telling which case applies."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import dateformat
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET

from xinyong.accounts.selectors import unit_name_on
from xinyong.catalog.selectors import category_public_fields
from xinyong.core.actor import Actor
from xinyong.core.timeutil import business_date, now
from xinyong.disclosure.profile import subject_profile
from xinyong.lists.selectors import list_types_public_on_record
from xinyong.portal.limits import rate_limited
from xinyong.portal.subject import not_shown
from xinyong.portal.wording import chinese
from xinyong.records.models import Record
from xinyong.records.selectors import record_with_subject
from xinyong.reports.content import display_value
from xinyong.subjects.selectors import subject_primary_code

NOT_SHOWN = gettext_noop(
    "信用信息只在公示期内向社会公开。该信息不存在，或已公示期满、已撤销、已完成信用修复，或涉及自然人，"
    "本平台不再（或不）向社会公开。信息主体本人可登录后查询本人的信用档案。"
)


@require_GET
@rate_limited("anon")
def record_page(request: HttpRequest, record_id: int) -> HttpResponse:
    found = public_record(record_id)
    if found is None:
        return not_shown(request, gettext("未找到可公开的信息"), gettext(NOT_SHOWN))
    return render(request, "portal/record.html", found)


def public_record(record_id: int) -> dict | None:
    """What the public profile shows of this record, with its subject and category; None when it shows none.
    The unit is named as on today's date, as the subject page (a credit report) names it."""
    try:
        record = record_with_subject(record_id=record_id)
    except Record.DoesNotExist:
        return None
    subject = record.subject
    if subject.is_person:
        return None
    at = now()
    profile = subject_profile(actor=Actor.anonymous(), subject=subject, now=at)
    for category in profile["categories"]:
        for item in category["records"]:
            if item["record_id"] == record_id and item["shown"]:
                return {
                    "record": item,
                    "category": category,
                    "subject": profile["subject"],
                    "subject_code": subject_primary_code(subject),
                    "fields": _fields(record.category_id, item["fields"]),
                    "unit_name": unit_name_on(record.unit, on=business_date(at), full=False),
                    "decided": _day(item["decision_date"]),
                    "until": _day(item["publish_until"]) if item["publish_until"] else gettext("长期"),
                    "objection": _day(item["under_objection_since"]) if item["under_objection_since"] else "",
                    "list_types": list_types_public_on_record(record_id=record_id, on=business_date(at)),
                }
    return None


def _fields(category_id: int, fields: list[dict]) -> list[tuple[str, str]]:
    """(name, value as a reader should see it: code-list labels, 长期) of each public field given."""
    options = {code: opts or {} for _, code, _, opts in category_public_fields(category_ids=[category_id])}
    return [(f["name"], _shown(display_value(f["value"], options.get(f["code"], {})))) for f in fields]


def _shown(value: str) -> str:
    """A value of reports.content `display_value` in the page's language: its 长期 and the 、 between several
    code-list labels are the reports app's words; the labels are data."""
    if chinese():
        return value
    return gettext("长期") if value == "长期" else value.replace("、", gettext("、"))


def _day(iso: str) -> str:
    """An ISO date, or an RFC 3339 instant read as its Beijing date, as 2026年10月28日."""
    day = business_date(dt.datetime.fromisoformat(iso)) if "T" in iso else dt.date.fromisoformat(iso)
    return dateformat.format(day, gettext("Y年m月d日"))  # 2026年10月28日; 2026-10-28 in English
