"""Tests for :mod:`xinyong.subjects.identifiers` (pure Python: no Django, no database)."""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import pickle
from collections.abc import Callable

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc
from stdnum.iso7064 import mod_11_10

from xinyong.subjects.identifiers import (
    RIC_PROVINCE_CODES,
    USCC_ALPHABET,
    USCC_ENTITY_TYPES,
    USCC_PLACEHOLDER,
    USCC_REGISTRATION_AUTHORITIES,
    IdentifierError,
    ResidentId,
    identify,
    is_uscc_placeholder,
    normalize,
    org_code_check_character,
    org_code_validate,
    regno_check_digit,
    regno_make,
    regno_validate,
    ric_check_digit,
    ric_make,
    ric_mask,
    ric_validate,
    taxno_validate,
    uscc_check_character,
    uscc_make,
    uscc_org_code,
    uscc_region_known,
    uscc_region_warning,
    uscc_regions,
    uscc_validate,
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


# --------------------------------------------------------------------------- IdentifierError, normalize


def test_identifier_error_is_a_value_error_whose_str_is_the_message() -> None:
    err = IdentifierError("uscc.length", "统一社会信用代码长度错误：应为 18 位，实为 3 位")
    assert isinstance(err, ValueError)
    assert err.code == "uscc.length"
    assert err.message == "统一社会信用代码长度错误：应为 18 位，实为 3 位"
    assert str(err) == err.message


def test_identifier_error_pickles() -> None:
    err = pickle.loads(pickle.dumps(IdentifierError("ric.minor", "未满 18 周岁")))
    assert (err.code, err.message) == ("ric.minor", "未满 18 周岁")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("９１１１００００６０００３７３４１Ｌ", "91110000600037341L"),
        ("９１１１\u3000００００ ６０００３７３４１ｌ", "91110000600037341L"),
        (" 91 110000\t600037341l\n", "91110000600037341L"),
        ("1-2\u20103\u20134\u20145\uff0d6", "123456"),
        ("\u200b91\ufeff1\u200d", "911"),
        ("60003734-1", "600037341"),
        ("abcxyz", "ABCXYZ"),
        ("", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_upper_cases_only_ascii() -> None:
    assert normalize("ß") == "ß"  # "ß".upper() would be "SS" and change the length


def test_normalize_rejects_non_str() -> None:
    with pytest.raises(TypeError):
        normalize(b"91110000600037341L")  # type: ignore[arg-type]


def test_non_ascii_digits_are_not_digits() -> None:
    err = error_of(regno_validate, "11010800000001\u0666")  # ARABIC-INDIC DIGIT SIX
    assert err.code == "regno.character"


# --------------------------------------------------------------------------- USCC: valid codes

# Found online (python-stdnum's test suite); all also pass the embedded GB 11714 check.
PUBLIC_USCCS = [
    "121200004013590816",
    "91110000600037341L",
    "91110000710926094P",
    "91120224064012553U",
    "911522010783710635",
    "91152201078371135X",
    "91310000631696382C",
    "91310112087994932F",
    "913101127033980359",
    "91310115MA1K3BTP2B",
    "9131012056010553X5",
    "91320214745555318W",
    "91340600MA2PBM9HXD",
    "91340603MA2UJXXCXF",
    "91440300568520498A",
    "9144030071526726XG",
    "91620105L015101280",
    "91620105MA71T4YW8Q",
    "92340602MA2PBMEM24",
    "92340603MA2PBMYMX1",
    "92340621MA2PBKRXXG",
]


@pytest.mark.parametrize("code", PUBLIC_USCCS)
def test_public_usccs_are_valid_here_and_in_stdnum(code: str) -> None:
    assert uscc_validate(code) == code
    assert stdnum_uscc.is_valid(code)


@pytest.mark.parametrize(
    ("first16", "expected"),
    [
        ("9111000060003734", "91110000600037341L"),
        ("5111000050000001", "51110000500000015U"),
        ("91340600MA2PBM9H", "91340600MA2PBM9HXD"),
    ],
)
def test_uscc_make(first16: str, expected: str) -> None:
    assert uscc_make(first16) == expected
    assert uscc_validate(expected) == expected
    assert stdnum_uscc.is_valid(expected)


@pytest.mark.parametrize("code", ["A1110000MA01ABCD51", "N2110000MA01ABCD5H", "Y1110000MA01ABCD5C"])
def test_usccs_starting_with_a_n_y_are_valid(code: str) -> None:
    assert uscc_make(code[:16]) == code
    assert uscc_validate(code) == code
    assert not stdnum_uscc.is_valid(code)  # why this module does not delegate to stdnum


@pytest.mark.parametrize(
    "raw", ["９１１１００００６０００３７３４１ｌ", " 9111 0000-6000 3734-1l ", "91110000—600037341—L"]
)
def test_uscc_validate_normalises(raw: str) -> None:
    assert uscc_validate(raw) == "91110000600037341L"


@given(valid_usccs)
def test_uscc_make_always_produces_valid_codes(code: str) -> None:
    assert uscc_validate(code) == code


@given(stdnum_compatible_usccs)
def test_uscc_cross_check_with_stdnum(code: str) -> None:
    assert stdnum_uscc.is_valid(code)
    assert uscc_check_character(code[:17]) == stdnum_uscc.calc_check_digit(code[:17])


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_uscc_check_character_matches_stdnum(first17: str) -> None:
    assert uscc_check_character(first17) == stdnum_uscc.calc_check_digit(first17)


# --------------------------------------------------------------------------- USCC: failures


@pytest.mark.parametrize(
    ("raw", "code", "message"),
    [
        ("9111000060003734", "uscc.length", "统一社会信用代码长度错误：应为 18 位，实为 16 位"),
        ("91110000600037341LL", "uscc.length", "统一社会信用代码长度错误：应为 18 位，实为 19 位"),
        ("", "uscc.length", "统一社会信用代码长度错误：应为 18 位，实为 0 位"),
        (
            "9111000060003734IL",
            "uscc.character",
            f"统一社会信用代码第 17 位字符“I”无效：{USCC_CHAR_RULE}",
        ),
        ("O1110000600037341L", "uscc.character", f"统一社会信用代码第 1 位字符“O”无效：{USCC_CHAR_RULE}"),
        ("9111000Z600037341L", "uscc.character", f"统一社会信用代码第 8 位字符“Z”无效：{USCC_CHAR_RULE}"),
        (
            "B1110000600037341J",
            "uscc.registration_authority",
            "统一社会信用代码第 1 位登记管理部门代码“B”无效：应为 1–9、A、N 或 Y",
        ),
        (
            "01110000600037341X",
            "uscc.registration_authority",
            "统一社会信用代码第 1 位登记管理部门代码“0”无效：应为 1–9、A、N 或 Y",
        ),
        (
            "91110000600037342L",
            "uscc.org_code_check",
            "统一社会信用代码第 9–17 位组织机构代码校验码错误：应为 1，实为 2",
        ),
        (
            "91110000600037341N",
            "uscc.check_character",
            "统一社会信用代码校验位错误：应为 L，实为 N",
        ),
        (
            "00000000000000000X",
            "uscc.placeholder",
            "统一社会信用代码为个体工商户占位代码 00000000000000000X，不是有效代码",
        ),
    ],
)
def test_uscc_validate_failures(raw: str, code: str, message: str) -> None:
    err = error_of(uscc_validate, raw)
    assert (err.code, err.message) == (code, message)


def test_uscc_check_order() -> None:
    # character before length? No: length first, even with bad characters.
    assert error_of(uscc_validate, "IOSVZ").code == "uscc.length"
    # bad characters and a bad first character: character wins.
    assert error_of(uscc_validate, "B111000060003734IL").code == "uscc.character"
    # bad registration authority and bad check character: registration authority wins.
    assert error_of(uscc_validate, "B11100006000373410").code == "uscc.registration_authority"
    # "91110000600037342L" has a wrong org-code check AND a wrong USCC check: org code wins.
    assert uscc_check_character("91110000600037342") != "L"
    assert error_of(uscc_validate, "91110000600037342L").code == "uscc.org_code_check"


@pytest.mark.parametrize(
    "raw", ["00000000000000000X", "00000000000000000x", "０００００００００００００００００Ｘ"]
)
def test_uscc_placeholder(raw: str) -> None:
    assert USCC_PLACEHOLDER == "00000000000000000X"
    assert is_uscc_placeholder(raw)
    assert error_of(uscc_validate, raw).code == "uscc.placeholder"


@pytest.mark.parametrize("raw", ["91110000600037341L", "000000000000000000", "00000000000000000", ""])
def test_not_the_uscc_placeholder(raw: str) -> None:
    assert not is_uscc_placeholder(raw)


def test_uscc_helper_failures() -> None:
    err = error_of(uscc_check_character, "911")
    assert (err.code, err.message) == (
        "uscc.length",
        "统一社会信用代码前 17 位长度错误：应为 17 位，实为 3 位",
    )
    err = error_of(uscc_check_character, "9111000060003734I")
    assert (err.code, err.message) == (
        "uscc.character",
        f"统一社会信用代码前 17 位第 17 位字符“I”无效：{USCC_CHAR_RULE}",
    )
    err = error_of(uscc_make, "91110000600037341")
    assert (err.code, err.message) == (
        "uscc.length",
        "统一社会信用代码前 16 位长度错误：应为 16 位，实为 17 位",
    )


def test_uscc_make_does_not_check_the_registration_authority() -> None:
    assert uscc_make("B111000060003734") == "B1110000600037341J"


def test_uscc_org_code() -> None:
    assert uscc_org_code("9111 0000 6000 3734 1l") == "600037341"
    assert org_code_validate(uscc_org_code("91340600MA2PBM9HXD")) == "MA2PBM9HX"
    assert error_of(uscc_org_code, "91110000600037341N").code == "uscc.check_character"


# --------------------------------------------------------------------------- USCC: error detection


@given(valid_usccs, st.integers(0, 17), st.sampled_from(USCC_ALPHABET))
def test_uscc_every_single_substitution_is_detected(code: str, i: int, ch: str) -> None:
    assume(code[i] != ch)
    mutated = substitute(code, i, ch)
    with pytest.raises(IdentifierError):
        uscc_validate(mutated)
    # The mod-31 check character alone already detects it (see the module docstring).
    assert uscc_check_character(mutated[:17]) != mutated[17]


@given(valid_usccs, st.integers(0, 16))
def test_uscc_every_adjacent_swap_is_detected(code: str, i: int) -> None:
    assume(code[i] != code[i + 1])
    mutated = swap(code, i)
    with pytest.raises(IdentifierError):
        uscc_validate(mutated)
    assert uscc_check_character(mutated[:17]) != mutated[17]


def test_uscc_adjacent_swaps_exhaustively_for_every_value_pair() -> None:
    """The change of the mod-31 sum depends only on the position and the two values swapped.

    So one valid code per (position, ordered value pair) proves the claim. Positions 16/17 and
    17/18 hold computed check characters; varying three body characters reaches every pair
    (body char, org check) and (org check, USCC check): 31 × 11 - 11 = 330 pairs each.
    """
    base = "9111000060003734"
    for i in range(15):
        for a, b in itertools.permutations(USCC_ALPHABET, 2):
            code = uscc_make(base[:i] + a + b + base[i + 2 :])
            mutated = swap(code, i)
            assert uscc_check_character(mutated[:17]) != mutated[17], (code, i)
    covered: dict[int, set[tuple[str, str]]] = {15: set(), 16: set()}
    for d, a, b in itertools.product(DIGITS, USCC_ALPHABET, USCC_ALPHABET):
        code = uscc_make(base[:13] + d + a + b)
        for i in (15, 16):
            if code[i] != code[i + 1]:
                covered[i].add((code[i], code[i + 1]))
                mutated = swap(code, i)
                assert uscc_check_character(mutated[:17]) != mutated[17], (code, i)
    assert (len(covered[15]), len(covered[16])) == (330, 330)


def test_uscc_swap_of_org_check_with_preceding_body_char_is_caught_by_the_uscc_check() -> None:
    """The embedded GB 11714 check misses '…1X' ↔ '…X1'; the GB 32100 check catches it."""
    code = uscc_make("9111000000000081")
    assert code[8:17] == "00000081X"
    mutated = swap(code, 15)
    assert mutated[8:17] == "0000008X1"
    assert org_code_validate(mutated[8:17]) == "0000008X1"  # the org code alone looks valid
    assert error_of(uscc_validate, mutated).code == "uscc.check_character"


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


# --------------------------------------------------------------------------- resident ID


def test_ric_standard_example() -> None:
    rid = ric_validate("11010519491231002X")
    assert rid == ResidentId("11010519491231002X", "110105", datetime.date(1949, 12, 31), "F")
    assert stdnum_ric.is_valid("11010519491231002X")


def test_ric_make_and_check_digit() -> None:
    assert ric_make("110105", datetime.date(1949, 12, 31), "002") == "11010519491231002X"
    assert ric_check_digit("11010519491231002") == "X"
    assert ric_check_digit("31011519850701456") == "7"


@pytest.mark.parametrize(
    "raw", ["11010519491231002x", "110105 19491231 002X", "１１０１０５１９４９１２３１００２ｘ"]
)
def test_ric_validate_normalises(raw: str) -> None:
    assert ric_validate(raw).number == "11010519491231002X"


@pytest.mark.parametrize(("seq3", "sex"), [("451", "M"), ("456", "F"), ("009", "M"), ("000", "F")])
def test_ric_sex_follows_the_parity_of_the_17th_digit(seq3: str, sex: str) -> None:
    assert ric_validate(ric_make("310115", datetime.date(1985, 7, 1), seq3)).sex == sex


@pytest.mark.parametrize("region", ["810000", "820000", "830000"])
def test_ric_residence_permits_for_hk_macao_taiwan(region: str) -> None:
    number = ric_make(region, datetime.date(1990, 1, 1), "001")
    assert ric_validate(number).region_code == region


ON = datetime.date(2024, 6, 15)


@pytest.mark.parametrize(
    ("raw", "code", "message"),
    [
        ("11010519491231002", "ric.length", "公民身份号码长度错误：应为 18 位，实为 17 位"),
        ("1101A519491231002X", "ric.character", "公民身份号码第 5 位字符“A”无效：前 17 位只能是数字"),
        ("1101051949123100X2", "ric.character", "公民身份号码第 17 位字符“X”无效：前 17 位只能是数字"),
        ("11010519491231002Y", "ric.character", "公民身份号码第 18 位字符“Y”无效：校验码只能是数字或 X"),
        ("99010519491231002X", "ric.region", "公民身份号码第 1–2 位省级行政区划代码“99”无效"),
        ("91010519491231002X", "ric.region", "公民身份号码第 1–2 位省级行政区划代码“91”无效"),
        ("11000019491231002X", "ric.region", "公民身份号码地址码“110000”无效：第 3–6 位不能全为 0"),
        ("11010519490231002X", "ric.birth_date", "公民身份号码第 7–14 位出生日期“19490231”不是有效日期"),
        ("11010500000000002X", "ric.birth_date", "公民身份号码第 7–14 位出生日期“00000000”不是有效日期"),
        ("11010518991231002X", "ric.birth_date", "公民身份号码出生日期 1899-12-31 早于 1900-01-01"),
        ("11010520240616002X", "ric.birth_date", "公民身份号码出生日期 2024-06-16 晚于 2024-06-15"),
        ("110105194912310021", "ric.check_digit", "公民身份号码校验码错误：应为 X，实为 1"),
        (
            "440305200606151230",
            "ric.minor",
            "公民身份号码持有人于 2024-06-14 未满 18 周岁：未成年人不在本平台处理范围内",
        ),
    ],
)
def test_ric_validate_failures(raw: str, code: str, message: str) -> None:
    on_date = datetime.date(2024, 6, 14) if code == "ric.minor" else ON
    err = error_of(ric_validate, raw, on_date=on_date)
    assert (err.code, err.message) == (code, message)


def test_ric_birth_date_defaults_to_today_as_upper_bound() -> None:
    future = ric_make("110105", datetime.date.today() + datetime.timedelta(days=1), "001")
    assert error_of(ric_validate, future).code == "ric.birth_date"
    assert ric_validate(ric_make("110105", datetime.date.today(), "001")).birth_date == datetime.date.today()


def test_ric_minor_boundary() -> None:
    number = "440305200606151230"  # born 2006-06-15
    assert ric_validate(number).birth_date == datetime.date(2006, 6, 15)  # no on_date: no age check
    assert error_of(ric_validate, number, on_date=datetime.date(2024, 6, 14)).code == "ric.minor"
    assert ric_validate(number, on_date=datetime.date(2024, 6, 15)).number == number
    assert ric_validate(number, on_date=datetime.datetime(2024, 6, 15, 8, 30)).number == number


def test_ric_minor_born_on_29_february() -> None:
    number = ric_make("110105", datetime.date(2008, 2, 29), "011")
    assert error_of(ric_validate, number, on_date=datetime.date(2026, 2, 28)).code == "ric.minor"
    assert ric_validate(number, on_date=datetime.date(2026, 3, 1)).sex == "M"


def test_ric_minor_is_checked_last() -> None:
    bad_check = "440305200606151231"
    assert error_of(ric_validate, bad_check, on_date=datetime.date(2024, 6, 14)).code == "ric.check_digit"


def test_ric_helper_failures() -> None:
    err = error_of(ric_make, "11010", datetime.date(1990, 1, 1), "001")
    assert (err.code, err.message) == ("ric.length", "地址码长度错误：应为 6 位，实为 5 位")
    err = error_of(ric_make, "110105", datetime.date(1990, 1, 1), "0A1")
    assert (err.code, err.message) == ("ric.character", "顺序码第 2 位字符“A”无效：只能是数字")
    assert error_of(ric_check_digit, "1101051949123100").code == "ric.length"
    assert error_of(ric_check_digit, "1101051949123100X").code == "ric.character"


def test_resident_id_is_frozen_and_repr_is_masked() -> None:
    rid = ric_validate("11010519491231002X")
    with pytest.raises(dataclasses.FrozenInstanceError):
        rid.sex = "M"  # type: ignore[misc]
    assert repr(rid) == "ResidentId(number='110105********002X')"
    assert rid.masked == "110105********002X"


@pytest.mark.parametrize("raw", ["11010519491231002X", "11010519491231002x", "110105 19491231 002X"])
def test_ric_mask(raw: str) -> None:
    assert ric_mask(raw) == "110105********002X"


def test_ric_mask_requires_18_characters() -> None:
    err = error_of(ric_mask, "110105")
    assert (err.code, err.message) == ("ric.length", "公民身份号码长度错误：应为 18 位，实为 6 位")


@given(valid_rics)
def test_ric_make_always_produces_valid_numbers(number: str) -> None:
    assert ric_validate(number).number == number
    assert stdnum_ric.calc_check_digit(number) == number[17]


def shape_ok(number: str) -> bool:
    """17 ASCII digits then a digit or X."""
    return all(ch in DIGITS for ch in number[:17]) and number[17] in DIGITS + "X"


@given(valid_rics, st.integers(0, 17), st.sampled_from(DIGITS + "X"))
def test_ric_every_single_substitution_is_detected(number: str, i: int, ch: str) -> None:
    assume(number[i] != ch)
    mutated = substitute(number, i, ch)
    with pytest.raises(IdentifierError):
        ric_validate(mutated)
    if shape_ok(mutated):
        assert ric_check_digit(mutated[:17]) != mutated[17]


@given(valid_rics, st.integers(0, 16))
def test_ric_every_adjacent_swap_is_detected(number: str, i: int) -> None:
    assume(number[i] != number[i + 1])
    mutated = swap(number, i)
    err = error_of(ric_validate, mutated)
    if shape_ok(mutated):
        assert ric_check_digit(mutated[:17]) != mutated[17]
    else:  # a check "X" moved to position 17
        assert (i, number[17], err.code) == (16, "X", "ric.character")


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


# --------------------------------------------------------------------------- identify


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" 9111 0000 6000 3734 1l", ("uscc", "91110000600037341L")),
        ("A1110000MA01ABCD51", ("uscc", "A1110000MA01ABCD51")),
        ("11010519491231002x", ("ric", "11010519491231002X")),
        ("911101199001010697", ("uscc", "911101199001010697")),  # RIC-shaped, but only a valid USCC
        ("110108000000016", ("regno", "110108000000016")),
        ("110108600037341", ("regno", "110108600037341")),  # also a valid taxno: regno wins
        ("110105600037341", ("taxno", "110105600037341")),
        ("110108MA01ABCD5", ("taxno", "110108MA01ABCD5")),
        ("60003734-1", ("org_code", "600037341")),
        ("11010519491231002X01", ("taxno", "11010519491231002X01")),
    ],
)
def test_identify(raw: str, expected: tuple[str, str]) -> None:
    assert identify(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("110105194912310021", "ric.check_digit"),  # RIC-shaped: the resident-ID error
        ("440305200606151230", None),  # a minor is still identified (no on_date)
        ("91110000600037341N", "uscc.check_character"),
        ("911101199001010698", "ric.region"),  # RIC-shaped, neither valid: the RIC error
        ("00000000000000000X", "uscc.placeholder"),
        ("110108600037300", "regno.check_digit"),  # neither regno nor taxno: the regno error
        ("110108MA01ABCD6", "taxno.format"),
        ("60003734-2", "org_code.check_character"),
        ("11010519491231002XAB", "taxno.format"),
    ],
)
def test_identify_errors(raw: str, code: str | None) -> None:
    if code is None:
        assert identify(raw) == ("ric", raw)
    else:
        assert error_of(identify, raw).code == code


