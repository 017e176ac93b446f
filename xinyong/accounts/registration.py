"""Registration with documents, verified at the counter (实名注册、线下窗口核验; issue 14, standalone
deployments without a unified identity platform).

`application_submit` makes a user who can sign in but is no subject yet, the application with its query code
(ZC-…, followed at /progress/) and its documents; `application_verify` (the credit office, after it has seen
the originals) links the user to the registered subject, or records the agent's power of attorney;
`application_reject` refuses with a reason. A resident ID is kept only as the registry's keyed hash and its
masked form (accounts/subjectkeys.py). Each is one transaction with its audit event; a refused submission
writes nothing and keeps no file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from xinyong.accounts import agencies
from xinyong.accounts.access import subject_account_link
from xinyong.accounts.documents import (
    DOCUMENT_LABELS,
    DOCUMENTS,
    document_field,
    document_write,
    documents_remove,
)
from xinyong.accounts.models import (
    AccountApplication,
    AccountDocument,
    ApplicationKind,
    ApplicationStatus,
    User,
)
from xinyong.accounts.roles import OFFICE
from xinyong.accounts.subjectkeys import SubjectKey, directory
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError, NotFound, required_text
from xinyong.core.evidence import Upload, anonymous_uploads_check, evidence_check, uploads_read
from xinyong.core.querycode import query_code_new
from xinyong.core.timeutil import business_date

T = TypeVar("T")
INVALID = "申请信息有误，请按提示修改后重新提交"
PERSON_NAME_MAX = 50
# Django's own password validators (settings.AUTH_PASSWORD_VALIDATORS) by code, in plain Chinese; the
# length-and-classes rule (accounts/passwords.py) says its own
PASSWORD_RULES = {
    "password_too_common": "密码太常见，容易被猜到",
    "password_entirely_numeric": "密码不能只有数字",
    "password_too_similar": "密码与用户名或姓名太相似",
}


def _refuse(code: str, field: str, message: str) -> DomainError:
    return DomainError(code, message, errors=[{"field": field, "code": code, "message": message}])


def _collect(errors: list[dict], check: Callable[[], T]) -> T | None:
    """Run one field's check; its refusal joins `errors` (every field is reported at once)."""
    try:
        return check()
    except DomainError as err:
        errors.extend(err.errors or [{"field": "", "code": err.code, "message": err.message}])
        return None


def _username(raw: str) -> str:
    name = (raw or "").strip()
    if not name:
        raise _refuse("account.username_required", "username", "请填写用户名")
    try:
        User.username_validator(name)
    except ValidationError:
        message = "用户名只能包含字母、数字和 @ . + - _，不超过 150 个字符"
        raise _refuse("account.username_invalid", "username", message) from None
    if len(name) > 150:
        raise _refuse("account.username_invalid", "username", "用户名不得超过 150 个字符")
    if User.objects.filter(username__iexact=name).exists():
        raise _refuse("account.username_taken", "username", f"用户名 {name} 已被使用，请换一个")
    return name


def _password(raw: str, username: str, name: str) -> str:
    if not raw:
        raise _refuse("account.password_required", "password", "请设置密码")
    try:
        validate_password(raw, user=User(username=username, full_name=name))
    except ValidationError as err:
        said = [PASSWORD_RULES.get(e.code or "", e.messages[0]).rstrip("。") for e in err.error_list]
        raise _refuse("account.password_weak", "password", "；".join(said)) from None
    return raw


def _text(raw: str, field: str, label: str, most: int) -> str:
    text = required_text(raw, code=f"account.{field}_required", field=field, message=f"请填写{label}")
    if len(text) > most:
        raise _refuse(f"account.{field}_too_long", field, f"{label}不得超过 {most} 个字")
    return text


def _key(kind: str, subject_code: str, resident_id: str, today: dt.date) -> SubjectKey:
    """The subject the application is for: an enterprise by USCC, a person by resident ID, an agent's
    principal by either (one of the two)."""
    code, rid = (subject_code or "").strip(), (resident_id or "").strip()
    if kind == ApplicationKind.ENTERPRISE or (kind == ApplicationKind.AGENT and code and not rid):
        if not code:
            raise _refuse("account.subject_code_required", "subject_code", "请填写统一社会信用代码")
        return directory().organisation_key(code, field="subject_code")
    if kind == ApplicationKind.PERSON or (kind == ApplicationKind.AGENT and rid and not code):
        if not rid:
            raise _refuse("account.resident_id_required", "resident_id", "请填写公民身份号码")
        return directory().person_key(rid, field="resident_id", on_date=today)
    if code and rid:
        message = "统一社会信用代码和公民身份号码只填其一：被代理的是企业填前者，是个人填后者"
        raise _refuse("account.principal_ambiguous", "subject_code", message)
    message = "请填写被代理主体的统一社会信用代码或公民身份号码（二者填其一）"
    raise _refuse("account.principal_required", "subject_code", message)


