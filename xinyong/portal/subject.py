"""Portal page 主体页 (issue 15): what the platform publishes about one organisation, read exactly as a credit
report reads it — `reports.content.report_content`, the subject's standing for the public scope
(standing.standing_for, docs/rules.md "One standing"): public-tier fields of the records shown on today's
business date (within their publication windows, flagged 异议处理中 when under objection) and the current
entries of public list types (red lists are honours). The `<select>` chooses the report's view: the full one
(公共信用信息) or the compliance one (专项: penalties, coercion, serious-dishonesty lists).

Organisations only: a resident ID (or a tax number holding one) is refused before any lookup, and a person
found under another code is refused alike, so the page never tells whether a person has records."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET

from xinyong.core.errors import DomainError
from xinyong.core.timeutil import business_date, now
from xinyong.portal.limits import rate_limited
from xinyong.portal.search import district_label
from xinyong.portal.wording import ERRORS, chinese, error_of
from xinyong.reports.content import (
    COMPLIANCE,
    FULL,
    KINDS,
    FieldLine,
    RecordItem,
    Section,
    report_content,
)
from xinyong.standing.selectors import PUBLIC, standing_badges, standing_for
from xinyong.subjects.models import IdentifierKind, Subject
from xinyong.subjects.selectors import code_key, subject_lookup, subject_primary_code

PERSON_REFUSED = gettext_noop(
    "本平台不向社会公开自然人的信用信息。个人可登录后查询本人的信用档案，或申请本人的信用报告。"
)
LATEST = 10  # records shown per category (the newest: decision date, then id); the columns list them all
COLUMN_OF = {"XK": "portal:licences", "CF": "portal:penalties", "XYCN": "portal:commitments"}
SUMMARY_FIELDS = ("许可内容", "违法行为类型", "处罚内容", "承诺事项")
VIEWS = [  # the report views' names (reports.content KINDS and KIND_SUBTITLES), in the page's language
    (FULL, gettext_lazy("公共信用信息报告（全量版）")),
    (COMPLIANCE, gettext_lazy("专项信用报告（行政处罚、行政强制、严重失信名单及刑事犯罪记录情况）")),
]


class NotShown(Exception):
    """The page has nothing public to show: the message says why (a 404 page)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@require_GET
@rate_limited("anon")
def subject_page(request: HttpRequest, code: str) -> HttpResponse:
    view = request.GET.get("view", FULL)
    view = view if view in KINDS else FULL
    try:
        subject = organisation(code)
    except NotShown as exc:
        return not_shown(request, gettext("未找到该主体"), gettext(exc.message))
    primary = subject_primary_code(subject)
    if (
        primary and primary != code
    ):  # a corrected code, an alias or a merged subject: one address per organisation
        suffix = f"?view={view}" if view != FULL else ""
        return HttpResponseRedirect(reverse("portal:subject", args=[primary]) + suffix, status=301)
    at = now()
    day_format = gettext("Y年m月d日")
    standing = standing_for(subject_id=subject.pk, on=business_date(at), scope=PUBLIC)  # read once
    content = report_content(subject=subject, kind=view, now=at, standing=standing, latest=LATEST)
    badges = standing_badges(standing)
    context = {
        "subject": subject,
        "content": content,
        "base": content.base,
        "district": district_label(content.base.district),
        "former_names": [n for n in content.base.name_history if n[2] is not None][::-1],
        "sections": [
            (s, _summaries(s, day_format), _all_of(s, primary or code))
            for s in content.sections
            if s.count or view == COMPLIANCE
        ],
        "latest": LATEST,
        "overview": [s for s in content.sections if s.held],
        "badges": badges,
        "view": view,
        "views": VIEWS,
        "today": content.as_of_date,
    }
    return render(request, "portal/subject.html", context)


def organisation(code: str) -> Subject:
    """The organisation a code names (corrections and merges followed); NotShown for a person, an unknown
    or malformed code."""
    try:
        key = code_key(code)
        if key.kind == IdentifierKind.RIC_HASH or (
            key.kind == IdentifierKind.TAXNO and key.value != key.display
        ):
            raise NotShown(PERSON_REFUSED)
        subject = subject_lookup(raw=code).subject
    except DomainError as exc:
        reason = error_of(exc) if exc.code in ERRORS or chinese() else gettext("代码格式不正确")
        message = gettext("%(reason)s。请核对代码，或通过信用查询按名称查找。") % {"reason": reason}
        raise NotShown(message) from exc
    if subject.is_person:
        raise NotShown(PERSON_REFUSED)
    return subject


def not_shown(request: HttpRequest, title: str, message: str) -> HttpResponse:
    return render(request, "portal/not_found.html", {"title": title, "message": message}, status=404)


def _summaries(section: Section, day_format: str) -> list[tuple[RecordItem, list[FieldLine], dict[str, str]]]:
    """Each record with the lines that say what it is about (the detail page shows them all) and its dates
    formatted here (one format string for the page, not a `date` filter per date)."""
    out = []
    for record in section.records:
        lines = [f for f in record.fields if f.name in SUMMARY_FIELDS] or list(record.fields[:1])
        days = {
            "decision": date_format(record.decision_date, day_format),
            "until": date_format(record.publish_until, day_format) if record.publish_until else "",
            "objection": date_format(record.objection_since, day_format) if record.objection_since else "",
        }
        out.append((record, lines, days))
    return out


def _all_of(section: Section, code: str) -> dict[str, str | int] | None:
    """For a section with more records than the page shows: how many records it has (all counted) and where
    they are all listed — its publicity column filtered to this subject, "" when the category has no column
    (the page then only says the count)."""
    if not section.more:
        return None
    column = COLUMN_OF.get(section.code)
    link = reverse(column) + "?" + urlencode({"subject": code}) if column else ""
    return {"total": len(section.records) + section.more, "link": link}
