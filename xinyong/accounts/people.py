"""Officers as people, subject accounts made on the command line, and a person's deactivation (issue 14).

An officer (工作人员) is a user bound to one unit and one or more roles that the unit may hold
(accounts/policy.py `officer_roles_check`). A new account has no usable password: it gets a one-time
set-password link (`set_password_link`, Django's `default_token_generator`: the link stops working once the
password is set, and after PASSWORD_RESET_TIMEOUT, 3 days). Deactivating a person revokes all of their live
tokens and ends their sessions at once. Every change is an audit event in the same transaction.

Subjects sit above accounts in the import layers, so a subject is found by code through the port the
subjects app installs when it starts (accounts/subjectkeys.py `directory().subject_by_code`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from xinyong.accounts.models import ApiToken, SubjectAccount, Unit, User, VerificationMethod
from xinyong.accounts.policy import officer_roles_check
from xinyong.accounts.roles import Role
from xinyong.accounts.subjectkeys import directory
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError, NotFound

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def set_password_link(user: User) -> str:
    """The one-time link at which `user` sets a password (the sign-in pages serve it, accounts/login)."""
    base = (getattr(settings, "XINYONG_PUBLIC_URL", "") or DEFAULT_PUBLIC_URL).rstrip("/")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"{base}/accounts/set-password/{uid}/{default_token_generator.make_token(user)}/"


def officer_create(
    *,
    actor: Actor,
    unit: Unit,
    roles: list[str],
    full_name: str,
    now: dt.datetime,
    username: str | None = None,
) -> tuple[User, str]:
    """Create an officer of `unit` with `roles` (issue 14), without a usable password; returns the user and
    the one-time set-password link. Only an administrator may (403); roles are checked against the unit
    (400 `account.role_*`), the name is required (400 `account.name_required`), a taken username is 409."""
    actor.require(Role.ADMIN)
    if not unit.active:
        raise DomainError("account.unit_inactive", f"单位 {unit.name} 已停用，不能新建工作人员")
    roles = officer_roles_check(unit, roles)
    full_name = _full_name(full_name)
    with transaction.atomic():
        username = _username(username) if username else _generated_username(unit.code)
        user = User.objects.create_user(username=username, password=None)
        user.unit, user.roles, user.full_name, user.is_staff = unit, roles, full_name, True
        user.save(update_fields=["unit", "roles", "full_name", "is_staff"])
        audit_append(
            actor=actor,
            action="account.create",
            target_type="user",
            target_id=user.pk,
            now=now,
            payload={"kind": "officer", "username": username, "unit": unit.code, "roles": roles},
        )
    return user, set_password_link(user)


def subject_account_create(*, actor: Actor, subject_code: str, now: dt.datetime) -> tuple[User, str]:
    """A subject's account made by an operator on the command line (`xinyong account create --subject`),
    verified by the operator (method `command`); returns the user and the one-time set-password link. An
    unknown or invalid code is the subjects app's 404/400; a subject that has an account already is 409
    `account.subject_has_account`."""
    actor.require(Role.ADMIN)
    subject = directory().subject_by_code(subject_code)
    with transaction.atomic():
        if SubjectAccount.objects.filter(subject_id=subject.id).exists():
            raise Conflict("account.subject_has_account", f"信用主体 {subject.name} 已有账户")
        user = User.objects.create_user(username=_generated_username(f"subject-{subject.id}"), password=None)
        user.roles, user.full_name = [Role.SUBJECT], subject.name[:50]
        user.save(update_fields=["roles", "full_name"])
        SubjectAccount.objects.create(
            user=user,
            subject_id=subject.id,
            verified_by=actor.label,
            verified_at=now,
            method=VerificationMethod.COMMAND,
        )
        audit_append(
            actor=actor,
            action="account.create",
            target_type="user",
            target_id=user.pk,
            now=now,
            payload={
                "kind": "subject",
                "username": user.username,
                "subject": subject.id,
                "method": "command",
            },
        )
    return user, set_password_link(user)


def officer_roles_set(*, actor: Actor, user: User, roles: list[str], now: dt.datetime) -> User:
    """Change an officer's roles (audited `account.roles_change`); the person's tokens act with the new
    roles from their next request."""
    actor.require(Role.ADMIN)
    if user.unit_id is None:
        raise DomainError("account.not_an_officer", f"用户 {user.username} 不是工作人员（没有所属单位）")
    roles = officer_roles_check(user.unit, roles)
    with transaction.atomic():
        before = list(user.roles)
        user.roles = roles
        user.save(update_fields=["roles"])
        audit_append(
            actor=actor,
            action="account.roles_change",
            target_type="user",
            target_id=user.pk,
            now=now,
            payload={"username": user.username, "from": before, "to": roles},
        )
    return user


def person_deactivate(*, actor: Actor, user: User, now: dt.datetime, reason: str) -> int:
    """Deactivate a person (停用): no more sign-in, every live token revoked and every session ended, in one
    transaction (audited `account.deactivate`); returns the number of tokens revoked. A token of a
    deactivated person is also refused by the token check itself (services.api_token_authenticate).

    Sessions: the database session rows are decoded one by one to find the person's (fine at an office's
    scale: a few thousand live sessions); Django also ends any session of an inactive user on its next
    request."""
    actor.require(Role.ADMIN)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "account.reason_required",
            "停用须写明原因",
            errors=[{"field": "reason", "code": "account.reason_required", "message": "请填写停用原因"}],
        )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_active:
            raise Conflict("account.already_inactive", f"用户 {user.username} 已停用")
        user.is_active, user.deactivated_at = False, now
        user.save(update_fields=["is_active", "deactivated_at"])
        tokens = list(
            ApiToken.objects.filter(user=user, revoked_at__isnull=True).values_list("prefix", flat=True)
        )
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        sessions = _sessions_end(user, now)
        audit_append(
            actor=actor,
            action="account.deactivate",
            target_type="user",
            target_id=user.pk,
            now=now,
            reason=reason,
            payload={"username": user.username, "tokens_revoked": sorted(tokens), "sessions_ended": sessions},
        )
    return len(tokens)


def person_reactivate(*, actor: Actor, user: User, now: dt.datetime, reason: str = "") -> User:
    """Let a deactivated person sign in again (audited `account.reactivate`); the tokens revoked when it was
    deactivated stay revoked."""
    actor.require(Role.ADMIN)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active:
            raise Conflict("account.already_active", f"用户 {user.username} 未停用")
        user.is_active, user.deactivated_at = True, None
        user.save(update_fields=["is_active", "deactivated_at"])
        audit_append(
            actor=actor,
            action="account.reactivate",
            target_type="user",
            target_id=user.pk,
            now=now,
            reason=(reason or "").strip(),
            payload={"username": user.username},
        )
    return user


def user_by_username(username: str) -> User:
    """A user by username (404 `account.not_found`)."""
    user = User.objects.select_related("unit").filter(username=username.strip()).first()
    if user is None:
        raise NotFound("account.not_found", f"用户不存在：{username}")
    return user


def officer_list(*, unit: Unit | None = None) -> list[User]:
    """Officers (users with a unit), by unit and username."""
    users = User.objects.select_related("unit").filter(unit__isnull=False)
    if unit is not None:
        users = users.filter(unit=unit)
    return list(users.order_by("unit__code", "username"))


def subject_account_user(*, subject_code: str) -> User:
    """The user of the subject's account (404 `account.subject_without_account` when it has none)."""
    subject = directory().subject_by_code(subject_code)
    account = SubjectAccount.objects.select_related("user").filter(subject_id=subject.id).first()
    if account is None:
        raise NotFound(
            "account.subject_without_account",
            f"信用主体 {subject.name} 没有账户，请先 xinyong account create --subject",
        )
    return account.user


