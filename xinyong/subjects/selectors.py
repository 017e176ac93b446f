"""Reads of credit subjects: lookup by any identifier (GB 32100, GB 11714, GS15, tax number, GB 11643)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from xinyong.core.errors import DomainError, NotFound
from xinyong.subjects import lookup_sql
from xinyong.subjects.identifiers import IdentifierError, identify, ric_mask
from xinyong.subjects.identity import person_hash
from xinyong.subjects.lookup_sql import SubjectDetails
from xinyong.subjects.models import (
    CodeCorrection,
    IdentifierKind,
    IdentifierStatus,
    Subject,
    SubjectIdentifier,
    SubjectName,
    SubjectStatus,
)

MAX_MERGE_HOPS = 10

# Kinds a value identified as X may be stored under: a USCC doubles as an 18-character tax number, and a
# 15-digit value that passes the registration-number check may still be a 15-digit tax number.
_CANDIDATES: dict[str, tuple[str, ...]] = {
    "uscc": ("uscc", "taxno"),
    "regno": ("regno", "taxno"),
    "org_code": ("org_code",),
    "taxno": ("taxno",),
    "ric": ("ric_hash",),
}


@dataclass(frozen=True)
class CodeKey:
    """A validated code as the identifier table keys it; a resident ID is already hashed and masked."""

    kind: str
    value: str
    display: str
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class SubjectLookup:
    """The subject a code leads to; `redirected_from` is set when a corrected or merged code was used."""

    subject: Subject
    matched_kind: str
    redirected_from: str | None = None
    redirect_to_code: str | None = None


def identifier_error(err: IdentifierError, field: str) -> DomainError:
    """An identifier rule failure as a 400 problem whose `code` names the failed rule."""
    return DomainError(
        code=err.code,
        message=err.message,
        errors=[{"field": field, "code": err.code, "message": err.message}],
        extra={"field": field},
    )


def identifier_key(kind: str, value: str) -> CodeKey:
    """The stored form of a validated identifier (kind as `identify` names it).

    A resident ID is kept only as its keyed hash and masked form; so is a 20-character tax number,
    which is a resident ID followed by two digits.
    """
    candidates = _CANDIDATES[kind]
    if kind == "ric":
        return CodeKey("ric_hash", person_hash(value), ric_mask(value), candidates)
    if kind == "taxno" and len(value) == 20:
        return CodeKey("taxno", person_hash(value), ric_mask(value[:18]) + value[18:], candidates)
    return CodeKey(candidates[0], value, value, candidates)


def code_key(raw: str, *, field: str = "code") -> CodeKey:
    """Normalise and identify `raw` (any identifier kind) and return its stored form."""
    try:
        kind, value = identify(raw)
    except IdentifierError as err:
        raise identifier_error(err, field) from None
    return identifier_key(kind, value)


def identifier_find(*, key: CodeKey) -> SubjectIdentifier | None:
    """The identifier row for a code: one indexed query on (kind, value), preferring the identified kind.

    Raw SQL with `subject` and `redirect_to` loaded (subjects/lookup_sql.py, issue 18): the same rows the
    `select_related` queryset gave, without its per-request query building."""
    rows = lookup_sql.identifier_rows(key.candidates, key.value)
    rows.sort(key=lambda row: key.candidates.index(row.kind))
    return rows[0] if rows else None


def _follow_merges(subject: Subject) -> Subject:
    """A merged (duplicate) subject stands for the one it was merged into."""
    for _ in range(MAX_MERGE_HOPS):
        if subject.status != SubjectStatus.MERGED or subject.merged_into_id is None:
            return subject
        subject = Subject.objects.get(pk=subject.merged_into_id)
    raise DomainError("subject.merge_loop", "主体合并链过长或成环，请联系管理员", status=500)


def subject_lookup(*, raw: str, field: str = "code") -> SubjectLookup:
    """Find the subject for any identifier; corrected codes (重错码更正) and merged subjects redirect.

    An invalid code is a 400 naming the failed rule (`field` names the input in the error).
    """
    found = subject_lookup_key(code_key(raw, field=field))
    if found is None:
        raise NotFound("subject.not_found", "未找到该代码对应的信用主体")
    return found


def subject_lookup_key(key: CodeKey) -> SubjectLookup | None:
    """`subject_lookup` for a code already validated and keyed (a resident ID's keyed hash, for one: the
    account registrations keep no clear number); None when no subject has it."""
    row = identifier_find(key=key)
    if row is None:
        return None
    start = row.redirect_to if row.status == IdentifierStatus.CORRECTED else row.subject
    target = _follow_merges(start)
    if row.status != IdentifierStatus.CORRECTED and target.pk == row.subject_id:
        return SubjectLookup(subject=target, matched_kind=row.kind)
    return SubjectLookup(
        subject=target,
        matched_kind=row.kind,
        redirected_from=key.display,
        redirect_to_code=subject_primary_code(target),
    )


def subject_primary_code(subject: Subject, details: SubjectDetails | None = None) -> str:
    """The code a subject is shown under: USCC, else its registration number, else the masked resident ID.

    `details` (from `subject_details`) already hold the active registration numbers: no query then."""
    if subject.uscc:
        return subject.uscc
    if details is not None:
        regno = details.first_active_regno()
    else:
        regno = (
            subject.identifiers.filter(kind=IdentifierKind.REGNO, status=IdentifierStatus.ACTIVE)
            .values_list("value", flat=True)
            .first()
        )
    return regno or subject.person_masked


def subject_primary_codes(*, subjects: Iterable[Subject]) -> dict[int, str]:
    """Subject id → `subject_primary_code` for many subjects (a list page): one query for the registration
    numbers of those without a USCC, none when all have one."""
    subjects = list(subjects)
    lacking = [s.pk for s in subjects if not s.uscc]
    regnos: dict[int, str] = {}
    if lacking:
        rows = SubjectIdentifier.objects.filter(
            subject_id__in=lacking, kind=IdentifierKind.REGNO, status=IdentifierStatus.ACTIVE
        )
        for subject_id, value in rows.order_by("subject_id", "-pk").values_list("subject_id", "value"):
            regnos[subject_id] = value  # the first of each subject's, as `.first()` picks it, wins last
    return {s.pk: s.uscc or regnos.get(s.pk) or s.person_masked for s in subjects}


def subject_details(*, subject: Subject) -> SubjectDetails:
    """Active aliases (as `subject_aliases`), corrected codes (as `subject_corrected_codes`) and name history
    (as `subject_names`) in one raw statement: the by-code lookup's answer (issue 18)."""
    return lookup_sql.subject_details(subject.pk)


