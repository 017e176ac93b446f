"""When a record is shown, on a date: the one definition every surface reads (issue 11, docs/rules.md "One
standing").

A record is *shown* (公示中) on business date D when it is the current version, its status is `published` or
`under_objection` (shown with the flag 异议处理中, docs/domain.md Objection) and its publication window has
not ended on D (`publish_max_end` is empty or on/after D). A record past its window that the nightly sweep has
not reached yet is not shown: the sweep only writes down what the window already says.

Beyond what is shown, government tiers see what is *retained* (记录留存, docs/domain.md principle 1): expired
and not-published records (and shown statuses past their window); the subject itself also sees its repaired
records. Withdrawn and superseded versions are shown to nobody.

The ORM form (`record_shown_q`) serves profiles, reports and publicity; the raw-SQL form of the same
predicate (`negative_summaries`, the check's hot path, docs/performance.md) reads `record_subject_idx` alone,
which covers every column it uses (records.0003), the submission included for the staging gate (records.0008,
ADR 0026: versions of a submission still being imported are shown to nobody).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from xinyong.catalog.selectors import category_sql_negative
from xinyong.core.bulk import row_date_iso
from xinyong.core.roundtrips import IdsIn, Read, in_values, read_together
from xinyong.records.models import RecordStatus
from xinyong.records.staging import GATE_SQL

SHOWN_STATUSES = (RecordStatus.PUBLISHED, RecordStatus.UNDER_OBJECTION)
RETAINED_STATUSES = (*SHOWN_STATUSES, RecordStatus.EXPIRED, RecordStatus.NOT_PUBLISHED)
OWN_STATUSES = (*RETAINED_STATUSES, RecordStatus.REPAIRED)
# the states as SQL literals for the raw summary (literals, not parameters: the plan is fixed per text)
_SHOWN = ", ".join(f"'{s}'" for s in SHOWN_STATUSES)
_UNDER_OBJECTION = f"'{RecordStatus.UNDER_OBJECTION}'"


def record_shown_q(on: dt.date, prefix: str = "") -> Q:
    """Records shown on `on` (see the module docstring); `prefix` for a relation, e.g. "record__"."""
    return Q(
        **{f"{prefix}is_current": True, f"{prefix}status__in": SHOWN_STATUSES},
    ) & (Q(**{f"{prefix}publish_max_end__isnull": True}) | Q(**{f"{prefix}publish_max_end__gte": on}))


def record_is_shown(*, status: str, is_current: bool, publish_max_end: dt.date | None, on: dt.date) -> bool:
    """The same predicate for one record already read."""
    return is_current and status in SHOWN_STATUSES and (publish_max_end is None or publish_max_end >= on)


@dataclass(frozen=True)
class NegativeRow:
    """Shown records of one negative category of one subject: how many, the latest decision date and how
    many of them are under objection."""

    category: str
    name: str
    order: int
    count: int
    latest: str
    under_objection: int = 0


def negative_summaries(subject_ids: Sequence[int], *, on: dt.date) -> dict[int, list[NegativeRow]]:
    """Per subject, its shown records of negative categories summarised per category (catalog order).
    Raw SQL on purpose (the check's hot path): the query reads record_subject_idx alone (it covers subject,
    category, is_current, status, decision_date, publish_max_end and submission), not one table page per
    record. Versions of a submission still being staged are left out (the gate, ADR 0026)."""
    if not subject_ids:
        return {}
    return read_together(negative_summaries_read(subject_ids, on=on))[0]


def negative_summaries_read(subject_ids: IdsIn, *, on: dt.date) -> Read[dict[int, list[NegativeRow]]]:
    """`negative_summaries` as a read to run with others (core.roundtrips; the check, issue 18)."""
    sql = _summary_sql(connection.vendor)
    return Read.one(sql, [on, True], values=in_values(subject_ids), decode=_summaries)


def _summaries(rows: list[tuple]) -> dict[int, list[NegativeRow]]:
    out: dict[int, list[NegativeRow]] = defaultdict(list)
    for sid, code, name, order, count, latest, flagged in rows:
        out[sid].append(NegativeRow(code, name, order, count, row_date_iso(latest) or "", int(flagged or 0)))
    for found in out.values():
        found.sort(key=lambda r: (r.order, r.category))
    return out


@functools.cache
def _summary_sql(vendor: str) -> str:
    """The summary's statement, composed once: records' states, catalog's negative categories (ADR 0022)."""
    hint = "INDEXED BY record_subject_idx" if vendor == "sqlite" else ""
    cat = category_sql_negative(alias="c", category_id="r.category_id")
    return (
        f"SELECT r.subject_id, {cat.columns}, COUNT(*), MAX(r.decision_date), "
        f"SUM(CASE WHEN r.status = {_UNDER_OBJECTION} THEN 1 ELSE 0 END) "
        f"FROM records_record r {hint} CROSS JOIN {cat.table} "
        f"WHERE {cat.where} "
        f"AND r.status IN ({_SHOWN}) "
        "AND (r.publish_max_end IS NULL OR r.publish_max_end >= %s) "
        f"AND r.is_current = %s AND {GATE_SQL} AND r.subject_id IN ({{}}) "
        f"GROUP BY r.subject_id, {cat.columns}"
    )
