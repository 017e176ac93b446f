"""Authentication for every router, and the units endpoints."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.errors import AuthenticationError

from xinyong.accounts import policy, selectors
from xinyong.accounts.actors import request_actor
from xinyong.accounts.models import ApiToken, UnitType
from xinyong.accounts.schemas import UnitListOut, WhoAmIOut
from xinyong.accounts.services import api_token_authenticate
from xinyong.core.errors import PermissionDenied
from xinyong.core.timeutil import now, rfc3339

router = Router(tags=["units"])


def _bearer(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise AuthenticationError()
    return secret.strip()


class TokenAuth:
    """Bearer token required. Revoked or expired tokens are refused on the very next request."""

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> ApiToken:
        checked = getattr(request, "api_token", None)  # accounts.middleware checked it for this request
        if checked is not None:
            return checked
        secret = _bearer(request)
        token = api_token_authenticate(secret=secret, now=now()) if secret else None
        if token is None:
            raise AuthenticationError()
        return token


class OptionalTokenAuth(TokenAuth):
    """Anonymous callers pass as the public; a presented token must still be valid."""

    def __call__(self, request: HttpRequest) -> ApiToken | str:
        if not request.headers.get("Authorization"):
            return "anonymous"
        return super().__call__(request)


def policy_install(api) -> None:
    """Put the policy gate (accounts/policy.py, issue 12) in front of every operation of `api`: after
    authentication, before the input is read. An operation without a policy entry is refused to everyone
    (fail closed) and tests/test_authz.py names it. Call it after the last router is added: it binds them."""
    operations = [
        op
        for router in api._get_bound_routers()  # the operations that serve (ninja clones the routers)
        for view in router.path_operations.values()
        for op in view.operations
    ]
    for op in operations:
        if not getattr(op, "_policy_gate", False):
            op._run_checks = _gated(op, op._run_checks)
            op._policy_gate = True


def _gated(op, run_checks):
    def checks(request: HttpRequest):
        error = run_checks(request)
        if error is not None:
            return error
        try:
            policy.require_operation(op.operation_id, request_actor(request))
        except PermissionDenied as exc:
            return op.api.on_exception(request, exc)
        return None

    return checks


@router.get(
    "/me", response=WhoAmIOut, auth=TokenAuth(), operation_id="units_me", summary="当前令牌所属单位与角色"
)
def units_me(request):
    """The caller's unit and roles; a person's token (issue 14) answers the person's current unit and roles,
    and `user` its username."""
    token: ApiToken = request.auth
    actor = request_actor(request)
    unit = (
        token.unit if token.unit_id else (token.user.unit if token.user_id and token.user.unit_id else None)
    )
    return {
        "unit_code": unit.code if unit else "",
        "unit_name": unit.name if unit else "",
        "role": token.role if token.user_id is None else policy.actor_role(actor),
        "roles": sorted(actor.roles),
        "user": token.user.username if token.user_id else "",
        "token_prefix": token.prefix,
        "expires_at": rfc3339(token.expires_at),
    }


@router.get("", response=UnitListOut, operation_id="units_list", summary="单位名录")
def units_list(request, type: str | None = None, role: str | None = None):
    units = list(selectors.unit_list(type=type, role=role))
    labels = dict(UnitType.choices)
    return {
        "count": len(units),
        "units": [
            {
                "code": u.code,
                "name": u.name,
                "full_name": u.full_name,
                "type": u.type,
                "type_label": labels.get(u.type, u.type),
                "uscc": u.uscc,
                "roles": u.roles,
                "aliases": sorted(n.name for n in u.names.all() if n.name != u.name),
            }
            for u in units
        ],
        "groups": [
            {
                "code": g.code,
                "name": g.name,
                "open_membership": g.open_membership,
                "members": [m.code for m in g.members.all()],
            }
            for g in selectors.unit_group_list()
        ],
    }
