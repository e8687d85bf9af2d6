"""Masking of personal data for people who do not need it in full (pure)."""

import pytest

from lms.registry.masking import mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("530102199001011234", "530102********1234"),
        ("11010519491231002X", "110105********002X"),
        ("123456789", "*********"),
        ("", ""),
    ],
)
def test_mask_id_number(value, masked):
    assert mask_id_number(value) == masked


def test_masked_id_hides_birth_date():
    masked = mask_id_number("530102199001011234")
    assert "19900101" not in masked
    assert len(masked) == 18


@pytest.mark.parametrize(
    ("value", "masked"),
    [("13812345678", "138****5678"), ("123456", "******"), ("", "")],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [("张", "张"), ("张三", "张*"), ("张小华", "张*华"), ("欧阳小华", "欧**华"), ("", "")],
)
def test_mask_name(value, masked):
    assert mask_name(value) == masked
