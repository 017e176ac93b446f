"""Portal page of one decision (issue 15: a 行政许可 / 行政处罚 detail, and any other record the subject page
lists): the public-tier fields of a record of an organisation, on the days the record is shown (records.shown:
current, published or under objection, within its publication window).

A record that is the basis of a current entry on a public list links to that list's column (/lists/<code>/).

The record is read directly (`records.selectors.record_with_subject`, its subject and category joined) and
judged by the one definition of what is shown (`records.shown.record_is_shown` on today's business date, the
staging gate of the records' default manager included), with the public-tier fields of its category
(`catalog.selectors.category_public_fields`): the same record, fields and labels as the public profile
(`disclosure.profile.subject_profile` for `Actor.anonymous()`, the API's `subjects_profile` for anyone) shows,
without reading the subject's whole profile (issue 15's performance requirement). Not shown — no such record,
another version, withdrawn, repaired, past its window, or a person's — answers one 404 page that explains the
publication rules without telling which case applies."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import dateformat
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET

from xinyong.accounts.selectors import unit_name_on
from xinyong.catalog.selectors import category_public_fields
from xinyong.core.timeutil import business_date, now
from xinyong.lists.selectors import list_types_public_on_record
from xinyong.portal.limits import rate_limited
from xinyong.portal.subject import not_shown
from xinyong.portal.wording import chinese
from xinyong.records.models import Record, RecordStatus
from xinyong.records.selectors import record_with_subject, records_objection_since
from xinyong.records.shown import record_is_shown
from xinyong.reports.content import display_value
from xinyong.subjects.selectors import subject_primary_code

STATUS_LABELS = dict(RecordStatus.choices)

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
    """What the public may read of this record, with its subject and category; None when it is not shown
    today. The unit is named as on today's date, as the subject page (a credit report) names it."""
    try:
        record = record_with_subject(record_id=record_id)
    except Record.DoesNotExist:
        return None
    subject, today = record.subject, business_date(now())
    shown = record_is_shown(
        status=record.status, is_current=record.is_current, publish_max_end=record.publish_max_end, on=today
    )
    if subject.is_person or not shown:
        return None
    objection = None
    if record.status == RecordStatus.UNDER_OBJECTION:
        objection = records_objection_since(record_ids=[record.pk]).get(record.pk)
    until = record.publish_max_end
    return {
        "record": {
            "record_id": record.pk,
            "doc_no": record.doc_no,
            "status_label": STATUS_LABELS[record.status],
        },
        "category": {"name": record.category.name},
        "subject": {"name": subject.name},
        "subject_code": subject_primary_code(subject),
        "fields": _fields(record.category_id, record.payload),
        "unit_name": unit_name_on(record.unit, on=today, full=False),
        "decided": _day(record.decision_date),
        "until": _day(until) if until else gettext("长期"),
        "objection": _day(business_date(objection)) if objection else "",
        "list_types": list_types_public_on_record(record_id=record_id, on=today),
    }


def _fields(category_id: int, payload: dict) -> list[tuple[str, str]]:
    """(name, value as a reader should see it: code-list labels, 长期) of each public field the record fills,
    in catalog order."""
    fields = category_public_fields(category_ids=[category_id])
    return [
        (name, _shown(display_value(payload[code], options or {})))
        for _, code, name, options in fields
        if payload.get(code) not in (None, "")
    ]


def _shown(value: str) -> str:
    """A value of reports.content `display_value` in the page's language: its 长期 and the 、 between several
    code-list labels are the reports app's words; the labels are data."""
    if chinese():
        return value
    return gettext("长期") if value == "长期" else value.replace("、", gettext("、"))


def _day(day: dt.date) -> str:
    """A date as 2026年10月28日 (2026-10-28 in English)."""
    return dateformat.format(day, gettext("Y年m月d日"))
