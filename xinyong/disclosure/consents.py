"""Consents (信用信息查询授权, docs/domain.md principle 6): a subject's authorisation for a unit to read its
non-public data, granted, listed, revoked, and the one in force that a profile read relies on."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xinyong.accounts.access import subject_id_of
from xinyong.accounts.models import Unit
from xinyong.accounts.roles import OFFICIALS
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from xinyong.disclosure.models import Consent


def consent_grant(
    *,
    actor: Actor,
    subject_id: int,
    grantee: Unit,
    purpose: str,
    valid_until: dt.date,
    now: dt.datetime,
    evidence: str = "",
) -> Consent:
    """Record an authorisation: by the subject itself, or by an officer from a written one (with evidence)."""
    own = subject_id_of(actor=actor) == subject_id
    if not own and not (actor.has_role(*OFFICIALS) and evidence.strip()):
        raise PermissionDenied(
            "consent.not_allowed", "只有信用主体本人可以授权；工作人员登记书面授权须填写授权凭证"
        )
    if not purpose.strip():
        raise DomainError("consent.purpose_required", "授权须写明用途")
    if valid_until < now.date() or valid_until > now.date() + dt.timedelta(days=366):
        raise DomainError("consent.validity_invalid", "授权有效期须在今天到一年以内")
    with transaction.atomic():
        consent = Consent.objects.create(
            subject_id=subject_id,
            grantee=grantee,
            purpose=purpose.strip(),
            evidence=evidence.strip(),
            granted_at=now,
            valid_until=valid_until,
            recorded_by=actor.label,
        )
        audit_append(
            actor=actor,
            action="consent.grant",
            target_type="subject",
            target_id=subject_id,
            now=now,
            payload={
                "consent": consent.pk,
                "grantee": grantee.code,
                "purpose": consent.purpose,
                "valid_until": valid_until.isoformat(),
            },
        )
    return consent


def consent_revoke(*, actor: Actor, consent_id: int, now: dt.datetime) -> Consent:
    """The subject withdraws an authorisation; reads relying on it stop at once."""
    with transaction.atomic():
        consent = Consent.objects.select_for_update().filter(pk=consent_id).first()
        if consent is None or subject_id_of(actor=actor) != consent.subject_id:
            raise NotFound("consent.not_found", f"授权 {consent_id} 不存在")
        if consent.revoked_at is not None:
            raise Conflict("consent.already_revoked", "该授权已撤回")
        consent.revoked_at = now
        consent.save(update_fields=["revoked_at"])
        audit_append(
            actor=actor,
            action="consent.revoke",
            target_type="subject",
            target_id=consent.subject_id,
            now=now,
            payload={"consent": consent.pk},
        )
    return consent


def consent_active(*, subject_id: int, unit_code: str, on: dt.date) -> Consent | None:
    """The unit's live authorisation from the subject on a date, if any."""
    return (
        Consent.objects.filter(
            subject_id=subject_id,
            grantee__code=unit_code,
            revoked_at__isnull=True,
            valid_until__gte=on,
            granted_at__date__lte=on,
        )
        .order_by("-granted_at")
        .first()
    )


def consent_list(*, subject_id: int) -> list[Consent]:
    """A subject's authorisations, newest first (revoked ones included, marked by `revoked_at`)."""
    return list(
        Consent.objects.filter(subject_id=subject_id).select_related("grantee").order_by("-granted_at")
    )
