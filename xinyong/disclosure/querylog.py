"""The query log (查询记录, docs/domain.md principle 6): who looked at a subject's non-public data, read from
the audit events that every such read appends (`query.profile`, `subject.person_read`, `report.issue`)."""

from __future__ import annotations

from xinyong.accounts.selectors import unit_names
from xinyong.audit.selectors import audit_events_about
from xinyong.core.timeutil import rfc3339

QUERY_ACTIONS = ("query.profile", "subject.person_read", "report.issue")


def query_log_for_subject(*, subject_id: int, limit: int = 200, before: int | None = None) -> list[dict]:
    """Who looked at this subject's non-public data: when, which unit, why (newest first; `before`: only
    the events older than that `seq`, the next page's start)."""
    events = audit_events_about(
        target_type="subject", target_id=str(subject_id), actions=QUERY_ACTIONS, before=before, limit=limit
    )
    names = unit_names()
    return [
        {
            "seq": e.seq,
            "at": rfc3339(e.occurred_at),
            "action": e.action,
            "unit": e.unit_code,
            "unit_name": names.get(e.unit_code, "本人" if not e.unit_code else e.unit_code),
            "purpose": e.reason,
            "tiers": e.payload.get("tiers", []),
            "case_number": e.payload.get("case_number", ""),
        }
        for e in events
    ]
