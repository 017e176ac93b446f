"""What the identifier tests share: error helpers, one-character edits and Hypothesis strategies of valid
codes."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from hypothesis import strategies as st

from xinyong.subjects.identifiers import (
    RIC_PROVINCE_CODES,
    USCC_ALPHABET,
    USCC_ENTITY_TYPES,
    IdentifierError,
    regno_make,
    ric_make,
    uscc_make,
    uscc_regions,
)

DIGITS = "0123456789"
USCC_CHAR_RULE = "只能是数字或除 I、O、S、V、Z 以外的大写英文字母"


def error_of(func: Callable[..., object], *args: object, **kwargs: object) -> IdentifierError:
    """Call ``func`` and return the IdentifierError it must raise."""
    with pytest.raises(IdentifierError) as info:
        func(*args, **kwargs)
    return info.value


def error_of_or_none(func: Callable[[str], object], value: str) -> IdentifierError | None:
    """Return the IdentifierError raised by ``func(value)``, or None if it passes."""
    try:
        func(value)
    except IdentifierError as err:
        return err
    return None


def swap(value: str, i: int) -> str:
    """Swap the characters at 0-based positions i and i+1."""
    return value[:i] + value[i + 1] + value[i] + value[i + 2 :]


def substitute(value: str, i: int, ch: str) -> str:
    """Replace the character at 0-based position i."""
    return value[:i] + ch + value[i + 1 :]


# --------------------------------------------------------------------------- strategies

# A registration authority and an entity type it issues (GB 32100 table A.1), as two characters.
authority_types = st.sampled_from(sorted(a + t for a, types in USCC_ENTITY_TYPES.items() for t in types))
uscc_heads = st.builds(
    lambda head, region, body: head + region + body,
    authority_types,
    st.sampled_from(sorted(uscc_regions())),
    st.text(alphabet=USCC_ALPHABET, min_size=8, max_size=8),
)
valid_usccs = uscc_heads.map(uscc_make)
# stdnum.cn.uscc only accepts codes whose first 8 characters are digits.
stdnum_compatible_usccs = st.builds(
    lambda head, digits, rest: uscc_make(head + digits + rest),
    authority_types.filter(str.isdigit),
    st.text(alphabet=DIGITS, min_size=6, max_size=6),
    st.text(alphabet=USCC_ALPHABET, min_size=8, max_size=8),
)
ric_regions = st.builds(
    str.__add__,
    st.sampled_from(sorted(RIC_PROVINCE_CODES)),
    st.text(alphabet=DIGITS, min_size=4, max_size=4).filter(lambda county: county != "0000"),
)
valid_rics = st.builds(
    ric_make,
    ric_regions,
    st.dates(datetime.date(1900, 1, 1), datetime.date(2020, 12, 31)),
    st.text(alphabet=DIGITS, min_size=3, max_size=3),
)
valid_regnos = st.text(alphabet=DIGITS, min_size=14, max_size=14).map(regno_make)
