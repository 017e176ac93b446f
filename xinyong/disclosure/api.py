"""What a subject may learn about the reads of its data over HTTP: its query log and its consents (issue 4),
and the subject profile itself (信用档案)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from xinyong.accounts.access import subject_id_of
from xinyong.accounts.actors import request_actor
from xinyong.accounts.api import OptionalTokenAuth, TokenAuth
from xinyong.accounts.selectors import unit_get
from xinyong.core.api import MAX_PAGE_SIZE
from xinyong.core.errors import DomainError
from xinyong.core.pagination import cursor_int, keyset_page, page_limit, sequence_page
from xinyong.core.timeutil import now, rfc3339
from xinyong.disclosure.consents import consent_grant, consent_list, consent_revoke
from xinyong.disclosure.profile import subject_profile
from xinyong.disclosure.querylog import query_log_for_subject
from xinyong.disclosure.schemas import ConsentIn, ConsentOut, ConsentPageOut, ProfileOut, QueryLogOut
from xinyong.subjects.selectors import subject_lookup

me_router = Router(tags=["me"])


def _own_subject_id(request: HttpRequest) -> int:
    subject_id = subject_id_of(actor=request_actor(request))
    if subject_id is None:
        raise DomainError("me.not_a_subject", "仅限已实名核验的信用主体账户使用", status=403)
    return subject_id


@me_router.get(
    "/query-log",
    response=QueryLogOut,
    auth=TokenAuth(),
    operation_id="me_query_log",
    summary="谁查询过我的非公开信息",
)
def me_query_log(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_PAGE_SIZE, description="每页条数"),
    cursor: str | None = Query(None, description="上一页返回的 next_cursor"),
):
    before = cursor_int(cursor, "s") if cursor else None
    subject_id, size = _own_subject_id(request), page_limit(limit) + 1
    rows = query_log_for_subject(subject_id=subject_id, limit=size, before=before)
    return keyset_page(request, rows, limit=limit, cursor_of=lambda row: {"s": row["seq"]}, shape=dict)


@me_router.post(
    "/consents",
    response={201: ConsentOut},
    auth=TokenAuth(),
    operation_id="me_consents_grant",
    summary="授权某单位在有效期内查询我的非公开信息",
)
def me_consents_grant(request: HttpRequest, body: ConsentIn):
    consent = consent_grant(
        actor=request_actor(request),
        subject_id=_own_subject_id(request),
        grantee=unit_get(name_or_code=body.grantee),
        purpose=body.purpose,
        valid_until=body.valid_until,
        now=now(),
    )
    return Status(201, _consent_out(consent))


@me_router.get(
    "/consents",
    response=ConsentPageOut,
    auth=TokenAuth(),
    operation_id="me_consents_list",
    summary="我的授权",
)
def me_consents_list(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_PAGE_SIZE, description="每页条数"),
    cursor: str | None = Query(None, description="上一页返回的 next_cursor"),
):
    consents = consent_list(subject_id=_own_subject_id(request))
    return sequence_page(request, consents, limit=limit, cursor=cursor, shape=_consent_out)


@me_router.delete(
    "/consents/{consent_id}",
    response=ConsentOut,
    auth=TokenAuth(),
    operation_id="me_consents_revoke",
    summary="撤回授权",
)
def me_consents_revoke(request: HttpRequest, consent_id: int):
    return _consent_out(consent_revoke(actor=request_actor(request), consent_id=consent_id, now=now()))


def _consent_out(consent) -> dict:
    return {
        "id": consent.pk,
        "grantee": consent.grantee.code,
        "grantee_name": consent.grantee.name,
        "purpose": consent.purpose,
        "valid_until": consent.valid_until,
        "granted_at": rfc3339(consent.granted_at),
        "revoked_at": rfc3339(consent.revoked_at) if consent.revoked_at else None,
    }


# ── the subject profile (信用档案, issue 4) ──────────────────────────────────────────────────────────

profile_router = Router(tags=["profile"])


@profile_router.get(
    "/{code}/profile",
    response=ProfileOut,
    auth=OptionalTokenAuth(),
    exclude_unset=True,  # severity_source only where the viewer may see it (profile.py)
    operation_id="subjects_profile",
    summary="信用主体档案：按查询者身份与公开层级返回",
)
def subjects_profile(request: HttpRequest, code: str, purpose: str = "", case_number: str = ""):
    """Public callers get the public tier; officers add the government tier with a purpose; a person's data
    needs the person, its consent or a case number. Non-public reads are logged (the subject can see them)."""
    return _profile(request, code, purpose, case_number)


class ProfileLookupIn(Schema):
    code: str = Field(
        ...,
        max_length=40,
        description="统一社会信用代码、注册号或公民身份号码",
        examples=["91110108000123457G"],
    )
    purpose: str = Field("", max_length=200, description="查询用途（政府部门查询非公开信息时必填）")
    case_number: str = Field("", max_length=100, description="案件编号（查询个人非公开信息时）")


@profile_router.post(
    "/profile",
    response=ProfileOut,
    auth=OptionalTokenAuth(),
    exclude_unset=True,
    operation_id="subjects_profile_lookup",
    summary="信用主体档案（按请求体中的代码查询：个人证件号码不出现在网址和访问日志中）",
)
def subjects_profile_lookup(request: HttpRequest, body: ProfileLookupIn):
    """The same profile as GET /subjects/{code}/profile, the code in the body (issue 12: a URL with a
    person's full ID reaches access logs and proxies; this one carries none)."""
    return _profile(request, body.code, body.purpose, body.case_number)


def _profile(request: HttpRequest, code: str, purpose: str, case_number: str) -> dict:
    found = subject_lookup(raw=code)
    if found.redirect_to_code:
        raise DomainError(
            "subject.code_corrected",
            f"该代码已更正为 {found.redirect_to_code}",
            status=409,
            extra={"new_code": found.redirect_to_code},
        )
    return subject_profile(
        actor=request_actor(request),
        subject=found.subject,
        now=now(),
        purpose=purpose,
        case_number=case_number,
    )
