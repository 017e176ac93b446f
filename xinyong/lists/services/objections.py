"""The objection flag on a list entry (异议标注, docs/domain.md Objection): set when an objection against the
entry is filed, taken off when it is refused or resolved. The remedies app decides; this service writes the
flag with an audit event in the caller's transaction. The entry's lifecycle state does not change: an entry
under objection stays where it is in due process and every view shows the flag."""

from __future__ import annotations

import datetime as dt

from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict
from xinyong.lists.models import EntryState, ListEntry
from xinyong.lists.services.machine import STATE_LABELS, entry_locked

CLOSED = (EntryState.REJECTED, EntryState.WITHDRAWN)


def list_entry_require_objectionable(entry: ListEntry) -> None:
    """Refuse an objection against an entry that never took effect (rejected or withdrawn)."""
    if entry.state in CLOSED:
        raise Conflict(
            "objection.target_closed",
            f"名单条目 {entry.pk} {STATE_LABELS[entry.state]}，未生效，不能对其提出异议",
        )


def list_entry_objection_mark(
    *, actor: Actor, entry_id: int, objection_id: int, flagged: bool, now: dt.datetime
) -> ListEntry:
    """Set (`flagged`) or clear the objection flag of an entry. An entry that was rejected or withdrawn never
    took effect: objections against it are refused."""
    entry = entry_locked(entry_id)
    if flagged:
        list_entry_require_objectionable(entry)
    since = now if flagged else None
    if (entry.objection_since is None) == (since is None):
        return entry  # already as wanted (a second objection on a flagged entry)
    entry.objection_since = since
    entry.save(update_fields=["objection_since"])
    audit_append(
        actor=actor,
        action="list_entry.objection_flag" if flagged else "list_entry.objection_clear",
        target_type="list_entry",
        target_id=entry.pk,
        now=now,
        payload={"objection_id": objection_id, "subject_id": entry.subject_id, "state": entry.state},
    )
    return entry