@pytest.mark.parametrize("raw", ["", "1234567890", "６０００３７３４"])
def test_identify_unknown_length(raw: str) -> None:
    err = error_of(identify, raw)
    length = len(normalize(raw))
    assert (err.code, err.message) == (
        "identifier.length",
        f"无法识别的证件号码：长度为 {length} 位，应为 9、15、18 或 20 位",
    )


@given(valid_usccs)
def test_identify_finds_every_valid_uscc(code: str) -> None:
    assert identify(code) == ("uscc", code)


@given(valid_rics)
def test_identify_finds_every_valid_ric(number: str) -> None:
    assert identify(number) == ("ric", number)


# --------------------------------------------------------------------------- USCC: GB 32100 code tables


def test_the_entity_type_table_covers_every_registration_authority() -> None:
    assert "".join(USCC_ENTITY_TYPES) == USCC_REGISTRATION_AUTHORITIES == "123456789ANY"
    assert {a: "".join(types) for a, types in USCC_ENTITY_TYPES.items()} == {
        "1": "1239", "2": "19", "3": "123459", "4": "19", "5": "1239", "6": "129", "7": "129", "8": "19",
        "9": "123", "A": "19", "N": "1239", "Y": "1",
    }  # fmt: skip
    for authority, types in USCC_ENTITY_TYPES.items():
        for entity_type in types:
            code = uscc_make(f"{authority}{entity_type}110108MA01ABCD")
            assert uscc_validate(code) == code


