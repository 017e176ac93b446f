"""Writes and reads of subject accounts (docs/domain.md principle 6: least privilege); consents are
disclosure's (disclosure/consents.py)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xinyong.accounts.models import SubjectAccount, User
from xinyong.accounts.roles import OFFICE, Role
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict


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
    """The subject an actor is (its verified account), or None. An agent (issue 14) is the subject it acts
    for only once `policy.agency_actor` has bound it to an operation within the power of attorney (which
    gives it the `subject` role); otherwise, or under an agency no longer live, it is nobody's subject."""
    if actor.agency_id is not None:
        return actor.acting_for if actor.has_role(Role.SUBJECT) else None
    if not actor.user_id or not actor.has_role(Role.SUBJECT):
        return None
    return SubjectAccount.objects.filter(user_id=actor.user_id).values_list("subject_id", flat=True).first()


def subject_user_create(*, actor: Actor, username: str, subject_id: int, now: dt.datetime) -> User:
    """A new user without a usable password (it signs in by token) linked to its subject at once
    (`subject_account_link`): the demo's subject accounts."""
    user = User.objects.create_user(username=username, password=None)
    subject_account_link(actor=actor, user=user, subject_id=subject_id, now=now)
    return user
