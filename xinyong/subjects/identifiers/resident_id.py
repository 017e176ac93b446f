"""GB 11643 resident identity numbers (pure Python, no Django).

公民身份号码 (resident identity number), GB 11643-1999: region (GB/T 2260), birth date, sequence
(odd = male) and an ISO 7064 MOD 11-2 check character.

Error-detection guarantees (proved here, verified by the tests)
===============================================================
*Single substitution* = one character replaced by another character of the same alphabet;
*adjacent transposition* = two neighbouring, different characters swapped.

Resident ID — every single substitution and adjacent transposition is detected by the check
character alone. Weights are ``w_i = 2**(18-i) mod 11`` (7, 9, 10, …, 4, 2 for i = 1…17, i.e.
``2**(17-i)`` with a 0-based i) and 1 for the check; valid iff ``Σ w_i·v_i ≡ 1 (mod 11)``.
Digits differ by at most 9 < 11 and 11 is prime, so substitutions are caught; adjacent weights
satisfy ``w_i = 2·w_{i+1}``, so ``w_i - w_{i+1} = w_{i+1} ≢ 0`` and body transpositions are caught;
at (17, 18) a digit check gives ``(2-1)·(d-e) ≢ 0`` and a check ``X`` would land on position 17,
which is a character error.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from xinyong.subjects.identifiers.common import (
    _DIGITS,
    IdentifierError,
    _check_alphabet,
    _check_digits,
    _check_equal,
    _check_length,
    normalize,
)

#: Province-level codes of GB/T 2260 (11–82) plus 83, the address code of the residence permits for
#: Taiwan residents (港澳台居民居住证 use 810000 / 820000 / 830000). The 2023 foreigners' permanent
#: residence card (first digit 9) is not a GB 11643 number and is not accepted.
RIC_PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83".split()
)
_RESIDENCE_PERMIT_REGIONS = frozenset({"810000", "820000", "830000"})
_RIC_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_EARLIEST_BIRTH = datetime.date(1900, 1, 1)
_ADULT_AGE = 18


# --------------------------------------------------------------------------- GB 11643 resident ID


@dataclass(frozen=True, repr=False)
class ResidentId:
    """A validated GB 11643 resident identity number; ``repr`` shows only the masked number."""

    number: str
    region_code: str
    birth_date: datetime.date
    sex: str  # "M" (odd sequence) or "F" (even sequence)

    @property
    def masked(self) -> str:
        """The number masked for display, see :func:`ric_mask`."""
        return ric_mask(self.number)

    def __repr__(self) -> str:
        return f"ResidentId(number={self.masked!r})"


def _ric_check(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of 17 ASCII digits."""
    total = sum(int(ch) * w for ch, w in zip(first17, _RIC_WEIGHTS, strict=True))
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def _check_ric_region(region: str) -> None:
    """GB/T 2260 region: known province prefix, county part not all zero (except residence permits)."""
    if region[:2] not in RIC_PROVINCE_CODES:
        raise IdentifierError("ric.region", f"公民身份号码第 1–2 位省级行政区划代码“{region[:2]}”无效")
    if region[2:] == "0000" and region not in _RESIDENCE_PERMIT_REGIONS:
        raise IdentifierError("ric.region", f"公民身份号码地址码“{region}”无效：第 3–6 位不能全为 0")


def _parse_yyyymmdd(text: str) -> datetime.date | None:
    """Parse 8 ASCII digits as a calendar date, or return None."""
    try:
        return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def _ric_birth_date(text: str, latest: datetime.date) -> datetime.date:
    """Parse positions 7–14 and check 1900-01-01 <= birth <= ``latest``."""
    birth = _parse_yyyymmdd(text)
    if birth is None:
        raise IdentifierError("ric.birth_date", f"公民身份号码第 7–14 位出生日期“{text}”不是有效日期")
    if birth < _EARLIEST_BIRTH:
        raise IdentifierError("ric.birth_date", f"公民身份号码出生日期 {birth} 早于 1900-01-01")
    if birth > latest:
        raise IdentifierError("ric.birth_date", f"公民身份号码出生日期 {birth} 晚于 {latest}")
    return birth


def _age(birth: datetime.date, on: datetime.date) -> int:
    """Completed years on ``on`` (a 29 February birthday counts as 1 March in common years)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _as_date(value: datetime.date | None) -> datetime.date | None:
    """Accept a ``datetime`` where a ``date`` is expected."""
    return value.date() if isinstance(value, datetime.datetime) else value


def ric_check_digit(first17: str) -> str:
    """Return the GB 11643 check character (ISO 7064 MOD 11-2, ``0``–``9`` or ``X``)."""
    head = normalize(first17)
    _check_digits(head, 17, "ric", "公民身份号码前 17 位")
    return _ric_check(head)


def ric_make(region6: str, birth: datetime.date, seq3: str) -> str:
    """Build a GB 11643 number with its check character; only the shape of the parts is checked."""
    _check_digits(region6, 6, "ric", "地址码")
    _check_digits(seq3, 3, "ric", "顺序码")
    first17 = f"{region6}{birth.year:04d}{birth.month:02d}{birth.day:02d}{seq3}"
    return first17 + _ric_check(first17)


def ric_mask(number: str) -> str:
    """Mask an 18-character resident ID for display: first 6, eight ``*``, last 4."""
    value = normalize(number)
    _check_length(value, 18, "ric.length", "公民身份号码")
    return value[:6] + "*" * 8 + value[-4:]


def ric_validate(raw: str, *, on_date: datetime.date | None = None) -> ResidentId:
    """Validate a GB 11643-1999 resident identity number.

    Checks, in order: length, character, region (GB/T 2260 province), birth date (real date,
    1900-01-01 … ``on_date`` or today), check character (ISO 7064 MOD 11-2) and — only when
    ``on_date`` is given — that the person is at least 18 on ``on_date`` (the birthday counts).
    """
    number = normalize(raw)
    on_date = _as_date(on_date)
    _check_length(number, 18, "ric.length", "公民身份号码")
    _check_alphabet(number[:17], _DIGITS, "ric.character", "公民身份号码", "前 17 位只能是数字")
    _check_alphabet(number[17], _DIGITS + "X", "ric.character", "公民身份号码", "校验码只能是数字或 X", 18)
    _check_ric_region(number[:6])
    birth = _ric_birth_date(number[6:14], on_date or datetime.date.today())
    _check_equal(_ric_check(number[:17]), number[17], "ric.check_digit", "公民身份号码校验码错误")
    if on_date is not None and _age(birth, on_date) < _ADULT_AGE:
        raise IdentifierError(
            "ric.minor", f"公民身份号码持有人于 {on_date} 未满 18 周岁：未成年人不在本平台处理范围内"
        )
    return ResidentId(number, number[:6], birth, "M" if int(number[16]) % 2 else "F")