@pytest.mark.parametrize(
    ("first16", "message"),
    [
        (
            "94110108MA01ABCD",
            "统一社会信用代码第 2 位机构类别代码“4”对登记管理部门“9”（工商）无效："
            "应为 1（企业）、2（个体工商户）、3（农民专业合作社）",
        ),
        (
            "99110108MA01ABCD",
            "统一社会信用代码第 2 位机构类别代码“9”对登记管理部门“9”（工商）无效："
            "应为 1（企业）、2（个体工商户）、3（农民专业合作社）",
        ),
        (
            "56110000MA01ABCD",
            "统一社会信用代码第 2 位机构类别代码“6”对登记管理部门“5”（民政）无效："
            "应为 1（社会团体）、2（民办非企业单位）、3（基金会）、9（其他）",
        ),
        (
            "Y2110000MA01ABCD",
            "统一社会信用代码第 2 位机构类别代码“2”对登记管理部门“Y”（其他）无效：应为 1（其他）",
        ),
        (
            "A2110000MA01ABCD",
            "统一社会信用代码第 2 位机构类别代码“2”对登记管理部门“A”（中央军委改革和编制办公室）无效："
            "应为 1（军队事业单位）、9（其他）",
        ),
        (
            "10110000MA01ABCD",
            "统一社会信用代码第 2 位机构类别代码“0”对登记管理部门“1”（机构编制）无效："
            "应为 1（机关）、2（事业单位）、3（中央编办直接管理机构编制的群众团体）、9（其他）",
        ),
        (
            "3A110000MA01ABCD",
            "统一社会信用代码第 2 位机构类别代码“A”对登记管理部门“3”（司法行政）无效："
            "应为 1（律师执业机构）、2（公证处）、3（基层法律服务所）、4（司法鉴定机构）、5（仲裁委员会）、9（其他）",
        ),
    ],
)
def test_an_entity_type_the_authority_does_not_issue_is_refused(first16: str, message: str) -> None:
    err = error_of(uscc_validate, uscc_make(first16))
    assert (err.code, err.message) == ("uscc.entity_type", message)


