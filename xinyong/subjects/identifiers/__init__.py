"""Validation of the identifiers that name a credit subject (pure Python, no Django), one module a kind:
`uscc` (统一社会信用代码 GB 32100 and the 组织机构代码 GB 11714 it embeds), `resident_id` (公民身份号码
GB 11643), `other_codes` (工商注册号 GS15-2006, 税务登记号), `identify` (which kind a string is), and
`common` (the error type, normalisation and shared checks). Each module states its standard and the
error-detection guarantees of its check characters; callers import from this package.

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
"""

from __future__ import annotations

from xinyong.subjects.identifiers.common import IdentifierError, normalize
from xinyong.subjects.identifiers.identify import identify
from xinyong.subjects.identifiers.other_codes import (
    regno_check_digit,
    regno_make,
    regno_validate,
    taxno_validate,
)
from xinyong.subjects.identifiers.resident_id import (
    RIC_PROVINCE_CODES,
    ResidentId,
    ric_check_digit,
    ric_make,
    ric_mask,
    ric_validate,
)
from xinyong.subjects.identifiers.uscc import (
    USCC_ALPHABET,
    USCC_AUTHORITY_NAMES,
    USCC_CENTRAL_REGION,
    USCC_ENTITY_TYPES,
    USCC_PLACEHOLDER,
    USCC_REGISTRATION_AUTHORITIES,
    is_uscc_placeholder,
    org_code_check_character,
    org_code_validate,
    uscc_check_character,
    uscc_make,
    uscc_org_code,
    uscc_region_known,
    uscc_region_warning,
    uscc_regions,
    uscc_validate,
)

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
