"""Writes and reads of subject accounts and consents (DESIGN principle 6: least privilege, consent)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xinyong.accounts.models import Consent, SubjectAccount, Unit, User
from xinyong.accounts.roles import OFFICE, OFFICIALS, Role
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError, NotFound, PermissionDenied


def subject_account_link(*, actor: Actor, user: User, subject_id: int, now: dt.datetime) -> SubjectAccount:
    """Link a user to the subject it is, after identity verification by the credit office (实名核验)."""
    actor.require(*OFFICE)
    if SubjectAccount.objects.filter(user=user).exists():
        raise Conflict("account.already_linked", f"用户 {user.username} 已绑定信用主体")
    with transaction.atomic():
        account = SubjectAccount.objects.create(
            user=user, subject_id=subject_id, verified_by=actor.label, verified_at=now
        )
        if Role.SUBJECT not in user.roles:
            user.roles = [*user.roles, Role.SUBJECT]
            user.save(update_fields=["roles"])
        audit_append(
            actor=actor,
            action="account.link_subject",
            target_type="subject",
            target_id=subject_id,
            now=now,
            payload={"user": user.pk},
        )
    return account


def subject_id_of(*, actor: Actor) -> int | None:
    """The subject an actor is (its verified account), or None."""
    if not actor.user_id or not actor.has_role(Role.SUBJECT):
        return None
    return SubjectAccount.objects.filter(user_id=actor.user_id).values_list("subject_id", flat=True).first()


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


def subject_user_create(*, actor: Actor, username: str, subject_id: int, now: dt.datetime) -> User:
    """A new user without a usable password (it signs in by token) linked to its subject at once
    (`subject_account_link`): the demo's subject accounts."""
    user = User.objects.create_user(username=username, password=None)
    subject_account_link(actor=actor, user=user, subject_id=subject_id, now=now)
    return user
