"""Domain errors. Services raise these; interfaces translate them (API: RFC 9457 problem details)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DomainError(Exception):
    """A refusal with a stable machine `code`, a human message (Chinese) and optional per-field errors."""

    code: str
    message: str
    status: int = 400
    errors: list[dict] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class NotFound(DomainError):
    def __init__(self, code: str, message: str, **extra):
        super().__init__(code=code, message=message, status=404, extra=extra)


class PermissionDenied(DomainError):
    def __init__(self, code: str = "auth.forbidden", message: str = "无权执行此操作"):
        super().__init__(code=code, message=message, status=403)


class Conflict(DomainError):
    def __init__(self, code: str, message: str, **extra):
        super().__init__(code=code, message=message, status=409, extra=extra)


def required_text(value: str | None, *, code: str, field: str, message: str) -> str:
    """A required free text (reason, remedy, findings …), stripped; blank is a 400 `code` naming the field."""
    text = (value or "").strip()
    if not text:
        raise DomainError(code, message, errors=[{"field": field, "code": "required", "message": message}])
    return text
