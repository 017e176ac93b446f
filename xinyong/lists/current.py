"""When a list entry is current, on a date: the one definition every surface reads (issue 11, docs/rules.md
"One standing").

An entry is *current* on business date D when it is `published` and its last day on the list (`expires_on`)
is empty or on/after D: an entry past its term that the expiry sweep has not reached yet is no longer shown.
An entry under objection (`objection_since` set) stays current and is shown with the flag 异议处理中. Entries
of a non-public list type (`ListType.public` false, e.g. 重点关注名单) are shown only to government tiers and
to the subject itself.

The ORM form (`entry_current_q`) serves profiles and reports; the raw-SQL form (`current_entries`) is the
check's hot path (docs/performance.md) and pins the per-subject index on SQLite.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from xinyong.core.bulk import row_date_iso, row_datetime
from xinyong.core.roundtrips import IdsIn, Read, in_values, read_together
from xinyong.core.timeutil import business_date
from xinyong.lists.models import EntryState


def entry_current_q(on: dt.date) -> Q:
    """Entries current on `on` (see the module docstring)."""
    return Q(state=EntryState.PUBLISHED) & (Q(expires_on__isnull=True) | Q(expires_on__gte=on))


def entry_is_current(*, state: str, expires_on: dt.date | None, on: dt.date) -> bool:
    """The same predicate for one entry already read."""
    return state == EntryState.PUBLISHED and (expires_on is None or expires_on >= on)


@dataclass(frozen=True)
class EntryRow:
    """A current entry as the check answers it."""

    id: int
    list_type_id: int
    list_type: str
    list_type_name: str
    list_kind: str
    since: str | None
    until: str | None
    under_objection: bool = False
    public: bool = True


def current_entries(subject_ids: Sequence[int], *, on: dt.date) -> dict[int, list[EntryRow]]:
    """Per subject, its entries current on `on` (oldest first), in one query."""
    if not subject_ids:
        return {}
    return read_together(current_entries_read(subject_ids, on=on))[0]


def current_entries_read(subject_ids: IdsIn, *, on: dt.date) -> Read[dict[int, list[EntryRow]]]:
    """`current_entries` as a read to run with others (core.roundtrips; the check, issue 18)."""
    return Read.one(_current_sql(connection.vendor), [on], values=in_values(subject_ids), decode=_entry_rows)


@functools.cache
def _current_sql(vendor: str) -> str:
    hint = "INDEXED BY list_entry_subject_state_idx" if vendor == "sqlite" else ""
    return (
        "SELECT e.subject_id, e.id, e.list_type_id, t.code, t.name, t.kind, e.published_at, e.expires_on, "
        "e.objection_since IS NOT NULL, t.public "
        f"FROM lists_listentry e {hint} CROSS JOIN lists_listtype t "
        f"WHERE e.state = '{EntryState.PUBLISHED.value}' AND t.id = e.list_type_id "
        "AND (e.expires_on IS NULL OR e.expires_on >= %s) AND e.subject_id IN ({})"
    )


def _entry_rows(rows: list[tuple]) -> dict[int, list[EntryRow]]:
    out: dict[int, list[EntryRow]] = defaultdict(list)
    for sid, eid, lt_id, code, name, kind, published_at, expires_on, flagged, public in sorted(
        rows, key=lambda r: r[1]
    ):
        since = business_date(row_datetime(published_at)).isoformat() if published_at else None
        until = row_date_iso(expires_on)
        out[sid].append(EntryRow(eid, lt_id, code, name, kind, since, until, bool(flagged), bool(public)))
    return out
