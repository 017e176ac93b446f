"""What the plan pages share: state labels of an owed report, CSV answers, a service refusal on a form."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator

from django import forms
from django.http import StreamingHttpResponse

from xinyong.core.errors import DomainError
from xinyong.core.timeutil import BEIJING
from xinyong.oversight.models import ReportState
from xinyong.oversight.selectors import Obligation

NOT_FILED = "not_filed"
OVERDUE = "overdue"
STATE_LABELS = {NOT_FILED: "未填报", **dict(ReportState.choices), ReportState.SUBMITTED: "已报送（待审核）"}
STATE_FILTERS = [("", "全部"), (OVERDUE, "逾期未报"), *STATE_LABELS.items()]


def obligation_state(obligation: Obligation) -> str:
    return obligation.report.state if obligation.report is not None else NOT_FILED


def obligation_row(obligation: Obligation, now: dt.datetime) -> dict:
    """One owed report as the tables show it."""
    state = obligation_state(obligation)
    return {
        "obligation": obligation,
        "state": state,
        "state_label": STATE_LABELS[state],
        "overdue": obligation.overdue(now),
        "due": beijing(obligation.period.due_at),
    }


def beijing(instant: dt.datetime | None) -> str:
    return instant.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if instant else ""


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """Rows streamed as CSV (UTF-8 with a BOM, so that spreadsheet programs read the Chinese)."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def errors_to_form(form: forms.Form, exc: DomainError, default_field: str | None) -> None:
    """A service's refusal on the form: per-field errors on their fields (evidence `files[i]` on the
    evidence field), anything else on `default_field` or the whole form."""
    if not exc.errors:
        form.add_error(default_field if exc.code.startswith("evidence.") else None, exc.message)
        return
    for error in exc.errors:
        name = error.get("field", "")
        target = "evidence" if name.startswith("files[") else name
        form.add_error(target if target in form.fields else None, error.get("message") or exc.message)


def refusals_as_pages(view):
    """A service's 403 as the console's refusal page and its 404 as Not Found (views under officer_view)."""
    from functools import wraps

    from django.http import Http404

    from xinyong.console.views import console_render

    @wraps(view)
    def wrapper(request, actor, *args, **kwargs):
        try:
            return view(request, actor, *args, **kwargs)
        except DomainError as exc:
            if exc.status == 404:
                raise Http404(exc.message) from exc
            if exc.status == 403:
                context = {"reason": exc.message}
                return console_render(request, actor, "console/plan/refused.html", context, status=403)
            raise

    return wrapper
