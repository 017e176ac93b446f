"""The account side of an OpenID Connect sign-in (issue 14, docs/adr/0033): once the portal has matched the
identity's verified identifier to a subject, find the account by (issuer, sub) or make it.

Rule: the first sign-in of an identity creates a user (no usable password, role `subject`, full name from the
provider), its `OidcIdentity` and a `SubjectAccount(method=oidc, verified_by="oidc:<issuer>")`, audited as
`account.oidc_link` and `account.oidc_login`; a later sign-in must name the same subject (else refused: the
identity is bound to another subject) and is audited as `account.oidc_login`. Refusals are audited as
`account.oidc_refused` with a reason code and no clear resident ID. The caller passes `sub` as it may be
stored: a `sub` that holds a resident ID (some providers use the number as the user's identifier) arrives as
its keyed hash (portal/oidc/match.py `stored_sub`).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import IntegrityError, transaction

from xinyong.accounts.models import OidcIdentity, SubjectAccount, User, VerificationMethod
from xinyong.accounts.roles import Role
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.redact import redact

BOUND_ELSEWHERE = (
    "该统一身份认证账号已绑定另一信用主体，不能用它登录本主体的账户。如需变更，请到信用办窗口办理。"
)
DEACTIVATED = "该账户已停用，不能登录。如有疑问，请联系信用办。"


class OidcRefused(Exception):
    """A sign-in the rule refuses: `code` for the audit trail, `message` (Chinese) for the person, `detail`
    (no clear resident ID) for the audit payload."""

    def __init__(self, code: str, message: str, detail: dict | None = None) -> None:
        super().__init__(code)
        self.code, self.message, self.detail = code, message, detail or {}


def _actor(user: User, request_id: str) -> Actor:
    return Actor(
        label=f"user:{user.pk}", roles=frozenset({Role.SUBJECT}), user_id=user.pk, request_id=request_id
    )


def oidc_account_sign_in(
    *, issuer: str, sub: str, subject_id: int, full_name: str, now: dt.datetime, request_id: str = ""
) -> User:
    """The user an identity signs in as (module docstring); OidcRefused when the rule refuses."""
    key = sub
    if redact(key) != key:
        raise ValueError("an OIDC sub holding a resident ID must be hashed first (stored_sub)")
    try:
        return _sign_in(issuer, key, subject_id, full_name, now, request_id)
    except IntegrityError:  # the same identity's first sign-in ran at the same time and made the account
        return _sign_in(issuer, key, subject_id, full_name, now, request_id)


def _sign_in(
    issuer: str, key: str, subject_id: int, full_name: str, now: dt.datetime, request_id: str
) -> User:
    with transaction.atomic():
        identity = (
            OidcIdentity.objects.select_for_update()
            .select_related("user")
            .filter(issuer=issuer, sub=key)
            .first()
        )
        if identity is None:
            return _link(issuer, key, subject_id, full_name, now, request_id)
        user = identity.user
        bound = SubjectAccount.objects.filter(user=user).values_list("subject_id", flat=True).first()
        if bound != subject_id:
            raise OidcRefused(
                "oidc.bound_elsewhere", BOUND_ELSEWHERE, {"subject": subject_id, "user": user.pk}
            )
        if not user.is_active or user.deactivated_at is not None:
            raise OidcRefused("oidc.deactivated", DEACTIVATED, {"subject": subject_id, "user": user.pk})
        identity.last_login_at = now
        identity.save(update_fields=["last_login_at"])
        _audit_login(user, issuer, subject_id, now, request_id)
    return user


def _link(issuer: str, key: str, subject_id: int, full_name: str, now: dt.datetime, request_id: str) -> User:
    digest = hashlib.sha256(f"{issuer}\n{key}".encode()).hexdigest()[:24]
    user = User(username=f"oidc-{digest}", full_name=full_name[:50], roles=[Role.SUBJECT])
    user.set_unusable_password()
    user.save()
    OidcIdentity.objects.create(user=user, issuer=issuer, sub=key, linked_at=now, last_login_at=now)
    SubjectAccount.objects.create(
        user=user,
        subject_id=subject_id,
        verified_by=f"oidc:{issuer}"[:80],
        verified_at=now,
        method=VerificationMethod.OIDC,
    )
    audit_append(
        actor=_actor(user, request_id),
        action="account.oidc_link",
        target_type="subject",
        target_id=subject_id,
        now=now,
        reason="统一身份认证首次登录，按核验的证照号码绑定信用主体",
        payload={"user": user.pk, "issuer": issuer, "method": VerificationMethod.OIDC.value},
    )
    _audit_login(user, issuer, subject_id, now, request_id)
    return user


def _audit_login(user: User, issuer: str, subject_id: int, now: dt.datetime, request_id: str) -> None:
    audit_append(
        actor=_actor(user, request_id),
        action="account.oidc_login",
        target_type="user",
        target_id=user.pk,
        now=now,
        payload={"issuer": issuer, "subject": subject_id},
    )


def oidc_refusal_record(*, issuer: str, refusal: OidcRefused, now: dt.datetime, request_id: str = "") -> None:
    """Audit a refused sign-in: the reason code and the safe detail (never a clear resident ID)."""
    detail = {
        key: redact(value) if isinstance(value, str) else value for key, value in refusal.detail.items()
    }
    subject = detail.get("subject")
    with transaction.atomic():
        audit_append(
            actor=Actor.anonymous(request_id),
            action="account.oidc_refused",
            target_type="subject" if subject else "oidc_identity",
            target_id=subject or "",
            now=now,
            reason=refusal.code,
            payload={"issuer": issuer, "reason": refusal.code, **detail},
        )
