"""Public columns of shown records (issue 15): 行政许可 and 行政处罚 publicity (双公示) and 信用承诺
publicity, each filtered by a GET form, paged (bounded, filters.MAX_PAGE) and downloadable as CSV
(`?format=csv`: UTF-8 with a BOM so that Excel reads the Chinese, streamed, at most MAX_CSV_ROWS rows with
a closing note when cut). The rows are the records app's (`publicity_records`, `commitment_records`: the
API's selectors and shown predicate), shaped as the public API shapes them, persons masked (shape.py)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from xinyong.core.errors import DomainError
from xinyong.core.spreadsheet import escape_cell
from xinyong.core.timeutil import business_date, now
from xinyong.portal import filters
from xinyong.portal.shape import Field, public_fields, shown_row
from xinyong.portal.wording import error_of
from xinyong.records import selectors

MAX_CSV_ROWS = 10_000
COLUMNS = {
    "licences": (_("行政许可信息公示"), "XK_XKLB", "许可类别"),
    "penalties": (_("行政处罚信息公示"), "CF_CFLB", "处罚类别"),
    "commitments": (_("信用承诺信息公示"), "", ""),
}
CUT_NOTE = gettext_noop(
    "注：符合条件的信息超过 %(limit)s 条，本文件只含最新的 %(limit)s 条；"
    "请缩小筛选范围（如日期区间）后分次下载。"
)
# the fixed columns of the CSV, in the page's language (the catalog's fields follow, as stored)
CSV_HEAD = [
    gettext_noop("决定文书号"),
    gettext_noop("决定日期"),
    gettext_noop("主体名称"),
    gettext_noop("主体代码"),
    gettext_noop("提供单位"),
    gettext_noop("公示截止"),
    gettext_noop("异议处理中"),
]
LONG_TERM, YES = gettext_noop("长期"), gettext_noop("是")


@require_GET
def licences_page(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    return _column(request, "licences")


@require_GET
def penalties_page(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    return _column(request, "penalties")


@require_GET
def commitments_page(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    return _column(request, "commitments")


def _column(request: HttpRequest, kind: str) -> HttpResponse | StreamingHttpResponse:
    title, type_field, type_label = COLUMNS[kind]
    today = business_date(now())
    records = selectors.commitment_records if kind == "commitments" else selectors.publicity_records
    category, _ = records(selectors.PublicityQuery(kind=kind, on=today))
    fields = public_fields(category)
    types = next((f.choices for f in fields if f.code == type_field), [])
    choices = filters.choices_for(types)
    parsed = filters.parse(request.GET, kind=kind, choices=choices, on=today)
    wants_csv = request.GET.get("format", "") == "csv"
    if request.GET.get("format", "") not in ("", "csv"):
        parsed.errors.append(("format", gettext("下载格式只能是 csv")))
    context = {
        "kind": kind,
        "title": title,
        "type_label": type_label,
        "choices": choices,
        "values": parsed.values,
        "errors": parsed.errors,
        "today": today,
        "page": parsed.page,
        "max_csv_rows": MAX_CSV_ROWS,
        "max_page": filters.MAX_PAGE,
        "form_fields": filters.FORM_FIELDS,
        "first_number": (parsed.page - 1) * filters.PAGE_SIZE + 1,
    }
    if parsed.query is None or parsed.errors:
        return render(request, "portal/column.html", context, status=400)
    try:
        category, rows = records(parsed.query)
    except DomainError as exc:  # a unit the list offered but that has gone meanwhile
        context["errors"] = [("unit", error_of(exc))]
        return render(request, "portal/column.html", context, status=exc.status)
    if wants_csv:
        return _csv(kind, rows, fields, category.code)
    found, more = filters.page_of(rows, parsed.page)
    context |= {
        "rows": [shown_row(r, fields, category.code) for r in found],
        "previous": filters.link_to(parsed.values, page=parsed.page - 1) if parsed.page > 1 else "",
        "next": filters.link_to(parsed.values, page=parsed.page + 1) if more else "",
        "csv": filters.link_to({**parsed.values, "page": ""}, format="csv"),
        "last_page": parsed.page == filters.MAX_PAGE,
    }
    return render(request, "portal/column.html", context)


def _csv(kind: str, rows, fields: list[Field], category_code: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _csv_lines(rows, fields, category_code), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{kind}.csv"'
    return response


def _csv_lines(rows, fields: list[Field], category_code: str) -> Iterator[str]:
    """The file's lines; its words are taken in the request's language before the first line is sent."""
    head, cut_note = [gettext(h) for h in CSV_HEAD], gettext(CUT_NOTE) % {"limit": MAX_CSV_ROWS}
    long_term, yes = gettext(LONG_TERM), gettext(YES)
    return _csv_rows(rows, fields, category_code, head, (cut_note, long_term, yes))


def _csv_rows(rows, fields: list[Field], category_code: str, head: list[str], words) -> Iterator[str]:
    cut_note, long_term, yes = words
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(head + [f.name for f in fields])
    yield "\ufeff" + _drain(buffer)
    limit = MAX_CSV_ROWS
    for count, record in enumerate(rows[: limit + 1].iterator(chunk_size=2000)):
        if count == limit:
            writer.writerow([cut_note])
            break
        row = shown_row(record, fields, category_code)
        until, flagged = row["publish_until"] or long_term, yes if row["under_objection"] else ""
        fixed = [
            row["doc_no"],
            row["decision_date"],
            row["subject_name"],
            row["subject_code"],
            row["unit_name"],
        ]
        fixed += [until, flagged]
        labelled = [row["labelled"][f.code] for f in fields]
        writer.writerow([escape_cell(v) for v in fixed + labelled])
        if buffer.tell() > 64_000:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
