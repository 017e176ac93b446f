"""Helpers shared by the subject services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TypeVar

from xinyong.accounts.roles import REGISTRARS
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError
from xinyong.subjects.identifiers import IdentifierError
from xinyong.subjects.models import IdentifierKind, Subject, SubjectIdentifier, SubjectStatus
from xinyong.subjects.selectors import CodeKey, identifier_error

T = TypeVar("T")

#: Who may register subjects and change their identifiers or names.
KIND_LABELS = dict(IdentifierKind.choices)


def validated(validator: Callable[[str], T], raw: str, field: str) -> T:
    """Run an identifier validator; its failure becomes a 400 naming the rule and the field."""
    try:
        return validator(raw)
    except IdentifierError as err:
        raise identifier_error(err, field) from None


def ensure_free(identifiers: Iterable[CodeKey], *, owner: Subject | None = None) -> None:
    """Refuse (409 `subject.identifier_taken`) an identifier already held by another subject."""
    for ident in identifiers:
        held = SubjectIdentifier.objects.filter(kind=ident.kind, value=ident.value).first()
        if held is not None and (owner is None or held.subject_id != owner.pk):
            label = KIND_LABELS[ident.kind]
            raise Conflict(
                "subject.identifier_taken",
                f"{label} {ident.display} 已登记在其他信用主体名下",
                kind=ident.kind,
                value=ident.display,
            )


def identifiers_create(
    subject: Subject, identifiers: Iterable[CodeKey], now: dt.datetime
) -> list[SubjectIdentifier]:
    """Insert the identifier rows of a subject (the unique (kind, value) index is the final guard)."""
    return [
        SubjectIdentifier.objects.create(
            subject=subject, kind=i.kind, value=i.value, display=i.display, recorded_at=now
        )
        for i in identifiers
    ]


def require_active(subject: Subject) -> None:
    """A merged (duplicate) subject is history: it takes no new names or identifiers."""
    if subject.status != SubjectStatus.ACTIVE:
        raise DomainError("subject.merged", "该主体已合并至其他主体，不能再修改", status=409)


def require_registrar(actor: Actor) -> None:
    actor.require(*REGISTRARS)


def clean_name(name: str) -> str:
    """A subject's name: required, at most 200 characters, surrounding whitespace removed."""
    cleaned = (name or "").strip()
    if not cleaned:
        raise DomainError(
            "subject.name_required", "名称不能为空", errors=[{"field": "name", "code": "required"}]
        )
    if len(cleaned) > 200:
        raise DomainError("subject.name_too_long", "名称不能超过 200 个字符", errors=[{"field": "name"}])
    return cleaned
