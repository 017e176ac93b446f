"""Validation of the identifiers that name a credit subject (pure Python, no Django).

Standards implemented
=====================
* 统一社会信用代码 (unified social credit code, USCC), GB 32100-2015: 18 characters from the
  31-character alphabet ``0123456789ABCDEFGHJKLMNPQRTUWXY``; position 1 is the registration
  authority, 2 the entity type, 3–8 the region, 9–17 the embedded organisation code and 18 the
  check character (mod 31, weights ``3**(i-1) mod 31``). Positions 1 and 2 are checked against
  the code tables of GB 32100-2015 appendix A (:data:`USCC_ENTITY_TYPES`, with ``A`` 中央军委改革和
  编制办公室 and ``N`` 农业 as published in its later assignments): a wrong one is refused.
  Positions 3–8 (登记管理机关行政区划码, GB/T 2260) are compared with python-stdnum's table of
  Chinese administrative divisions (``stdnum/cn/loc.dat``, historical codes included) plus
  ``100000`` for central registrations: an unknown region is *not* refused — codes issued under
  divisions since merged or renamed stay valid for life, and no table is complete — but reported
  by :func:`uscc_region_warning` (``uscc.region_unknown``) for the import to pass on.
* 组织机构代码 (organisation code), GB 11714-1997: 8 body characters (digits or upper-case letters,
  valued A=10 … Z=35) and a mod-11 check character (weights 3,7,9,10,5,8,4,2; 10 → ``X``, 11 → ``0``).
* 工商注册号 (15-digit business registration number), GS15-2006: the 15th digit is an
  ISO 7064 MOD 11,10 (hybrid) check digit.
* 税务登记号 (tax registration number): see :func:`taxno_validate` for the three accepted forms.
* 公民身份号码 (resident identity number), GB 11643-1999: region (GB/T 2260), birth date, sequence
  (odd = male) and an ISO 7064 MOD 11-2 check character.

python-stdnum is deliberately not used for validation: ``stdnum.cn.uscc`` rejects valid codes that
start with ``A``, ``N`` or ``Y`` and does not check the embedded organisation code. Only its region
table is reused.

Normalisation
=============
Every validator first calls :func:`normalize`: full-width ASCII (U+FF01–U+FF5E) becomes half-width,
whitespace (including U+3000), zero-width characters (U+200B–U+200D, U+FEFF) and dashes
(``- ‐ ‑ ‒ – — ― − －``) are removed and ASCII letters are upper-cased. Non-ASCII letters are *not*
upper-cased (``"ß".upper()`` would be ``"SS"``) and are rejected later as invalid characters; only the
ASCII digits ``0``–``9`` count as digits (``str.isdigit`` would accept e.g. Arabic-Indic digits).

Errors
======
Every failure raises :class:`IdentifierError` (a ``ValueError``) with a stable machine ``code`` and a
Simplified Chinese ``message`` naming the rule that failed. Codes: ``uscc.placeholder``,
``uscc.length``, ``uscc.character``, ``uscc.registration_authority``, ``uscc.entity_type``,
``uscc.org_code_check``,
``uscc.check_character``; ``org_code.length``, ``org_code.character``, ``org_code.check_character``;
``regno.length``, ``regno.character``, ``regno.check_digit``; ``taxno.format``; ``ric.length``,
``ric.character``, ``ric.region``, ``ric.birth_date``, ``ric.check_digit``, ``ric.minor``;
``identifier.length``.

Error-detection guarantees (proved here, verified by the tests)
===============================================================
*Single substitution* = one character replaced by another character of the same alphabet;
*adjacent transposition* = two neighbouring, different characters swapped.

USCC — every single substitution and every adjacent transposition is detected by the position-18
check character alone. Write the weighted sum as ``Σ w_i·v_i`` over all 18 positions, with
``w_i = 3**(i-1) mod 31`` for i = 1…17 and ``w_18 = 1``; a code is valid iff the sum ≡ 0 (mod 31).
31 is prime and every ``w_i`` is non-zero, so a substitution changes the sum by
``w_i·(b-a) ≢ 0``. A transposition at (i, i+1) changes it by ``(w_i - w_{i+1})·(v_{i+1} - v_i)``;
for i ≤ 16, ``w_i - w_{i+1} = -2·3**(i-1) ≢ 0``; for (17, 18), ``w_17 = 3**16 ≡ 28`` and
``w_18 = 1`` differ by 27 ≢ 0. So swaps touching the embedded org-code check (positions 16/17)
or the USCC check (17/18) are caught as well; the embedded GB 11714 check adds nothing for these
error classes (it is checked first, so it may be the error that is *reported*).

The GB 11714 check on its own (a bare 9-character organisation code) is weaker, because it
reduces character values 0–35 modulo 11:

* substituting a body character by one congruent mod 11 is undetectable — ``0/B/M/X``,
  ``1/C/N/Y``, ``2/D/O/Z``, … (e.g. ``00000000-0`` and ``B0000000-0`` are both valid);
* swapping a last body character ``1`` with a check character ``X`` is undetectable:
  body value of ``X`` is 33 ≡ 0 and check value of ``X`` is 10, so ``S + 2·1 + 10 ≡ 0`` and
  ``S + 2·33 + 1 ≡ 0`` both hold iff ``S ≡ 10``; e.g. ``00000081-X`` and ``0000008X-1``.

Resident ID — every single substitution and adjacent transposition is detected by the check
character alone. Weights are ``w_i = 2**(18-i) mod 11`` (7, 9, 10, …, 4, 2 for i = 1…17, i.e.
``2**(17-i)`` with a 0-based i) and 1 for the check; valid iff ``Σ w_i·v_i ≡ 1 (mod 11)``.
Digits differ by at most 9 < 11 and 11 is prime, so substitutions are caught; adjacent weights
satisfy ``w_i = 2·w_{i+1}``, so ``w_i - w_{i+1} = w_{i+1} ≢ 0`` and body transpositions are caught;
at (17, 18) a digit check gives ``(2-1)·(d-e) ≢ 0`` and a check ``X`` would land on position 17,
which is a character error.

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

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

__all__ = [
    "IdentifierError",
    "ResidentId",
    "RIC_PROVINCE_CODES",
    "USCC_ALPHABET",
    "USCC_AUTHORITY_NAMES",
    "USCC_CENTRAL_REGION",
    "USCC_ENTITY_TYPES",
    "USCC_PLACEHOLDER",
    "USCC_REGISTRATION_AUTHORITIES",
    "identify",
    "is_uscc_placeholder",
    "normalize",
    "org_code_check_character",
    "org_code_validate",
    "regno_check_digit",
    "regno_make",
    "regno_validate",
    "ric_check_digit",
    "ric_make",
    "ric_mask",
    "ric_validate",
    "taxno_validate",
    "uscc_check_character",
    "uscc_make",
    "uscc_org_code",
    "uscc_region_known",
    "uscc_region_warning",
    "uscc_regions",
    "uscc_validate",
]

_DIGITS = "0123456789"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_REGISTRATION_AUTHORITIES = "123456789ANY"
#: GB 32100-2015 appendix A, table A.1: 登记管理部门代码 (position 1).
USCC_AUTHORITY_NAMES = {
    "1": "机构编制", "2": "外交", "3": "司法行政", "4": "文化", "5": "民政", "6": "旅游", "7": "宗教",
    "8": "工会", "9": "工商", "A": "中央军委改革和编制办公室", "N": "农业", "Y": "其他",
}  # fmt: skip
#: GB 32100-2015 appendix A, table A.1: 机构类别代码 (position 2) valid for each registration authority.
USCC_ENTITY_TYPES: dict[str, dict[str, str]] = {
    "1": {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    "2": {"1": "外国常驻新闻机构", "9": "其他"},
    "3": {"1": "律师执业机构", "2": "公证处", "3": "基层法律服务所", "4": "司法鉴定机构", "5": "仲裁委员会",
          "9": "其他"},
    "4": {"1": "外国在华文化中心", "9": "其他"},
    "5": {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"},
    "6": {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"},
    "7": {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"},
    "8": {"1": "基层工会", "9": "其他"},
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},
    "A": {"1": "军队事业单位", "9": "其他"},
    "N": {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
    "Y": {"1": "其他"},
}  # fmt: skip
#: Region code of registrations by central authorities (登记管理机关为中央级的，行政区划码为 100000).
USCC_CENTRAL_REGION = "100000"
USCC_PLACEHOLDER = "00000000000000000X"
_ORG_BODY_ALPHABET = _DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

#: Province-level codes of GB/T 2260 (11–82) plus 83, the address code of the residence permits for
#: Taiwan residents (港澳台居民居住证 use 810000 / 820000 / 830000). The 2023 foreigners' permanent
#: residence card (first digit 9) is not a GB 11643 number and is not accepted.
RIC_PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83".split()
)
_RESIDENCE_PERMIT_REGIONS = frozenset({"810000", "820000", "830000"})

_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d")
_INVISIBLE = frozenset("\u200b\u200c\u200d\ufeff")
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_RIC_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_EARLIEST_BIRTH = datetime.date(1900, 1, 1)
_ADULT_AGE = 18

_USCC_CHAR_RULE = "只能是数字或除 I、O、S、V、Z 以外的大写英文字母"


class IdentifierError(ValueError):
    """An identifier failed validation; ``code`` is stable, ``message`` is Simplified Chinese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[type[IdentifierError], tuple[str, str]]:
        return (type(self), (self.code, self.message))


