"""/me/ (我的账户) and /me/query-log/ (谁查询过我的信息): package docstring."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import dateformat
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET

from xinyong.catalog.vocabulary import POLARITIES
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import business_date, now
from xinyong.disclosure.querylog import query_log_for_subject
from xinyong.portal.selfservice.common import Me, me_context, me_of, refused
from xinyong.portal.wording import error_of
from xinyong.remedies.selectors import objections_of_subject, repairs_of_subject
from xinyong.standing.selectors import SELF, standing_for

QUERY_LOG_PAGE = 50
ACTION_LABELS = {
    "query.profile": gettext_noop("查询信用档案"),
    "subject.person_read": gettext_noop("查阅身份信息"),
    "report.issue": gettext_noop("出具信用报告"),
}


@login_required
@require_GET
def me_page(request: HttpRequest) -> HttpResponse:
    """Who I am (or act for), my standing in numbers, my objections and repairs with their query codes."""
    me = me_of(request)
    context = {**me_context(me, request), "refusal": error_of(me.refusal) if me.refusal else None}
    if me.subject is not None:
        context.update(
            standing=_standing(me) if me.allowed("me_standing") else None,
            objections=_objections(me) if me.allowed("me_objections") else None,
            repairs=_repairs(me) if me.allowed("me_repairs") else None,
            can_object=me.allowed("objections_file"),
            can_repair=me.allowed("repairs_apply"),
            can_read_log=me.allowed("me_query_log"),
            can_report=me.allowed("reports_issue"),
            can_consent=me.allowed("me_consents_list"),
        )
    return render(request, "portal/me/home.html", context)


def _standing(me: Me) -> dict:
    """Counts of the subject's own standing today (what it sees of itself: standing scope `self`)."""
    standing = standing_for(subject_id=me.subject.pk, on=business_date(now()), scope=SELF)  # type: ignore[union-attr]
    shown = Counter(r.polarity for r in standing.shown_records)
    return {
        "by_polarity": [(label, shown.get(code, 0)) for code, label in POLARITIES.items()],
        "retained": sum(1 for r in standing.records if not r.shown),
        "entries": len(standing.current_entries),
        "under_objection": sum(1 for r in standing.records if r.under_objection)
        + sum(1 for e in standing.current_entries if e.under_objection),
    }


def _objections(me: Me) -> list[dict]:
    return [
        {
            "code": o.query_code,
            "target": o.get_target_kind_display(),
            "grounds": o.get_grounds_display(),
            "state": o.get_state_display(),
            "filed_at": o.filed_at,
            "unit": o.provider_unit.name,
        }
        for o in objections_of_subject(subject_id=me.subject.pk)  # type: ignore[union-attr]
    ]


def _repairs(me: Me) -> list[dict]:
    return [
        {
            "code": r.query_code,
            "target": r.get_target_kind_display(),
            "state": r.get_state_display(),
            "filed_at": r.filed_at,
            "unit": r.deciding_unit.name,
        }
        for r in repairs_of_subject(subject_id=me.subject.pk)  # type: ignore[union-attr]
    ]


@login_required
@require_GET
def query_log_page(request: HttpRequest) -> HttpResponse:
    """Who looked at the subject's non-public data (the API's me_query_log, the same service), newest first;
    `?before=<seq>` pages on."""
    me = me_of(request)
    try:
        _actor, subject_id = me.acting("me_query_log")
    except DomainError as exc:
        return refused(request, me, exc)
    raw = request.GET.get("before", "")
    before = int(raw) if raw.isdigit() else None
    rows = query_log_for_subject(subject_id=subject_id, limit=QUERY_LOG_PAGE + 1, before=before)
    more = len(rows) > QUERY_LOG_PAGE
    rows = rows[:QUERY_LOG_PAGE]
    for row in rows:
        action = ACTION_LABELS.get(row["action"])
        row["action_label"] = gettext(action) if action else row["action"]
        row["at_label"] = dateformat.format(dt.datetime.fromisoformat(row["at"]), gettext("Y年m月d日 H:i"))
    context = {**me_context(me, request), "rows": rows, "next_before": rows[-1]["seq"] if more else None}
    return render(request, "portal/me/query_log.html", context)
