"""Who is acting. Interfaces build an Actor and pass it to services; services never read the request."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    """`label` identifies the actor in the audit trail: "user:12", "token:ab12cd34", "system", "anonymous"."""

    label: str
    unit_code: str = ""
    roles: frozenset[str] = field(default_factory=frozenset)
    user_id: int | None = None
    token_id: int | None = None
    request_id: str = ""
    officer: str = ""  # the named officer using a unit token (four eyes between people, issue 12)
    # An agent (代理人, issue 14) acting for one subject under a live power of attorney: the subject's id, the
    # agency (授权委托) and what it covers (AgencyScope values). accounts/policy.py `agency_actor` decides
    # which operations the agent may do for the subject; the audit records the agency (audit_append).
    acting_for: int | None = None
    agency_id: int | None = None
    agency_scope: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def system(cls, request_id: str = "") -> Actor:
        return cls(label="system", roles=frozenset({"admin"}), request_id=request_id)

    @classmethod
    def anonymous(cls, request_id: str = "") -> Actor:
        return cls(label="anonymous", roles=frozenset({"public"}), request_id=request_id)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def require(self, *roles: str) -> None:
        """Refuse (403 problem) unless the actor holds one of `roles`."""
        if not self.has_role(*roles):
            from xinyong.core.errors import PermissionDenied

            raise PermissionDenied("auth.role_required", f"需要以下角色之一：{'、'.join(sorted(roles))}")

    @property
    def is_authenticated(self) -> bool:
        return self.label not in ("anonymous",)
