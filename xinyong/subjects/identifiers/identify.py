"""`identify`: which kind of identifier a string is, by its length and shape (pure Python, no Django)."""

from __future__ import annotations

from collections.abc import Callable

from xinyong.subjects.identifiers.common import _DIGITS, IdentifierError, normalize
from xinyong.subjects.identifiers.other_codes import regno_validate, taxno_validate
from xinyong.subjects.identifiers.resident_id import _parse_yyyymmdd, ric_validate
from xinyong.subjects.identifiers.uscc import org_code_validate, uscc_validate


def _looks_like_ric(value: str) -> bool:
    """17 ASCII digits, then a digit or ``X``, with a plausible date (1800–2099) at positions 7–14."""
    if any(ch not in _DIGITS for ch in value[:17]) or value[17] not in _DIGITS + "X":
        return False
    birth = _parse_yyyymmdd(value[6:14])
    return birth is not None and 1800 <= birth.year <= 2099


def _identify_18(value: str) -> tuple[str, str]:
    """Resident ID if it looks like one (falling back to USCC if only that is valid), else USCC."""
    if not _looks_like_ric(value):
        return "uscc", uscc_validate(value)
    try:
        return "ric", ric_validate(value).number
    except IdentifierError as ric_error:
        try:
            return "uscc", uscc_validate(value)
        except IdentifierError:
            raise ric_error from None


def _identify_15(value: str) -> tuple[str, str]:
    """15 digits: registration number, else tax number, else the registration-number error."""
    if any(ch not in _DIGITS for ch in value):
        return "taxno", taxno_validate(value)
    try:
        return "regno", regno_validate(value)
    except IdentifierError as regno_error:
        try:
            return "taxno", taxno_validate(value)
        except IdentifierError:
            raise regno_error from None


_IDENTIFY_BY_LENGTH: dict[int, Callable[[str], tuple[str, str]]] = {
    9: lambda value: ("org_code", org_code_validate(value)),
    15: _identify_15,
    18: _identify_18,
    20: lambda value: ("taxno", taxno_validate(value)),
}


def identify(raw: str) -> tuple[str, str]:
    """Normalise ``raw`` and return ``(kind, value)``; kind is uscc, ric, regno, org_code or taxno.

    Heuristics, by length after :func:`normalize`:

    * 18: if positions 1–17 are digits, position 18 is a digit or ``X`` and positions 7–14 form a
      real date with a year in 1800–2099, it is treated as a resident ID (GB 11643, no age check);
      should that fail but the value be a valid USCC, it is a USCC, otherwise the resident-ID error
      is raised. Everything else of length 18 is validated as a USCC (so the placeholder raises
      ``uscc.placeholder``). An 18-character tax number is a USCC and is reported as ``uscc``.
    * 15: all digits → registration number; if that fails, a 15-character tax number; if both fail,
      the registration-number error. Not all digits → tax number (its error).
    * 9: organisation code (the ``XXXXXXXX-X`` form is 9 characters once the dash is removed).
    * 20: tax number.
    * anything else: ``identifier.length``.
    """
    value = normalize(raw)
    handler = _IDENTIFY_BY_LENGTH.get(len(value))
    if handler is None:
        raise IdentifierError(
            "identifier.length", f"无法识别的证件号码：长度为 {len(value)} 位，应为 9、15、18 或 20 位"
        )
    return handler(value)