# --------------------------------------------------------------------------- normalisation


def _half_width(ch: str) -> str:
    """Map a full-width ASCII character (U+FF01–U+FF5E) to its half-width form."""
    return chr(ord(ch) - 0xFEE0) if "\uff01" <= ch <= "\uff5e" else ch


def normalize(raw: str) -> str:
    """Return ``raw`` without whitespace, zero-width characters and dashes, half-width, upper-case.

    Only ASCII letters are upper-cased; see the module docstring.
    """
    if not isinstance(raw, str):
        raise TypeError(f"identifier must be str, not {type(raw).__name__}")
    if raw.isascii() and raw.isalnum():  # the common case, on the import's hot path: only case to fix
        return raw.upper()
    chars = (_half_width(ch) for ch in raw)
    kept = (ch for ch in chars if not ch.isspace() and ch not in _DASHES and ch not in _INVISIBLE)
    return "".join(ch.upper() if ch.isascii() else ch for ch in kept)


# --------------------------------------------------------------------------- shared checks


def _check_length(value: str, expected: int, code: str, label: str) -> None:
    """Raise ``code`` unless ``value`` has exactly ``expected`` characters."""
    if len(value) != expected:
        raise IdentifierError(code, f"{label}长度错误：应为 {expected} 位，实为 {len(value)} 位")


