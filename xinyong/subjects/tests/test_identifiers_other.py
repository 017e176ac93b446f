"""Tests of the organisation code (GB 11714), the registration number (GS15) and the tax registration number
(pure Python: no Django, no database)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.iso7064 import mod_11_10

from xinyong.subjects.identifiers import (
    IdentifierError,
    normalize,
    org_code_check_character,
    org_code_validate,
    regno_check_digit,
    regno_make,
    regno_validate,
    taxno_validate,
)
from xinyong.subjects.tests.identifier_cases import (
    DIGITS,
    error_of,
    error_of_or_none,
    substitute,
    swap,
    valid_regnos,
)

# --------------------------------------------------------------------------- organisation code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("60003734-1", "600037341"), ("600037341", "600037341"), ("ma2pbm9h－x", "MA2PBM9HX")],
)
def test_org_code_validate(raw: str, expected: str) -> None:
    assert org_code_validate(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code", "message"),
    [
        ("6000373", "org_code.length", "组织机构代码长度错误：应为 9 位，实为 7 位"),
        ("6000373410", "org_code.length", "组织机构代码长度错误：应为 9 位，实为 10 位"),
        ("6000!734-1", "org_code.character", "组织机构代码第 5 位字符“!”无效：只能是数字或大写英文字母"),
        ("60003734-A", "org_code.character", "组织机构代码第 9 位字符“A”无效：校验码只能是数字或 X"),
        ("60003734-2", "org_code.check_character", "组织机构代码校验码错误：应为 1，实为 2"),
    ],
)
def test_org_code_validate_failures(raw: str, code: str, message: str) -> None:
    err = error_of(org_code_validate, raw)
    assert (err.code, err.message) == (code, message)


def test_org_code_check_character() -> None:
    assert org_code_check_character("60003734") == "1"
    assert org_code_check_character("MA2PBM9H") == "X"
    assert org_code_check_character("00000000") == "0"  # 11 - 0 = 11 -> "0"
    assert error_of(org_code_check_character, "6000373").code == "org_code.length"
    assert error_of(org_code_check_character, "6000373?").code == "org_code.character"


def test_org_code_standalone_blind_spots() -> None:
    """GB 11714 alone reduces values 0–35 mod 11 (see module docstring)."""
    # substitution by a character congruent mod 11 (0 ≡ B = 11)
    assert org_code_validate("00000000-0") == "000000000"
    assert org_code_validate("B0000000-0") == "B00000000"
    # swap of a last body "1" with a check "X"
    assert org_code_validate("00000081-X") == "00000081X"
    assert org_code_validate("0000008X-1") == "0000008X1"


# --------------------------------------------------------------------------- registration number


def mod11_10_state(digits: str) -> int:
    """Reference ISO 7064 MOD 11,10 running state p mod 11 (10 before the first digit)."""
    state = 10
    for ch in digits:
        state = (((state + int(ch)) % 10) or 10) * 2 % 11
    return state


def regno_swap_is_blind_spot(number: str, i: int) -> bool:
    """The documented undetectable case: digits d, d+1 (mod 10) with (state + d) mod 10 == 5."""
    a, b = int(number[i]), int(number[i + 1])
    if (b - a) % 10 == 1:
        low = a
    elif (a - b) % 10 == 1:
        low = b
    else:
        return False
    return (mod11_10_state(number[:i]) + low) % 10 == 5


def test_regno_make_and_validate() -> None:
    assert regno_make("11010800000001") == "110108000000016"
    assert regno_validate("110108 000000 016") == "110108000000016"
    assert regno_validate("４４０３００１０００００００６") == "440300100000006"
    assert regno_check_digit("44030010000000") == "6"


@given(st.text(alphabet=DIGITS, min_size=14, max_size=14))
def test_regno_check_digit_matches_stdnum_mod_11_10(first14: str) -> None:
    assert regno_check_digit(first14) == mod_11_10.calc_check_digit(first14)
    assert mod_11_10.is_valid(regno_make(first14))


@pytest.mark.parametrize(
    ("raw", "code", "message"),
    [
        ("11010800000001", "regno.length", "注册号长度错误：应为 15 位，实为 14 位"),
        ("1101080000000160", "regno.length", "注册号长度错误：应为 15 位，实为 16 位"),
        ("11010800000001A", "regno.character", "注册号第 15 位字符“A”无效：只能是数字"),
        ("110108000000017", "regno.check_digit", "注册号校验位错误：应为 6，实为 7"),
    ],
)
def test_regno_validate_failures(raw: str, code: str, message: str) -> None:
    err = error_of(regno_validate, raw)
    assert (err.code, err.message) == (code, message)


def test_regno_helper_failures() -> None:
    err = error_of(regno_make, "1101080000000")
    assert (err.code, err.message) == ("regno.length", "注册号前 14 位长度错误：应为 14 位，实为 13 位")
    assert error_of(regno_check_digit, "1101080000000X").code == "regno.character"


@given(valid_regnos, st.integers(0, 14), st.sampled_from(DIGITS))
def test_regno_every_single_substitution_is_detected(number: str, i: int, digit: str) -> None:
    assume(number[i] != digit)
    err = error_of(regno_validate, substitute(number, i, digit))
    assert err.code == "regno.check_digit"


@given(valid_regnos, st.integers(0, 13))
def test_regno_adjacent_swaps_outside_the_blind_spot_are_detected(number: str, i: int) -> None:
    assume(number[i] != number[i + 1])
    assume(not regno_swap_is_blind_spot(number, i))
    assert error_of(regno_validate, swap(number, i)).code == "regno.check_digit"


@given(valid_regnos, st.integers(0, 13))
def test_regno_adjacent_swap_undetected_exactly_in_the_blind_spot(number: str, i: int) -> None:
    assume(number[i] != number[i + 1])
    mutated = swap(number, i)
    try:
        regno_validate(mutated)
        accepted = True
    except IdentifierError:
        accepted = False
    assert accepted == regno_swap_is_blind_spot(number, i)


def test_regno_blind_spot_exhaustively() -> None:
    """All 10 incoming states × 90 ordered digit pairs: exactly 20 swaps are undetectable.

    Swapping the 14th digit with the check digit: exactly 2 of the 10 × 10 cases (state 5, "01"/"10").
    """
    undetected_body, undetected_check = 0, 0
    for state_digit in DIGITS:  # one step is a bijection, so the 12th digit reaches all 10 states
        prefix = "11010800000" + state_digit
        for a, b in itertools.permutations(DIGITS, 2):
            number = regno_make(prefix + a + b)
            detected = error_of_or_none(regno_validate, swap(number, 12)) is not None
            assert detected != regno_swap_is_blind_spot(number, 12)
            undetected_body += not detected
        for a in DIGITS:
            number = regno_make(prefix + "0" + a)
            if number[13] != number[14]:
                detected = error_of_or_none(regno_validate, swap(number, 13)) is not None
                assert detected != regno_swap_is_blind_spot(number, 13)
                undetected_check += not detected
    assert (undetected_body, undetected_check) == (20, 2)


@pytest.mark.parametrize(
    ("number", "swapped"),
    [("110108000000678", "110108000000768"), ("110108000000901", "110108000000910")],
)
def test_regno_undetectable_swap_examples(number: str, swapped: str) -> None:
    """Documented limitation of ISO 7064 MOD 11,10: both numbers of each pair are valid."""
    assert regno_validate(number) == number
    assert regno_validate(swapped) == swapped
    assert [i for i in range(14) if swap(number, i) == swapped] != []


# --------------------------------------------------------------------------- tax registration number


@pytest.mark.parametrize(
    "raw",
    ["110105600037341", "110108MA01ABCD5", "310115-60003734-1", "91110000600037341L", "11010519491231002X01"],
)
def test_taxno_validate(raw: str) -> None:
    assert taxno_validate(raw) == normalize(raw)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1101056000373411", "税务登记号长度错误：应为 15、18 或 20 位，实为 16 位"),
        ("A10105600037341", "税务登记号第 1 位字符“A”无效：前 6 位行政区划代码只能是数字"),
        ("990105600037341", "税务登记号第 1–2 位省级行政区划代码“99”无效"),
        ("110105600037342", "税务登记号格式错误：组织机构代码校验码错误：应为 1，实为 2"),
        ("91110000600037341N", "税务登记号格式错误：统一社会信用代码校验位错误：应为 L，实为 N"),
        ("11010519491231002101", "税务登记号格式错误：公民身份号码校验码错误：应为 X，实为 1"),
        ("11010519491231002XAB", "税务登记号第 19 位字符“A”无效：第 19–20 位只能是数字"),
    ],
)
def test_taxno_validate_failures(raw: str, message: str) -> None:
    err = error_of(taxno_validate, raw)
    assert (err.code, err.message) == ("taxno.format", message)
