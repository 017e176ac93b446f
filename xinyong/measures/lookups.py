"""The identifiers of a check (应查必查): each validated on its own, then the subjects they lead to, found in
a handful of indexed queries per batch by the subjects app (subjects.batch), never one per subject. What the
check says about each subject found (its current entries, its shown negative records) is the subject's
standing (standing.selectors.check_standing), not a query of this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xinyong.core.roundtrips import Read, Subquery
from xinyong.subjects.batch import SubjectRow, live_ids_for_keys, subjects_for_keys, subjects_for_keys_read
from xinyong.subjects.identifiers import IdentifierError, identify, normalize
from xinyong.subjects.selectors import CodeKey, identifier_key


@dataclass(frozen=True)
class Parsed:
    """One identifier of a request: its stored form (masked for persons), its key or the rule it broke."""

    position: int
    stored: str
    key: CodeKey | None
    error_code: str = ""
    error_message: str = ""


def parse_identifiers(raw: Sequence[str]) -> list[Parsed]:
    """Validate each identifier on its own: a bad one is reported, not a refusal of the batch."""
    out = []
    for position, value in enumerate(raw):
        try:
            kind, clean = identify(value)
        except IdentifierError as err:
            out.append(Parsed(position, _mask_invalid(value), None, err.code, err.message))
            continue
        key = identifier_key(kind, clean)
        out.append(Parsed(position, key.display, key))
    return out


def _mask_invalid(value: str) -> str:
    """An invalid identifier as stored: a mistyped resident ID must not be kept in clear."""
    clean = normalize(value)[:64] if isinstance(value, str) else ""
    digits = sum(ch.isdigit() for ch in clean)
    if len(clean) >= 15 and digits >= len(clean) - 1:
        return clean[:6] + "*" * (len(clean) - 10) + clean[-4:]
    return clean


def subjects_for(parsed: list[Parsed]) -> dict[CodeKey, SubjectRow]:
    """Key → live subject for the valid identifiers (corrected codes and merged duplicates followed)."""
    return subjects_for_keys(p.key for p in parsed if p.key is not None)


def subjects_for_read(parsed: list[Parsed]) -> Read[dict[CodeKey, SubjectRow]]:
    """`subjects_for` as a read to run with others (core.roundtrips; with the check's unit, issue 18)."""
    return subjects_for_keys_read(p.key for p in parsed if p.key is not None)


def live_ids_for(parsed: list[Parsed]) -> Subquery | None:
    """The ids of the subjects the valid identifiers lead to, selected inside the statements that use them
    (the standing's, sent with the subjects' lookup on PostgreSQL: ADR 0045); None when none is valid."""
    return live_ids_for_keys(p.key for p in parsed if p.key is not None)
