"""The status machine of a record version (docs/domain.md Records, principle 1; issue 17: a transition table
like the list entries', objections', repairs' and tip-offs'): the moves as plain data — from status, event →
to status, and who causes the event — and the one `record_step` through which every status change of a record
goes (check against the table, history row `RecordStatusChange`, the status saved; in the caller's
transaction, whose service writes the audit event).

The bulk writers check each row against the same table: `record_steps` for the publication sweep and the
import's supersessions (history rows in one statement; the caller sets the status in bulk), `record_target`
alone for the retention sweep's tombstones (their history goes with the personal data, records/retention.py).
A new version's first status is no move: its publication window gives it (publication.py), and an objection
flag or a repair follows the decision (staging.py `sticky_status`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from xinyong.core.actor import Actor
from xinyong.core.bulk import db_datetime, insert_many
from xinyong.core.errors import Conflict
from xinyong.records.models import Record, RecordStatus, RecordStatusChange

S = RecordStatus
STATUS_LABELS = dict(RecordStatus.choices)
HISTORY_COLUMNS = ("record_id", "from_status", "to_status", "reason", "actor", "at")


@dataclass(frozen=True)
class Event:
    label: str  # what happens, in messages (不能{label})
    who: str  # who causes it, and through which service


EVENTS: dict[str, Event] = {
    "flag": Event("异议标注", "异议提出（remedies → records/flags.py record_objection_flag）"),
    "unflag": Event("取消异议标注", "异议不予受理或办结（remedies → record_objection_clear）"),
    "unflag_ended": Event("取消异议标注（公示期已满）", "同上，最长公示期已于异议期间届满"),
    "repair": Event("信用修复", "准予信用修复（remedies → record_repair）"),
    "expire": Event("公示期满", "公示期满清理（records_sweep，平台）"),
    "withdraw": Event("撤回", "提供单位撤回（record_withdraw）：新版本自原版本的状态起"),
    "supersede": Event("被新版本取代", "新版本：归集报送、更正（importer.py）或撤回（record_withdraw）"),
    "erase": Event("保存期满删除", "保存期满清理（records/retention.py，平台）"),
}

# status → {event: status it leads to}. A current version may be superseded or withdrawn whatever its status
# (a withdrawn one only superseded); a repair follows the decision's current version (docs/domain.md Repair).
RECORD_TRANSITIONS: dict[str, dict[str, str]] = {
    S.PUBLISHED: {"flag": S.UNDER_OBJECTION, "repair": S.REPAIRED, "expire": S.EXPIRED,
                  "withdraw": S.WITHDRAWN, "supersede": S.SUPERSEDED},
    S.UNDER_OBJECTION: {"unflag": S.PUBLISHED, "unflag_ended": S.EXPIRED, "repair": S.REPAIRED,
                        "expire": S.EXPIRED, "withdraw": S.WITHDRAWN, "supersede": S.SUPERSEDED},
    S.NOT_PUBLISHED: {"repair": S.REPAIRED, "withdraw": S.WITHDRAWN, "supersede": S.SUPERSEDED,
                      "erase": S.ERASED},
    S.EXPIRED: {"repair": S.REPAIRED, "withdraw": S.WITHDRAWN, "supersede": S.SUPERSEDED, "erase": S.ERASED},
    S.REPAIRED: {"withdraw": S.WITHDRAWN, "supersede": S.SUPERSEDED, "erase": S.ERASED},
    S.WITHDRAWN: {"repair": S.REPAIRED, "supersede": S.SUPERSEDED, "erase": S.ERASED},
    S.SUPERSEDED: {"erase": S.ERASED},
    S.ERASED: {},
}  # fmt: skip


def record_target(status: str, event: str, *, record_id: int | str = "") -> str:
    """The status `event` leads to from `status`, or a 409 `record.invalid_transition` naming both."""
    to_status = RECORD_TRANSITIONS[status].get(event)
    if to_status is None:
        raise Conflict(
            "record.invalid_transition",
            f"信用信息 {record_id} 当前状态为“{STATUS_LABELS[status]}”，不能{EVENTS[event].label}",
            status=status,
            event=event,
        )
    return to_status


def record_step(
    record: Record, event: str, *, actor: Actor, reason: str, now: dt.datetime
) -> RecordStatusChange:
    """Move one (locked) record version along `event`: the history row, then the new status saved."""
    from_status = record.status
    to_status = record_target(from_status, event, record_id=record.pk)
    change = RecordStatusChange.objects.create(
        record=record, from_status=from_status, to_status=to_status, reason=reason, actor=actor.label, at=now
    )
    record.status = to_status
    record.save(update_fields=["status"])
    return change


def record_steps(
    rows: Iterable[tuple[int, str]], event: str, *, reason: str, actor_label: str, at: dt.datetime
) -> None:
    """The bulk form of `record_step` (the sweep; the import's supersessions): every (id, status) row's move
    checked against the table, then their history rows in one statement. The caller sets the new status in
    bulk, where it can also test that no other writer changed the row meanwhile."""
    when = db_datetime(at)
    history = [
        (pk, status, record_target(status, event, record_id=pk), reason, actor_label, when)
        for pk, status in rows
    ]
    insert_many(RecordStatusChange._meta.db_table, HISTORY_COLUMNS, history)
