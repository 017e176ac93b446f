"""A broken commitment becomes a negative record (docs/domain.md Commitment: "a breach becomes a negative
record").

The record is of catalog category XYCNWY (违背信用承诺信息, negative, severity_period) and goes through the
records app's own intake (`submission_receive`) like every other record, so it is validated against the
catalog, keyed to the subject by its identifiers, given its publication window by the rule in force, and
audited. It is submitted in the name of the accepting unit (受理单位) by the verifier; the idempotency key
`commitment-breach-<id>` makes a second submission of the same breach add nothing.
"""

from __future__ import annotations

import datetime as dt

from xinyong.accounts.roles import Role
from xinyong.commitments.models import Commitment, CommitmentKind
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import business_date
from xinyong.intake.services import SubmissionSource, body_digest, category_for_submission, submission_receive
from xinyong.records.models import Record
from xinyong.records.selectors import record_current_of_submission
from xinyong.subjects.identity import person_decrypt

CATEGORY = "XYCNWY"
SEVERITIES = {"general": "一般", "serious": "严重"}
KIND_CODES = {
    CommitmentKind.APPROVAL: "1",
    CommitmentKind.VOLUNTARY: "2",
    CommitmentKind.INDUSTRY: "3",
    CommitmentKind.REPAIR: "4",
}


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def breach_idempotency_key(commitment_id: int) -> str:
    return f"commitment-breach-{commitment_id}"


def breach_row(commitment: Commitment, *, severity: str, now: dt.datetime) -> dict[str, str]:
    """The XYCNWY row of a broken commitment (catalog field codes; XY_YZCD is the severity tier)."""
    subject, unit = commitment.subject, commitment.accepting_unit
    signed_on = business_date(commitment.signed_at)
    row = {
        "XYCNWY_ZTMC": subject.name,
        "XYCNWY_CNBH": f"XYCN-{commitment.pk}",
        "XYCNWY_CNLX": KIND_CODES[commitment.kind],
        "XYCNWY_CNSX": commitment.matter,
        "XYCNWY_CNNR": commitment.text,
        "XYCNWY_CNRQ": signed_on.isoformat(),
        "XYCNWY_SLDW": unit.name,
        "XYCNWY_WNQX": commitment.result,
        "XYCNWY_HCJL": (
            f"经{unit.name}核查，{subject.name}未履行其于{cn_date(signed_on)}作出的"
            f"{commitment.get_kind_display()}（承诺事项：{commitment.matter}），认定为违背信用承诺。"
        ),
        "XYCNWY_HCRQ": business_date(now).isoformat(),
        "XY_YZCD": SEVERITIES[severity],
    }
    if subject.is_person:
        row["XYCNWY_ZJHM"] = person_decrypt(subject.person_cipher)
    elif subject.uscc:
        row["XYCNWY_TYSHXYDM"] = subject.uscc
    return row


def breach_record_write(commitment: Commitment, *, actor: Actor, severity: str, now: dt.datetime) -> Record:
    """Submit the breach through the records intake as the accepting unit; the accepted record. A row the
    catalog refuses (e.g. a subject without a code the intake can key it by) refuses the verification."""
    record, errors = submit_as_accepting_unit(
        commitment,
        actor=actor,
        category_code=CATEGORY,
        row=breach_row(commitment, severity=severity, now=now),
        idempotency_key=breach_idempotency_key(commitment.pk),
        now=now,
    )
    if record is None:
        detail = "；".join(e.get("message", "") for e in errors) or "该行未被接收"
        raise DomainError(
            "commitment.breach_record_rejected",
            f"违诺信息未能记入信用记录：{detail}",
            status=422,
            errors=errors,
        )
    return record


def as_accepting_unit(commitment: Commitment, actor: Actor) -> Actor:
    """The actor acting for the commitment's accepting unit as its data officer: the records intake and its
    withdrawal only take rows from a unit's data officer."""
    return Actor(
        label=actor.label,
        unit_code=commitment.accepting_unit.code,
        roles=frozenset({Role.DATA_OFFICER}),
        user_id=actor.user_id,
        token_id=actor.token_id,
        request_id=actor.request_id,
    )


def submit_as_accepting_unit(
    commitment: Commitment,
    *,
    actor: Actor,
    category_code: str,
    row: dict,
    idempotency_key: str,
    now: dt.datetime,
) -> tuple[Record | None, list[dict]]:
    """Submit one row through the records intake in the name of the commitment's accepting unit: the current
    record it became, or None and the row's errors when the catalog refused it."""
    unit = commitment.accepting_unit
    outcome = submission_receive(
        actor=as_accepting_unit(commitment, actor),
        unit=unit,
        category=category_for_submission(code=category_code),
        rows=enumerate([row]),
        source=SubmissionSource(
            channel="api", idempotency_key=idempotency_key, body_sha256=body_digest(category_code, [row])
        ),
        now=now,
    )
    record = record_current_of_submission(submission_id=outcome.submission.pk)
    if record is not None:
        return record, []
    rejected = outcome.submission.result.get("rejected_rows") or [{}]
    return None, rejected[0].get("errors", []) if isinstance(rejected[0], dict) else []
