"""Certificate number formats (pure)."""

import re

import pytest

from certificates import numbering


def test_skill_number_is_22_characters_in_the_national_layout():
    prefix = numbering.skill_prefix(assessor="S", body="qjpx", region_code="530302", year=2026, level=3)
    number = numbering.with_serial(prefix, 1)
    assert number == "SQJPX53530302263000001"
    assert len(number) == 22
    # [Y|S] + body(4) + province(2) + site(6) + year(2) + level(1) + serial(6)
    assert (number[0], number[1:5], number[5:7], number[7:13], number[13:15], number[15], number[16:]) == (
        "S",
        "QJPX",
        "53",
        "530302",
        "26",
        "3",
        "000001",
    )


def test_skill_site_is_the_county_level_code_of_a_township():
    assert numbering.skill_prefix(assessor="Y", body="P001", region_code="530302001", year=2030, level=5) == (
        "YP00153530302305"
    )


def test_training_and_award_numbers():
    assert numbering.with_serial(numbering.training_prefix(body="QJPX", year=2026), 42) == "PXQJPX2026000042"
    assert len(numbering.with_serial(numbering.training_prefix(body="QJPX", year=2026), 42)) == 16
    assert numbering.with_serial(numbering.award_prefix(year=2027), 7) == "HJ2027000007"


def test_platform_issued_certificates_use_a_zero_body_code():
    assert numbering.body_code(None) == numbering.body_code("") == "0000"
    assert numbering.body_code("ab12") == "AB12"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"assessor": "X", "body": "QJPX", "region_code": "530302", "year": 2026, "level": 3},
        {"assessor": "S", "body": "QJP", "region_code": "530302", "year": 2026, "level": 3},
        {"assessor": "S", "body": "QJ-X", "region_code": "530302", "year": 2026, "level": 3},
        {"assessor": "S", "body": "QJPX", "region_code": "5303", "year": 2026, "level": 3},
        {"assessor": "S", "body": "QJPX", "region_code": "530302", "year": 1999, "level": 3},
        {"assessor": "S", "body": "QJPX", "region_code": "530302", "year": 2026, "level": 0},
        {"assessor": "S", "body": "QJPX", "region_code": "530302", "year": 2026, "level": 6},
    ],
)
def test_malformed_parts_are_refused(kwargs):
    with pytest.raises(numbering.NumberError):
        numbering.skill_prefix(**kwargs)


def test_serials_are_bounded():
    assert numbering.with_serial("HJ2026", numbering.MAX_SERIAL) == "HJ2026999999"
    for serial in (0, numbering.MAX_SERIAL + 1):
        with pytest.raises(numbering.NumberError):
            numbering.with_serial("HJ2026", serial)


def test_every_number_fits_the_payload_alphabet():
    for number in (
        numbering.with_serial(
            numbering.skill_prefix(assessor="Y", body="ZZ99", region_code="659001", year=2099, level=1), 999999
        ),
        numbering.with_serial(numbering.training_prefix(body="0000", year=2000), 1),
    ):
        assert re.fullmatch(r"[0-9A-Z]{1,24}", number)