def _sessions_end(user: User, now: dt.datetime) -> int:
    ended = [
        s.pk
        for s in Session.objects.filter(expire_date__gt=now)
        if str(s.get_decoded().get("_auth_user_id", "")) == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def _full_name(value: str) -> str:
    name = (value or "").strip()
    if not name:
        raise DomainError(
            "account.name_required",
            "请填写工作人员姓名",
            errors=[{"field": "full_name", "code": "account.name_required", "message": "请填写姓名"}],
        )
    if len(name) > 50:
        raise DomainError("account.name_invalid", "姓名不能超过 50 个字符")
    return name


def _username(value: str) -> str:
    username = value.strip()
    try:
        User.username_validator(username)
    except ValidationError:
        raise DomainError(
            "account.username_invalid", f"用户名 {username} 无效：只能使用字母、数字和 @ . + - _"
        ) from None
    if not username or len(username) > 150:
        raise DomainError("account.username_invalid", "用户名须为 1–150 个字符")
    if User.objects.filter(username=username).exists():
        raise Conflict("account.username_taken", f"用户名 {username} 已被使用")
    return username


def _generated_username(stem: str) -> str:
    """`<stem>-NNN`: the next free number after the stem's existing accounts."""
    n = User.objects.filter(username__startswith=f"{stem}-").count() + 1
    while User.objects.filter(username=f"{stem}-{n:03d}").exists():
        n += 1
    return f"{stem}-{n:03d}"
