"""/api/v1/lists: list types, list entries through their lifecycle, and a subject's notices (告知书/决定书).

Who sees what: government roles see every entry; a subject account sees its own entries in any state (with
its statements) and its notices; everyone else sees published entries of public list types only, without the
actors' labels or the statements. An entry one may not see answers 404, like one that does not exist.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Status

from xinyong.accounts.access import subject_id_of
from xinyong.accounts.actors import request_actor
from xinyong.accounts.api import OptionalTokenAuth, TokenAuth
from xinyong.accounts.roles import GOVERNMENT
from xinyong.core.actor import Actor
from xinyong.core.api import Problem
from xinyong.core.errors import DomainError, NotFound
from xinyong.core.pagination import cursor_int, keyset_page
from xinyong.core.timeutil import now, rfc3339
from xinyong.lists import selectors, services
from xinyong.lists.models import EntryState, ListEntry, ListKind
from xinyong.lists.schemas import (
    EntryOut,
    EntryPageOut,
    EntryProposeIn,
    ExitIn,
    ListDecisionIn,
    ListTypesOut,
    ListWithdrawIn,
    ReviewIn,
    StatementIn,
    StatementOut,
)
from xinyong.lists.services.machine import ACTION_LABELS
from xinyong.subjects.selectors import subject_lookup, subject_primary_code

router = Router(tags=["lists"])

MAX_LIMIT = 100
_ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem}
_STATE_LABELS = dict(EntryState.choices)
_KIND_LABELS = dict(ListKind.choices)


def _iso(instant: dt.datetime | None) -> str | None:
    return rfc3339(instant) if instant else None


class _Viewer:
    """Who is looking: `government`, the subject itself (`own` = its subject id) or the public."""

    def __init__(self, actor: Actor) -> None:
        self.government = actor.has_role(*GOVERNMENT)
        self.own = None if self.government else subject_id_of(actor=actor)

    def sees(self, entry: ListEntry) -> bool:
        published = entry.state == EntryState.PUBLISHED and entry.list_type.public
        return self.government or published or entry.subject_id == self.own

    def sees_statements(self, entry: ListEntry) -> bool:
        return self.government or entry.subject_id == self.own


def _entry_out(entry: ListEntry, viewer: _Viewer, *, detail: bool = False) -> dict:
    subject = entry.subject
    out = {
        "id": entry.pk,
        "list_type": entry.list_type.code,
        "list_type_name": entry.list_type.name,
        "kind": entry.list_type.kind,
        "state": entry.state,
        "state_label": _STATE_LABELS[entry.state],
        "subject": {
            "id": subject.pk,
            "code": subject_primary_code(subject),
            "kind": subject.kind,
            "name": subject.name if not subject.is_person or subject.pk == viewer.own else None,
        },
        "legal_basis": entry.legal_basis,
        "reasons": entry.reasons,
        "basis_record_ids": sorted(r.pk for r in entry.basis_records.all()),
        "proposing_unit": entry.proposing_unit.code,
        "deciding_unit": entry.list_type.deciding_unit.code,
        "proposed_at": _iso(entry.proposed_at),
        "statement_deadline": _iso(entry.statement_deadline),
        "statement_deadline_provisional": entry.statement_deadline_provisional,
        "statement_waived": entry.statement_waived,
        "decided_at": _iso(entry.decided_at),
        "remedy": entry.remedy,
        "duration_months": entry.duration_months,
        "published_at": _iso(entry.published_at),
        "expires_on": entry.expires_on.isoformat() if entry.expires_on else None,
        "earliest_exit_on": entry.earliest_exit_on.isoformat() if entry.earliest_exit_on else None,
        "exited_at": _iso(entry.exited_at),
        "under_objection_since": _iso(entry.objection_since),
        "exit_reason": entry.exit_reason,
        "version": entry.version,
    }
    if detail:
        out["transitions"] = [_transition_out(t, viewer) for t in entry.transitions.all()]
        out["statements"] = (
            [_statement_out(s) for s in entry.statements.all()] if viewer.sees_statements(entry) else []
        )
    return out


def _transition_out(t, viewer: _Viewer) -> dict:
    return {
        "action": t.action,
        "action_label": ACTION_LABELS.get(t.action, t.action),
        "from_state": t.from_state,
        "to_state": t.to_state,
        "actor": t.actor if viewer.government else None,
        "unit_code": t.unit_code,
        "reason": t.reason,
        "at": _iso(t.at),
    }


def _statement_out(s) -> dict:
    return {
        "id": s.pk,
        "entry_id": s.entry_id,
        "kind": s.kind,
        "text": s.text,
        "on_behalf": s.on_behalf,
        "at": _iso(s.at),
    }


def _entry_answer(request: HttpRequest, entry_id: int) -> dict:
    return _entry_out(
        selectors.list_entry_get(entry_id=entry_id), _Viewer(request_actor(request)), detail=True
    )


# ── list types ──────────────────────────────────────────────────────────────────────────────────────────


@router.get(
    "/types",
    response=ListTypesOut,
    operation_id="lists_types_list",
    summary="名单类型（设列依据、认定单位、期限）",
)
def lists_types_list(request: HttpRequest):
    types = list(selectors.list_type_list())
    return {
        "count": len(types),
        "list_types": [
            {
                "code": t.code,
                "name": t.name,
                "kind": t.kind,
                "kind_label": _KIND_LABELS[t.kind],
                "legal_basis": t.legal_basis,
                "criteria": t.criteria,
                "deciding_unit": t.deciding_unit.code,
                "deciding_unit_name": t.deciding_unit.name,
                "duration_months": t.duration_months,
                "earliest_exit_months": t.earliest_exit_months,
                "repairable": t.repairable,
                "training_required": t.training_required,
                "public": t.public,
                "statement_working_days": t.statement_working_days,
                "remedy": t.remedy,
                "category": t.category.code if t.category_id else None,
            }
            for t in types
        ],
    }


# ── entries: the lifecycle ──────────────────────────────────────────────────────────────────────────────


@router.post(
    "/entries",
    response={201: EntryOut, **_ERRORS},
    auth=TokenAuth(),
    operation_id="lists_entry_propose",
    summary="提议将主体列入名单",
)
def lists_entry_propose(request: HttpRequest, body: EntryProposeIn):
    subject = subject_lookup(raw=body.subject, field="subject").subject
    entry = services.list_entry_propose(
        actor=request_actor(request),
        list_type=body.list_type,
        subject=subject,
        basis_record_ids=body.basis_record_ids,
        legal_basis=body.legal_basis,
        reasons=body.reasons,
        now=now(),
    )
    return Status(201, _entry_answer(request, entry.pk))


@router.post(
    "/entries/{entry_id}/review",
    response={200: EntryOut, **_ERRORS},
    auth=TokenAuth(),
    operation_id="lists_entry_review",
    summary="审核提议（通过则发出告知书；提议人不能审核自己的提议）",
)
def lists_entry_review(request: HttpRequest, entry_id: int, body: ReviewIn):
    services.list_entry_review(
        actor=request_actor(request), entry_id=entry_id, approve=body.approve, reason=body.reason, now=now()
    )
    return _entry_answer(request, entry_id)


@router.post(
    "/entries/{entry_id}/statement",
    response={201: StatementOut, **_ERRORS},
    auth=TokenAuth(),
    operation_id="lists_entry_statement",
    summary="陈述申辩、异议或放弃陈述申辩（陈述申辩期内）",
)
def lists_entry_statement(request: HttpRequest, entry_id: int, body: StatementIn):
    statement = services.list_entry_statement(
        actor=request_actor(request),
        entry_id=entry_id,
        text=body.text,
        kind=body.kind,
        waive=body.waive,
        now=now(),
    )
    return Status(201, _statement_out(statement))


@router.post(
    "/entries/{entry_id}/decision",
    response={200: EntryOut, **_ERRORS},
    auth=TokenAuth(),
    operation_id="lists_entry_decide",
    summary="作出列入决定（陈述申辩期届满后；载明救济途径）",
)
def lists_entry_decide(request: HttpRequest, entry_id: int, body: ListDecisionIn):
    services.list_entry_decide(
        actor=request_actor(request),
        entry_id=entry_id,
        remedy=body.remedy,
        reason=body.reason,
        duration_months=body.duration_months,
        now=now(),
    )
    return _entry_answer(request, entry_id)


@router.post(
    "/entries/{entry_id}/publication",
    response={200: EntryOut, **_ERRORS},
    auth=TokenAuth(),
    operation_id="lists_entry_publish",
    summary="公布名单条目",
)
def lists_entry_publish(request: HttpRequest, entry_id: int):
    services.list_entry_publish(actor=request_actor(request), entry_id=entry_id, now=now())
    return _entry_answer(request, entry_id)


@router.post(
    "/entries/{entry_id}/exit",
    response={200: EntryOut, **_ERRORS},
    auth=TokenAuth(),
    operation_id="lists_entry_exit",
    summary="移出名单（期满、信用修复、撤销、法院裁判）",
)
def lists_entry_exit(request: HttpRequest, entry_id: int, body: ExitIn):
    services.list_entry_exit(
        actor=request_actor(request),
        entry_id=entry_id,
        reason_code=body.reason_code,
        reason=body.reason,
        now=now(),
    )
    return _entry_answer(request, entry_id)


@router.post(
    "/entries/{entry_id}/withdrawal",
    response={200: EntryOut, **_ERRORS},
    auth=TokenAuth(),
    operation_id="lists_entry_withdraw",
    summary="撤回未公布的名单条目",
)
def lists_entry_withdraw(request: HttpRequest, entry_id: int, body: ListWithdrawIn):
    services.list_entry_withdraw(
        actor=request_actor(request), entry_id=entry_id, reason=body.reason, now=now()
    )
    return _entry_answer(request, entry_id)


# ── entries: reads ──────────────────────────────────────────────────────────────────────────────────────


@router.get(
    "/entries/{entry_id}",
    response={200: EntryOut, **_ERRORS},
    auth=OptionalTokenAuth(),
    operation_id="lists_entry_get",
    summary="名单条目详情（含状态变更记录）",
)
def lists_entry_get(request: HttpRequest, entry_id: int):
    viewer = _Viewer(request_actor(request))
    entry = selectors.list_entry_get(entry_id=entry_id)
    if not viewer.sees(entry):
        raise NotFound("list_entry.not_found", f"名单条目 {entry_id} 不存在")
    return _entry_out(entry, viewer, detail=True)


@router.get(
    "/entries",
    response={200: EntryPageOut, **_ERRORS},
    auth=OptionalTokenAuth(),
    operation_id="lists_entry_list",
    summary="名单条目（公众只见已公布的公开名单）",
)
def lists_entry_list(
    request: HttpRequest,
    subject: str | None = None,
    list_type: str | None = None,
    state: str | None = None,
    cursor: str | None = None,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
):
    if state and state not in EntryState.values:
        raise DomainError(
            "list_entry.state_invalid", f"状态只能是 {'、'.join(EntryState.values)}，实为 {state}"
        )
    viewer = _Viewer(request_actor(request))
    entries = selectors.list_entry_list(
        subject_id=subject_lookup(raw=subject, field="subject").subject.pk if subject else None,
        list_type_code=list_type,
        state=state,
        public_only=not viewer.government,
        own_subject_id=viewer.own,
    )
    if cursor:
        entries = entries.filter(pk__lt=cursor_int(cursor, "i"))
    return keyset_page(
        request, entries, limit=limit, cursor_of=lambda e: {"i": e.pk}, shape=lambda e: _entry_out(e, viewer)
    )


# the subject's notices register their operations on this router, after the entries' (api/notices.py)
from xinyong.lists.api import notices  # noqa: E402, F401
