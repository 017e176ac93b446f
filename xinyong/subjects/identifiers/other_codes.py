"""GS15 business registration numbers and tax registration numbers (pure Python, no Django).

工商注册号 (15-digit business registration number), GS15-2006: the 15th digit is an
ISO 7064 MOD 11,10 (hybrid) check digit.

税务登记号 (tax registration number): see :func:`taxno_validate` for the three accepted forms.

Error-detection guarantees (proved here, verified by the tests)
===============================================================
*Single substitution* = one character replaced by another character of the same alphabet;
*adjacent transposition* = two neighbouring, different characters swapped.

Registration number (ISO 7064 MOD 11,10) — every single substitution is detected (each step
``r ↦ 2·((r+a) mod 10 or 10) mod 11`` is a bijection of the running state r ∈ 1…10, for fixed
r a bijection of the digit, and the final test ``(r + check) mod 10 = 1`` is a bijection too), but
**not every adjacent transposition**. With incoming state r (``p_{j-1} mod 11``; 10 at the start),
swapping the digits d and d+1 (mod 10) at positions j, j+1 is undetectable iff
``(r + d) mod 10 = 5``: then the order (d, d+1) passes through state 10 and the order (d+1, d)
through state 1, and both lead to the same next state (or both satisfy the final test). This is 20
of the 900 (state, ordered different digit pair) combinations (about 2.2 %) and includes the swap
of the 14th digit with the check digit (state 5 before position 14, last two digits ``01`` ↔ ``10``).
Examples: ``110108000000678`` and ``110108000000768`` are both valid, and so are
``110108000000901`` and ``110108000000910``. The standard cannot detect these; callers that need
certainty must compare against the register.
"""

from __future__ import annotations

from collections.abc import Callable

from xinyong.subjects.identifiers.common import (
    _DIGITS,
    IdentifierError,
    _check_alphabet,
    _check_digits,
    _check_equal,
    normalize,
)
from xinyong.subjects.identifiers.resident_id import RIC_PROVINCE_CODES, ric_validate
from xinyong.subjects.identifiers.uscc import org_code_validate, uscc_validate

# --------------------------------------------------------------------------- GS15 registration number


def _mod11_10(digits: str) -> str:
    """ISO 7064 MOD 11,10 check digit of a string of ASCII digits."""
    state = 10
    for ch in digits:
        state = (((state + int(ch)) % 10) or 10) * 2 % 11
    return str((1 - state) % 10)


def regno_check_digit(first14: str) -> str:
    """Return the ISO 7064 MOD 11,10 check digit (GS15-2006) for the first 14 digits."""
    head = normalize(first14)
    _check_digits(head, 14, "regno", "注册号前 14 位")
    return _mod11_10(head)


def regno_make(first14: str) -> str:
    """Append the ISO 7064 MOD 11,10 check digit to 14 digits, giving a valid registration number."""
    return normalize(first14) + regno_check_digit(first14)


def regno_validate(raw: str) -> str:
    """Validate a 15-digit business registration number (GS15-2006, ISO 7064 MOD 11,10)."""
    number = normalize(raw)
    _check_digits(number, 15, "regno", "注册号")
    _check_equal(_mod11_10(number[:14]), number[14], "regno.check_digit", "注册号校验位错误")
    return number


# --------------------------------------------------------------------------- tax registration number


def _taxno_15(code: str) -> None:
    """6-digit region (known GB/T 2260 province) followed by a valid GB 11714 organisation code."""
    _check_alphabet(code[:6], _DIGITS, "taxno.format", "税务登记号", "前 6 位行政区划代码只能是数字")
    if code[:2] not in RIC_PROVINCE_CODES:
        raise IdentifierError("taxno.format", f"税务登记号第 1–2 位省级行政区划代码“{code[:2]}”无效")
    org_code_validate(code[6:])


def _taxno_20(code: str) -> None:
    """A valid 18-character resident ID followed by two digits."""
    ric_validate(code[:18])
    _check_alphabet(code[18:], _DIGITS, "taxno.format", "税务登记号", "第 19–20 位只能是数字", 19)


_TAXNO_FORMS: dict[int, Callable[[str], object]] = {15: _taxno_15, 18: uscc_validate, 20: _taxno_20}


def taxno_validate(raw: str) -> str:
    """Validate a tax registration number (税务登记号) and return it normalised.

    Accepted forms, chosen by length after normalisation:

    * 15 characters: 6-digit administrative region (province prefix checked against GB/T 2260)
      + 9-character GB 11714 organisation code with a correct check character;
    * 18 characters: a valid GB 32100 unified social credit code;
    * 20 characters: a valid GB 11643 resident ID (no age check) + 2 digits.

    Every failure is reported as ``taxno.format``; the message includes the underlying rule.
    """
    code = normalize(raw)
    form = _TAXNO_FORMS.get(len(code))
    if form is None:
        raise IdentifierError(
            "taxno.format", f"税务登记号长度错误：应为 15、18 或 20 位，实为 {len(code)} 位"
        )
    try:
        form(code)
    except IdentifierError as err:
        if err.code == "taxno.format":
            raise
        raise IdentifierError("taxno.format", f"税务登记号格式错误：{err.message}") from err
    return code
