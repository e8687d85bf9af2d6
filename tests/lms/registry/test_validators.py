"""GB 11643 ID numbers, GB 32100 credit codes, mobile numbers and GB/T 2260 region codes (no DB)."""

from datetime import date

import pytest
from django.utils import translation

from lms.registry import validators as v
from tests.factories import make_credit_code, make_id_number


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- ID numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        ("11010519491231002", "X"),  # the GB 11643 standard's own example
        ("44052418800101001", "4"),
        ("53030219900101012", "5"),
    ],
)
def test_id_check_char(first17, check):
    assert v.id_check_char(first17) == check


def test_parse_id_with_x_check_char_and_derivations():
    ident = v.parse_id_number("11010519491231002X")
    assert ident.value == "11010519491231002X"
    assert ident.birth_date == date(1949, 12, 31)
    assert ident.gender == "F"  # 17th digit 2 is even
    assert ident.region_code == "110105"


def test_lower_case_x_accepted():
    assert v.parse_id_number("11010519491231002x").value.endswith("X")


@pytest.mark.parametrize(("gender", "expected"), [("M", "M"), ("F", "F")])
def test_gender_from_17th_digit(gender, expected):
    assert v.parse_id_number(make_id_number(gender=gender)).gender == expected


def test_full_width_and_spaces_normalised():
    clear = make_id_number(born=date(1988, 8, 8), serial=3)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in clear)
    assert v.parse_id_number(f" {full_width[:6]} {full_width[6:]}\t").value == clear


def test_wrong_check_digit():
    good = make_id_number()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValueError, match="check digit"):
        v.parse_id_number(bad)


@pytest.mark.parametrize(
    "birth",
    ["19900230", "19901301", "20000229"[:4] + "0231", "18991231"],
)
def test_impossible_birth_dates(birth):
    first17 = f"530302{birth}012"
    with pytest.raises(ValueError, match="not a real date"):
        v.parse_id_number(first17 + v.id_check_char(first17))


def test_leap_day_is_a_real_date():
    assert v.parse_id_number(make_id_number(born=date(2000, 2, 29))).birth_date == date(2000, 2, 29)


def test_birth_in_future_refused():
    first17 = "53030220300101012"
    with pytest.raises(ValueError, match="not a real date"):
        v.parse_id_number(first17 + v.id_check_char(first17), today=date(2025, 1, 1))


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_empty_id(raw):
    with pytest.raises(ValueError, match="empty"):
        v.parse_id_number(raw)


@pytest.mark.parametrize("raw", ["53030219900101012", "5303021990010101234", "53030219900101X125", "15 digits old"])
def test_bad_shape(raw):
    with pytest.raises(ValueError, match="18 characters"):
        v.parse_id_number(raw)


def test_id_messages_are_chinese_by_default():
    with translation.override("zh-hans"), pytest.raises(ValueError) as exc:
        v.parse_id_number("123")
    assert str(exc.value)  # a message is always given (translated where a catalogue exists)


# --- credit codes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("org8", "check"),
    [("D2143569", "X"), ("12345678", "8"), ("00000001", "9"), ("MA0TEST1", None)],
)
def test_org_code_check_char(org8, check):
    result = v.org_code_check_char(org8)
    assert result in "0123456789X"
    if check is not None:
        assert result == check


@pytest.mark.parametrize(
    "code",
    [
        make_credit_code("530302", 1, "52"),  # 社会服务机构 in 麒麟区
        make_credit_code("110105", 12345678, "91"),  # enterprise in 朝阳区
        make_credit_code("440300", 31415926, "12"),  # public institution in 深圳
        make_credit_code("530381", 7, "92"),  # individual business in 宣威
    ],
)
def test_computed_credit_codes_are_valid(code):
    assert len(code) == 18
    assert v.validate_credit_code(code) == code


def test_credit_code_normalised():
    code = make_credit_code("530302", 42, "91")
    assert v.validate_credit_code(" " + code.lower() + " ") == code


def test_credit_code_wrong_check_char():
    code = make_credit_code("530302", 42, "91")
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    wrong = code[:17] + alphabet[(alphabet.index(code[17]) + 1) % 31]
    with pytest.raises(ValueError, match="check character is wrong"):
        v.validate_credit_code(wrong)


def test_credit_code_wrong_org_check_char():
    code = make_credit_code("530302", 42, "91")
    org_check = code[16]
    wrong16 = code[:16] + ("1" if org_check != "1" else "2")
    wrong = wrong16 + v.uscc_check_char(wrong16)  # outer check right, inner one wrong
    with pytest.raises(ValueError, match="organisation code"):
        v.validate_credit_code(wrong)


@pytest.mark.parametrize("raw", ["", "91530302", "91530302000012345I", "9153030200001234O7", "X" * 19])
def test_credit_code_shape(raw):
    with pytest.raises(ValueError, match="18 digits or capital letters"):
        v.validate_credit_code(raw)


# --- phones and region codes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("13812345678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("19900001111", "19900001111"),
    ],
)
def test_valid_phones(raw, clean):
    assert v.validate_phone(raw) == clean


@pytest.mark.parametrize("raw", ["", "12812345678", "1381234567", "138123456789", "0871-1234567", "abc"])
def test_invalid_phones(raw):
    with pytest.raises(ValueError, match="11 digits"):
        v.validate_phone(raw)


@pytest.mark.parametrize("raw", ["530000", "530302", "530302001", " 530302 "])
def test_valid_region_codes(raw):
    assert v.validate_region_code(raw) == raw.strip()


@pytest.mark.parametrize("raw", ["", "5303", "5303020", "53030200", "53030A", "5303020011"])
def test_invalid_region_codes(raw):
    with pytest.raises(ValueError, match="6 digits"):
        v.validate_region_code(raw)