def _check_alphabet(value: str, allowed: str, code: str, label: str, rule: str, start: int = 1) -> None:
    """Raise ``code`` naming the first (1-based, offset by ``start``) character not in ``allowed``."""
    for position, ch in enumerate(value, start=start):
        if ch not in allowed:
            raise IdentifierError(code, f"{label}第 {position} 位字符“{ch}”无效：{rule}")


def _check_equal(expected: str, actual: str, code: str, label: str) -> None:
    """Raise ``code`` with "应为 expected，实为 actual" unless they are equal."""
    if expected != actual:
        raise IdentifierError(code, f"{label}：应为 {expected}，实为 {actual}")


# --------------------------------------------------------------------------- GB 11714 organisation code


def _org_value(ch: str) -> int:
    """GB 11714 character value: digits 0–9, letters A=10 … Z=35."""
    return int(ch) if ch in _DIGITS else ord(ch) - ord("A") + 10


def _org_check(body: str) -> str:
    """GB 11714 check character of an 8-character body already known to be well-formed."""
    check = 11 - sum(_org_value(ch) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _check_org_body(body: str, code: str, label: str, start: int = 1) -> None:
    """Raise ``code`` if the 8-character GB 11714 body holds a character other than 0–9, A–Z."""
    _check_alphabet(body, _ORG_BODY_ALPHABET, code, label, "只能是数字或大写英文字母", start)


def org_code_check_character(first8: str) -> str:
    """Return the GB 11714 check character (``0``–``9`` or ``X``) for an 8-character body."""
    body = normalize(first8)
    _check_length(body, 8, "org_code.length", "组织机构代码本体")
    _check_org_body(body, "org_code.character", "组织机构代码")
    return _org_check(body)


def org_code_validate(raw: str) -> str:
    """Validate a GB 11714 organisation code (``XXXXXXXX-X`` or 9 characters); return 9 characters."""
    code = normalize(raw)
    _check_length(code, 9, "org_code.length", "组织机构代码")
    _check_org_body(code[:8], "org_code.character", "组织机构代码")
    _check_alphabet(code[8], _DIGITS + "X", "org_code.character", "组织机构代码", "校验码只能是数字或 X", 9)
    _check_equal(_org_check(code[:8]), code[8], "org_code.check_character", "组织机构代码校验码错误")
    return code


# --------------------------------------------------------------------------- GB 32100 USCC


def _uscc_check(first17: str) -> str:
    """GB 32100 check character of 17 characters already known to be in the alphabet."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[-total % 31]


def _check_uscc_prefix(value: str, expected: int, label: str) -> None:
    """Check length and alphabet of a USCC prefix given to a helper."""
    _check_length(value, expected, "uscc.length", label)
    _check_alphabet(value, USCC_ALPHABET, "uscc.character", label, _USCC_CHAR_RULE)


def uscc_check_character(first17: str) -> str:
    """Return the GB 32100 check character (position 18) for the first 17 characters."""
    head = normalize(first17)
    _check_uscc_prefix(head, 17, "统一社会信用代码前 17 位")
    return _uscc_check(head)


def uscc_make(first16: str) -> str:
    """Complete 16 characters with the GB 11714 check (position 17) and GB 32100 check (position 18).

    Only length and alphabet are checked, so a code with e.g. an invalid registration authority can
    be built on purpose (for tests); with a valid first character the result passes
    :func:`uscc_validate`.
    """
    head = normalize(first16)
    _check_uscc_prefix(head, 16, "统一社会信用代码前 16 位")
    first17 = head + _org_check(head[8:])
    return first17 + _uscc_check(first17)


def is_uscc_placeholder(raw: str) -> bool:
    """Return whether ``raw`` is the placeholder ``00000000000000000X`` of individual businesses."""
    return normalize(raw) == USCC_PLACEHOLDER


def uscc_validate(raw: str) -> str:
    """Validate a GB 32100-2015 unified social credit code and return it normalised.

    Checks, in order: placeholder, length, character, registration authority (position 1), entity
    type valid for that authority (position 2, GB 32100 table A.1), embedded GB 11714 organisation
    code check (position 17), GB 32100 check character (position 18). The region (positions 3–8) is
    not a reason to refuse: see :func:`uscc_region_warning`.
    """
    code = normalize(raw)
    if code == USCC_PLACEHOLDER:
        raise IdentifierError(
            "uscc.placeholder", f"统一社会信用代码为个体工商户占位代码 {USCC_PLACEHOLDER}，不是有效代码"
        )
    _check_length(code, 18, "uscc.length", "统一社会信用代码")
    _check_alphabet(code, USCC_ALPHABET, "uscc.character", "统一社会信用代码", _USCC_CHAR_RULE)
    if code[0] not in USCC_REGISTRATION_AUTHORITIES:
        raise IdentifierError(
            "uscc.registration_authority",
            f"统一社会信用代码第 1 位登记管理部门代码“{code[0]}”无效：应为 1–9、A、N 或 Y",
        )
    _check_entity_type(code[0], code[1])
    label = "统一社会信用代码第 9–17 位组织机构代码校验码错误"
    _check_equal(_org_check(code[8:16]), code[16], "uscc.org_code_check", label)
    _check_equal(_uscc_check(code[:17]), code[17], "uscc.check_character", "统一社会信用代码校验位错误")
    return code


def _check_entity_type(authority: str, entity_type: str) -> None:
    """GB 32100 table A.1: the 机构类别代码 must be one the registration authority issues."""
    types = USCC_ENTITY_TYPES[authority]
    if entity_type not in types:
        allowed = "、".join(f"{t}（{name}）" for t, name in types.items())
        raise IdentifierError(
            "uscc.entity_type",
            f"统一社会信用代码第 2 位机构类别代码“{entity_type}”对登记管理部门“{authority}”"
            f"（{USCC_AUTHORITY_NAMES[authority]}）无效：应为 {allowed}",
        )


@functools.cache
def uscc_regions() -> frozenset[str]:
    """Every 6-digit administrative-division code in python-stdnum's GB/T 2260 table
    (``stdnum/cn/loc.dat``: provinces ``XX0000``, prefecture-level ``XXXX00`` and counties, historical
    codes included), plus ``100000`` for central registrations."""
    codes, province = {USCC_CENTRAL_REGION}, ""
    text = resources.files("stdnum").joinpath("cn/loc.dat").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key = line.split(maxsplit=1)[0]
        if not line[0].isspace():
            province = key
        elif len(province) == 2 and len(key) == 4:
            codes.add(province + key)
    return frozenset(codes)


def uscc_region_known(code: str) -> bool:
    """Whether positions 3–8 of a (validated) USCC are a known administrative-division code."""
    return code[2:8] in uscc_regions()


def uscc_region_warning(code: str) -> tuple[str, str] | None:
    """``("uscc.region_unknown", message)`` when positions 3–8 of a validated USCC are not in the
    region table, else None. A warning, not a refusal: old and re-coded divisions keep their codes."""
    if uscc_region_known(code):
        return None
    return (
        "uscc.region_unknown",
        f"统一社会信用代码第 3–8 位登记管理机关行政区划码“{code[2:8]}”不在行政区划代码表中"
        "（可能为已撤销或调整的区划），已接收，请核对",
    )


def uscc_org_code(uscc: str) -> str:
    """Return the GB 11714 organisation code (positions 9–17) of a valid USCC."""
    return uscc_validate(uscc)[8:17]


# --------------------------------------------------------------------------- GS15 registration number


def _mod11_10(digits: str) -> str:
    """ISO 7064 MOD 11,10 check digit of a string of ASCII digits."""
    state = 10
    for ch in digits:
        state = (((state + int(ch)) % 10) or 10) * 2 % 11
    return str((1 - state) % 10)


def _check_digits(value: str, expected: int, kind: str, label: str) -> None:
    """Check that ``value`` is exactly ``expected`` ASCII digits (codes ``kind.length/.character``)."""
    _check_length(value, expected, f"{kind}.length", label)
    _check_alphabet(value, _DIGITS, f"{kind}.character", label, "只能是数字")


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


# --------------------------------------------------------------------------- identify


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