def test_table_checks_come_before_the_check_characters() -> None:
    assert error_of(uscc_validate, "B4110108MA01ABCD00").code == "uscc.registration_authority"
    bad_type_and_checks = uscc_make("94110108MA01ABCD")[:16] + "00"
    assert error_of(uscc_validate, bad_type_and_checks).code == "uscc.entity_type"


@pytest.mark.parametrize(
    "region",
    [
        "110108",  # 海淀区
        "110228",  # 密云县, a code withdrawn in 2015: historical codes stay known
        "110000",  # 北京市 (province level)
        "110100",  # 北京市市辖区 (prefecture level)
        "320100",  # 南京市
        "100000",  # central registration
    ],
)
def test_known_regions_raise_no_warning(region: str) -> None:
    code = uscc_make(f"91{region}MA01ABCD")
    assert (uscc_validate(code), uscc_region_known(code), uscc_region_warning(code)) == (code, True, None)


@pytest.mark.parametrize("region", ["119999", "000000", "990000", "11010A"])
def test_an_unknown_region_is_accepted_with_a_warning(region: str) -> None:
    code = uscc_make(f"91{region}MA01ABCD")
    assert uscc_validate(code) == code  # not refused: codes outlive the divisions they were issued under
    assert uscc_region_warning(code) == (
        "uscc.region_unknown",
        f"统一社会信用代码第 3–8 位登记管理机关行政区划码“{region}”不在行政区划代码表中"
        "（可能为已撤销或调整的区划），已接收，请核对",
    )


def test_the_region_table_is_stdnums_with_the_central_code() -> None:
    regions = uscc_regions()
    assert len(regions) > 6000  # python-stdnum 2.2: 6,885 division codes, plus 100000
    assert {"100000", "110000", "110101", "110103", "650000"} <= regions
    assert not {"119999", "100100", "000000"} & regions