def subject_names(*, subject: Subject) -> QuerySet[SubjectName]:
    """Name history, oldest first."""
    return SubjectName.objects.filter(subject=subject).order_by("valid_from", "id")


def subject_aliases(*, subject: Subject) -> QuerySet[SubjectIdentifier]:
    """Active identifiers other than the key itself: derived organisation code and legacy aliases."""
    return (
        SubjectIdentifier.objects.filter(subject=subject, status=IdentifierStatus.ACTIVE)
        .exclude(kind__in=[IdentifierKind.USCC, IdentifierKind.RIC_HASH])
        .order_by("kind", "value")
    )


def subject_corrected_codes(*, subject: Subject) -> list[str]:
    """Codes corrected to this subject (重错码更正), shown as they may be displayed (masked for persons)."""
    rows = SubjectIdentifier.objects.filter(redirect_to=subject, status=IdentifierStatus.CORRECTED)
    return sorted(rows.values_list("display", flat=True))


def code_correction_get(*, correction_id: int) -> CodeCorrection:
    """One correction ticket, or 404 `correction.not_found`."""
    correction = CodeCorrection.objects.select_related("from_subject", "to_subject").filter(pk=correction_id)
    found = correction.first()
    if found is None:
        raise NotFound("correction.not_found", f"更正单 {correction_id} 不存在")
    return found


def subject_find(*, subject_id: int) -> Subject | None:
    """The subject with that id, None when there is none."""
    return Subject.objects.filter(pk=subject_id).first()


def subject_exists(*, subject_id: int) -> bool:
    return Subject.objects.filter(pk=subject_id).exists()


def subject_active_named(*, name: str) -> Subject | None:
    """The one active subject with exactly this name; None when no or several active subjects have it."""
    matches = list(Subject.objects.filter(name=name, status=SubjectStatus.ACTIVE)[:2])
    return matches[0] if len(matches) == 1 else None


def identifier_value_exists(*, value: str) -> bool:
    """Whether an identifier of any kind and status has this stored value."""
    return SubjectIdentifier.objects.filter(value=value).exists()