def _documents(kind: str, documents: Iterable[tuple[str, object]]) -> list[tuple[str, Upload]]:
    """The documents this kind of application needs, each checked as an evidence file."""
    required, optional = DOCUMENTS[kind]
    given: dict[str, Upload] = {}
    errors: list[dict] = []
    for doc_kind, file in documents:
        label = DOCUMENT_LABELS.get(doc_kind, doc_kind)
        if doc_kind not in (*required, *optional) or doc_kind in given:
            code, message = (
                ("account.document_repeated", f"{label}只需上传一个文件")
                if doc_kind in given
                else ("account.document_unexpected", f"此类申请不需要{label}")
            )
            errors.append({"field": document_field(doc_kind), "code": code, "message": message})
            continue
        given[doc_kind] = upload = uploads_read([file])[0]
        try:
            evidence_check([upload])
        except DomainError as err:
            errors.extend({**e, "field": document_field(doc_kind)} for e in err.errors)
    for doc_kind in required:
        if doc_kind not in given:
            errors.append({"field": document_field(doc_kind), "code": "account.document_required",
                           "message": f"请上传{DOCUMENT_LABELS[doc_kind]}"})  # fmt: skip
    if errors:
        raise DomainError("account.documents_invalid", INVALID, errors=errors)
    return list(given.items())


def application_submit(
    *,
    kind: str,
    username: str,
    password: str,
    name: str,
    contact: str,
    documents: Iterable[tuple[str, object]],
    now: dt.datetime,
    subject_code: str = "",
    resident_id: str = "",
    scope: Iterable[str] = (),
    agency_valid_to: dt.date | None = None,
) -> AccountApplication:
    """Issue 14: apply for an enterprise's or a person's account, or as an agent. Every field is checked
    and every refusal reported at once (400, `errors` per field); nothing is written and no file is kept
    unless all pass. The new user can sign in, but acts for no subject until the credit office verifies the
    originals (`application_verify`). Audited `account.apply`."""
    if kind not in ApplicationKind.values:
        raise _refuse("account.kind_invalid", "kind", "请选择申请类型：法人账户、个人账户或代理人")
    today, errors = business_date(now), list[dict]()
    login = _collect(errors, lambda: _username(username))
    label = "企业名称" if kind == ApplicationKind.ENTERPRISE else "姓名"
    most = 200 if kind == ApplicationKind.ENTERPRISE else PERSON_NAME_MAX
    holder = _collect(errors, lambda: _text(name, "name", label, most))
    _collect(errors, lambda: _password(password, login or "", holder or ""))
    key = _collect(errors, lambda: _key(kind, subject_code, resident_id, today))
    reach = _collect(errors, lambda: _text(contact, "contact", "联系电话或电子邮箱", 100))
    scope_kept, valid_to = _agency_terms(kind, scope, agency_valid_to, today, errors)
    files = _collect(errors, lambda: _documents(kind, documents)) or []
    if errors:
        raise DomainError("account.application_invalid", INVALID, errors=errors)
    assert login and holder and key and reach
    _uploads_fit([upload for _, upload in files])
    stored: list[str] = []
    try:
        kept = []
        for doc_kind, upload in files:  # one by one: a failed write still leaves the earlier ones to remove
            stored_name, content_type = document_write(upload)
            stored.append(stored_name)
            kept.append((doc_kind, upload, stored_name, content_type))
        with transaction.atomic():
            user = User.objects.create_user(username=login, password=password, full_name=holder[:50])
            application = AccountApplication.objects.create(
                kind=kind, user=user, name=holder, contact=reach, scope=scope_kept, agency_valid_to=valid_to,
                subject_code=key.value if key.kind == "uscc" else "",
                person_hash=key.value if key.kind == "ric" else "",
                person_masked=key.display if key.kind == "ric" else "",
                query_code=query_code_new("account"), submitted_at=now,
            )  # fmt: skip
            for doc_kind, upload, stored_name, content_type in kept:
                AccountDocument.objects.create(
                    application=application, kind=doc_kind, original_name=upload.name[:200],
                    stored_name=stored_name, content_type=content_type, size=len(upload.data),
                    sha256=hashlib.sha256(upload.data).hexdigest(),
                )  # fmt: skip
            audit_append(
                actor=Actor(label=f"user:{user.pk}", user_id=user.pk), action="account.apply",
                target_type="account_application", target_id=application.pk, now=now,
                payload={"kind": kind, "user": user.pk, "subject": key.display,
                         "documents": [doc_kind for doc_kind, *_ in kept]},
            )  # fmt: skip
    except IntegrityError:
        documents_remove(stored)
        if User.objects.filter(username__iexact=login).exists():  # taken since it was checked above
            raise _refuse(
                "account.username_taken", "username", f"用户名 {login} 已被使用，请换一个"
            ) from None
        raise
    except BaseException:
        documents_remove(stored)
        raise
    return application


