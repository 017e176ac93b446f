"""API of the standing app: the subject profile (信用档案) at /api/v1/subjects/{code}/profile."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from xinyong.accounts.api import OptionalTokenAuth, request_actor
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import now
from xinyong.standing.profile import subject_profile
from xinyong.standing.schemas import ProfileOut
from xinyong.subjects.selectors import subject_lookup

profile_router = Router(tags=["profile"])


@profile_router.get(
    "/{code}/profile",
    response=ProfileOut,
    auth=OptionalTokenAuth(),
    operation_id="subjects_profile",
    summary="信用主体档案：按查询者身份与公开层级返回",
)
def subjects_profile(request: HttpRequest, code: str, purpose: str = "", case_number: str = ""):
    """Public callers get the public tier; officers add the government tier with a purpose; a person's data
    needs the person, its consent or a case number. Non-public reads are logged (the subject can see them)."""
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
