"""Portal home page 首页 (issue 15): one search box (to /search/), the business day's counts (双公示 records
published, public list entries listed and exited), the latest 双公示 items and a link to every service.

Cost, per view (no aggregates yet; issue 16 brings them): the records count is one range scan of
record_unit_received_idx per unit (records.selectors.publicity_received_count); the list counts read the
published and exited entries through the state index (lists.selectors.list_entries_moved_on); the latest items
are the first page of each 双公示 column (record_publicity_idx), 10 rows each, merged here."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from xinyong.accounts.selectors import unit_list_all
from xinyong.core.timeutil import BEIJING, business_date, now
from xinyong.lists.selectors import list_entries_moved_on
from xinyong.portal.shape import public_fields, shown_row
from xinyong.records.selectors import PublicityQuery, publicity_received_count, publicity_records

LATEST = 10
KIND_LABELS = {"XK": _("行政许可"), "CF": _("行政处罚")}


@require_GET
def home_page(request: HttpRequest) -> HttpResponse:
    today = business_date(now())
    start = dt.datetime.combine(today, dt.time(0), tzinfo=BEIJING)
    listed, exited = list_entries_moved_on(start=start, end=start + dt.timedelta(days=1))
    unit_ids = unit_list_all().values_list("pk", flat=True)
    context = {
        "today": today,
        "published": publicity_received_count(on=today, unit_ids=unit_ids),
        "listed": listed,
        "exited": exited,
        "latest": _latest(today),
    }
    return render(request, "portal/home.html", context)


def _latest(today: dt.date) -> list[dict]:
    """The newest shown 双公示 items of both columns (decision date, then id), LATEST of them."""
    rows = []
    for kind in ("licences", "penalties"):
        category, records = publicity_records(PublicityQuery(kind=kind, on=today))
        fields = public_fields(category)
        rows += [shown_row(r, fields, category.code) | {"kind": KIND_LABELS[category.code]}
                 for r in records[:LATEST]]  # fmt: skip
    rows.sort(key=lambda r: (r["decision_date"], r["record_id"]), reverse=True)
    return rows[:LATEST]
