"""Answer shapes shared by /api/v1/objections and /api/v1/repairs (no routes here).

Who sees a case: government roles, and the subject itself; anyone else gets 404, as for a case that does not
exist. The query code is shown only when filing and to the subject itself; officers' labels only to
government roles.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpResponse

from xinyong.accounts.access import subject_id_of
from xinyong.accounts.policy import officer_of_unit_or_office
from xinyong.accounts.roles import GOVERNMENT
from xinyong.core.actor import Actor
from xinyong.core.api import Problem, file_download
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.core.evidence import evidence_describe
from xinyong.core.pagination import cursor_fields, instant, whole
from xinyong.core.timeutil import now
from xinyong.remedies import selectors
from xinyong.remedies.models import Grounds
from xinyong.remedies.selectors import case_steps, iso
from xinyong.remedies.services.evidence import case_evidence_read
from xinyong.remedies.services.machine import OBJECTION, REPAIR
from xinyong.subjects.selectors import subject_primary_code

ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem}
GROUNDS = dict(Grounds.choices)


def visible(actor: Actor, subject_id: int, what: str, case_id: int, unit_code: str | None = None) -> bool:
    """Government roles and the subject itself; 404 for everyone else. With `unit_code` (the case's
    providing or deciding unit), only that unit's officers and the credit office (issue 12,
    accounts/policy.py)."""
    own = subject_id_of(actor=actor) == subject_id
    government = actor.has_role(*GOVERNMENT)
    if government and unit_code is not None:
        government = officer_of_unit_or_office(actor, unit_code)
    if not (government or own):
        raise NotFound(
            f"{what}.not_found", f"{ {'objection': '异议', 'repair': '信用修复申请'}[what] } {case_id} 不存在"
        )
    return own


def case_file(actor: Actor, case, what: str, file_id: int) -> HttpResponse:
    """A file of an objection or repair as a download, for who may see the case (else 404); the read is
    audited (services/evidence.py)."""
    visible(actor, case.subject_id, what, case.pk, case_unit(case, what))
    found = case_evidence_read(actor=actor, case=case, kind=what, file_id=file_id, now=now())
    return file_download(found.data, found.name, found.content_type)


def case_unit(case, what: str) -> str:
    """The unit whose officers handle the case: the providing unit of an objection (核实单位), the deciding
    unit of a repair (认定单位)."""
    return case.provider_unit.code if what == "objection" else case.deciding_unit.code


def subject_ref(subject, own: bool) -> dict:
    return {
        "id": subject.pk,
        "code": subject_primary_code(subject),
        "name": subject.name if not subject.is_person or own else None,
    }


def objection_out(o, actor: Actor, *, own: bool, show_code: bool = False) -> dict:
    return {
        "id": o.pk,
        "query_code": o.query_code if (own or show_code) else None,
        "subject": subject_ref(o.subject, own),
        "target_kind": o.target_kind,
        "record_id": o.record_id,
        "list_entry_id": o.list_entry_id,
        "repair_id": o.repair_id,
        "grounds": o.grounds,
        "grounds_label": GROUNDS[o.grounds],
        "description": o.description,
        "evidence": evidence_describe(o.evidence),
        "applicant_name": o.applicant_name,
        "agent_name": o.agent_name,
        "state": o.state,
        "state_label": OBJECTION.states[o.state],
        "outcome": o.outcome,
        "provider_unit": o.provider_unit.code,
        "provider_unit_name": o.provider_unit.name,
        "filed_at": iso(o.filed_at),
        "accept_due": iso(o.accept_due),
        "verify_due": iso(o.verify_due),
        "deadline_provisional": o.deadline_provisional,
        "accepted_at": iso(o.accepted_at),
        "verified_at": iso(o.verified_at),
        "verification": o.verification,
        "reply": o.reply,
        "replied_at": iso(o.replied_at),
        "escalated_at": iso(o.escalated_at),
        "flagged_at": iso(o.flagged_at),
        "overdue": selectors.objection_overdue(o, now=now()),
        "steps": case_steps(o, OBJECTION, government=actor.has_role(*GOVERNMENT)),
    }


def repair_out(r, actor: Actor, *, own: bool, show_code: bool = False) -> dict:
    return {
        "id": r.pk,
        "query_code": r.query_code if (own or show_code) else None,
        "subject": subject_ref(r.subject, own),
        "target_kind": r.target_kind,
        "record_id": r.record_id,
        "list_entry_id": r.list_entry_id,
        "deciding_unit": r.deciding_unit.code,
        "deciding_unit_name": r.deciding_unit.name,
        "statement": r.statement,
        "evidence": evidence_describe(r.evidence),
        "commitment_id": r.commitment_id,
        "certificate_no": r.certificate_no,
        "conditions": r.conditions,
        "applicant_name": r.applicant_name,
        "state": r.state,
        "state_label": REPAIR.states[r.state],
        "filed_at": iso(r.filed_at),
        "overall_due": iso(r.overall_due),
        "decide_due": iso(r.decide_due),
        "share_due": iso(r.share_due),
        "deadline_provisional": r.deadline_provisional,
        "decided_at": iso(r.decided_at),
        "decision_reason": r.decision_reason,
        "under_objection_since": iso(r.objection_since),
        "overdue": selectors.repair_overdue(r, now=now()),
        "steps": case_steps(r, REPAIR, government=actor.has_role(*GOVERNMENT)),
    }


def after_cursor(rows, cursor: str | None):
    """The cases (newest filed first) after a list page's cursor (core/pagination.py keyset_page)."""
    if not cursor:
        return rows
    c = cursor_fields(cursor, at=instant, id=whole)
    at, last_id = c["at"], c["id"]
    return rows.filter(Q(filed_at__lt=at) | Q(filed_at=at, id__lt=last_id))


def cursor_of(case) -> dict:
    return {"at": case.filed_at.isoformat(), "id": case.pk}


def require_government(actor: Actor) -> None:
    if not actor.has_role(*GOVERNMENT):
        raise PermissionDenied("auth.government_only", "仅限政府部门工作人员使用")