def _agency_terms(kind, scope, valid_to, today, errors) -> tuple[list[str], dt.date | None]:
    """An agent's scope and last day (checked as the grant will check them); nothing for other kinds."""
    if kind != ApplicationKind.AGENT:
        if list(scope or []) or valid_to is not None:
            errors.append({"field": "scope", "code": "account.agency_terms_unexpected",
                           "message": "只有代理人申请填写委托事项和委托截止日期"})  # fmt: skip
        return [], None
    kept = _collect(errors, lambda: agencies.scope_check(scope)) or []
    if valid_to is not None and valid_to <= today:
        message = f"委托截止日期须晚于今天（{today}）"
        errors.append({"field": "agency_valid_to", "code": "agency.end_past", "message": message})
        return kept, None
    return kept, _collect(errors, lambda: agencies.window_check(today, valid_to))


def _uploads_fit(uploads: list[Upload]) -> None:
    """The anonymous filer's per-request caps (count, total bytes), reported on the documents."""
    try:
        anonymous_uploads_check(uploads)
    except DomainError as err:
        error = {"field": "documents", "code": err.code, "message": err.message}
        raise DomainError(err.code, err.message, err.status, [error]) from None


# ── decisions (the credit office) ────────────────────────────────────────────────────────────────────────


def _pending(application_id: int) -> AccountApplication:
    """The application, locked; refused (409) once decided: an application is decided once."""
    found = (
        AccountApplication.objects.select_for_update()
        .select_related("user")
        .filter(pk=application_id)
        .first()
    )
    if found is None:
        raise NotFound("account.application_not_found", f"实名注册申请 {application_id} 不存在")
    if found.status != ApplicationStatus.PENDING:
        when = business_date(found.decided_at) if found.decided_at else ""
        message = f"该申请已有结果（{found.get_status_display()}，{when}），不能再次处理"
        raise Conflict("account.application_decided", message, state=found.status)
    return found


def _decide(actor: Actor, app: AccountApplication, status: str, now: dt.datetime, text: str, action: str):
    app.status, app.decided_by, app.decided_at, app.reason = status, actor.label, now, text[:500]
    app.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    audit_append(
        actor=actor, action=action, target_type="account_application", target_id=app.pk, now=now,
        reason=text, payload={"kind": app.kind, "user": app.user_id},
    )  # fmt: skip


def application_key(application: AccountApplication) -> SubjectKey:
    if application.subject_code:
        return SubjectKey("uscc", application.subject_code, application.subject_code)
    return SubjectKey("ric", application.person_hash, application.person_masked)


def application_verify(
    *, actor: Actor, application_id: int, now: dt.datetime, note: str = ""
) -> AccountApplication:
    """The credit office has seen the originals (线下窗口核验): an enterprise's or a person's user becomes the
    subject's account (`method=counter`); an agent's power of attorney is recorded from today through the
    date applied for (`agencies.agency_grant`). The subject must be in the registry. Audited
    `account.verify` (and `account.link_subject` or `agency.grant`)."""
    actor.require(*OFFICE)
    with transaction.atomic():
        app = _pending(application_id)
        key = application_key(app)
        found = directory().subject_find(key)
        if found is None:
            message = f"信用主体库中没有 {key.display} 对应的主体：请先登记该主体，再核验此申请"
            raise Conflict("account.subject_not_registered", message)
        if app.kind == ApplicationKind.AGENT:
            agencies.agency_grant(
                actor=actor, agent=app.user, subject_id=found.id, scope=app.scope,
                valid_from=business_date(now), valid_to=app.agency_valid_to, now=now, application=app,
            )  # fmt: skip
        else:
            subject_account_link(actor=actor, user=app.user, subject_id=found.id, now=now)
        _decide(actor, app, ApplicationStatus.VERIFIED, now, (note or "").strip(), "account.verify")
    return app


def application_reject(
    *, actor: Actor, application_id: int, now: dt.datetime, reason: str
) -> AccountApplication:
    """The documents do not prove who the applicant is (或材料不全): refused with a reason the applicant reads
    at /progress/. Audited `account.reject`."""
    actor.require(*OFFICE)
    text = required_text(
        reason, code="account.reason_required", field="reason", message="请填写不予通过的理由"
    )
    with transaction.atomic():
        app = _pending(application_id)
        _decide(actor, app, ApplicationStatus.REJECTED, now, text, "account.reject")
    return app
