"""GB 32100 unified social credit codes and the GB 11714 organisation codes they embed (pure Python, no
Django).

统一社会信用代码 (unified social credit code, USCC), GB 32100-2015: 18 characters from the
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

组织机构代码 (organisation code), GB 11714-1997: 8 body characters (digits or upper-case letters,
valued A=10 … Z=35) and a mod-11 check character (weights 3,7,9,10,5,8,4,2; 10 → ``X``, 11 → ``0``).

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
"""

from __future__ import annotations

import functools
from importlib import resources

from xinyong.subjects.identifiers.common import (
    _DIGITS,
    IdentifierError,
    _check_alphabet,
    _check_equal,
    _check_length,
    normalize,
)

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
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_USCC_CHAR_RULE = "只能是数字或除 I、O、S、V、Z 以外的大写英文字母"


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
