"""Roster row validation (pure): headers, every row error (in the active language), duplicates, dates."""

from datetime import date, datetime

import pytest
from django.utils.translation import gettext as _
from django.utils.translation import override

from lms.registry.models import Post
from lms.registry.roster_file import RosterTable
from lms.registry.staff_rows import map_header, parse_date, validate_rows
from tests.factories import make_id_number

TODAY = date(2025, 6, 1)
HEADER = ["姓名", "身份证号", "手机号", "岗位", "入职日期", "离职日期", "健康体检日期"]
ID1 = make_id_number(serial=1)
ID2 = make_id_number(serial=2, gender="M")


def row(**over):
    values = {
        "name": "张小华",
        "id": ID1,
        "phone": "13812345678",
        "post": "保育人员",
        "start": "2024-03-01",
        "end": "",
        "health": "2025-02-20",
    }
    values.update(over)
    return [values[k] for k in ("name", "id", "phone", "post", "start", "end", "health")]


def table(*rows, header=HEADER):
    return RosterTable(header=list(header), rows=[(i + 2, list(r)) for i, r in enumerate(rows)])


def only_error(*rows):
    valid, errors = validate_rows(table(*rows), today=TODAY)
    assert valid == []
    assert len(errors) == 1, errors
    return errors[0]


@pytest.fixture(autouse=True)
def _chinese():
    """The platform speaks Chinese: every message is built with zh-hans active; the expected text is
    the same msgid looked up in the same language (the catalogue's wording where it has one)."""
    with override("zh-hans"):
        yield


def test_valid_row():
    valid, errors = validate_rows(table(row()), today=TODAY)
    assert errors == []
    (r,) = valid
    assert (r.row, r.name, r.id.value, r.phone, r.post) == (2, "张小华", ID1, "13812345678", Post.CAREGIVER)
    assert (r.start_date, r.end_date, r.health_check_date) == (date(2024, 3, 1), None, date(2025, 2, 20))


def test_header_aliases_and_order():
    header = ["公民身份号码", "员工姓名", "岗位类别", "到岗日期", "联系电话", "Health_Check_Date"]
    t = RosterTable(header=header, rows=[(2, [ID1, "张小华", "育婴员", "2024/3/1", "13812345678", "2025年2月20日"])])
    (r,), errors = validate_rows(t, today=TODAY)
    assert errors == []
    assert (r.name, r.post, r.start_date, r.health_check_date) == (
        "张小华",
        Post.CAREGIVER,
        date(2024, 3, 1),
        date(2025, 2, 20),
    )


def test_header_marks_and_full_width_tolerated():
    index, errors = map_header(["*姓名", " 身份证号 ", "岗位*", "入职日期", "ＰＨＯＮＥ"])
    assert errors == []
    assert index == {"name": 0, "id_number": 1, "post": 2, "start_date": 3, "phone": 4}


def test_missing_required_column():
    _valid, errors = validate_rows(table(row()[:3], header=HEADER[:3]), today=TODAY)
    assert [(e.row, e.column) for e in errors] == [(1, "岗位"), (1, "入职日期")]
    assert errors[0].message == _("The required column “%(column)s” is missing.") % {"column": "岗位"}


def test_repeated_column():
    _index, errors = map_header([*HEADER, "姓名"])
    assert errors[0].message == _("The column appears twice.")


@pytest.mark.parametrize(
    ("over", "column", "msgid"),
    [
        ({"name": ""}, "姓名", "The name is empty."),
        ({"name": "张" * 51}, "姓名", "The name is longer than 50 characters."),
        ({"id": ""}, "身份证号", "The ID number is empty"),
        ({"id": ID1[:17]}, "身份证号", "An ID number has 18 characters: 17 digits, then a digit or X"),
        ({"id": ID1[:17] + ("1" if ID1[17] != "1" else "2")}, "身份证号", "The ID number's check digit is wrong"),
        ({"phone": "12345"}, "手机号", "A mobile number has 11 digits and starts with 1"),
        ({"post": ""}, "岗位", "The post is empty."),
        ({"start": ""}, "入职日期", "The start date is empty."),
        ({"start": "2099-01-01"}, "入职日期", "The start date is in the future."),
        ({"end": "2024-01-01"}, "离职日期", "The end date is before the start date."),
        ({"health": "2099-01-01"}, "健康体检日期", "The health check date is in the future."),
    ],
)
def test_row_errors(over, column, msgid):
    error = only_error(row(**over))
    assert (error.row, error.column) == (2, column)
    assert error.message == _(msgid)


def test_unknown_post():
    error = only_error(row(post="厨师"))
    assert error.column == "岗位"
    assert error.message == _("Unknown post “%(post)s”: use 保育人员, 卫生保健人员, 负责人 or 其他.") % {"post": "厨师"}


@pytest.mark.parametrize(
    ("text", "msgid"),
    [
        ("下周一", "“%(value)s” is not a date; write it as 2024-03-01."),
        ("2024-02-30", "“%(value)s” is not a real date."),
    ],
)
def test_bad_dates(text, msgid):
    error = only_error(row(start=text))
    assert error.column == "入职日期"
    assert error.message == _(msgid) % {"value": text}


def test_excel_number_id():
    error = only_error(row(id=float(ID1[:17] + "0")))
    assert error.column == "身份证号"
    assert error.message == _("Excel stored the ID number as a number and lost digits: format the column as text.")


def test_every_bad_row_is_reported_and_good_rows_kept():
    rows = [row(), row(id=ID2, name="", post="厨师"), row(id="x", name="王五")]
    valid, errors = validate_rows(table(*rows), today=TODAY)
    assert [r.row for r in valid] == [2]
    assert sorted((e.row, e.column) for e in errors) == [(3, "姓名"), (3, "岗位"), (4, "身份证号")]


def test_duplicate_within_file():
    valid, errors = validate_rows(table(row(), row(post="负责人"), row(id=ID2, name="李四")), today=TODAY)
    assert [r.row for r in valid] == [2, 4]
    (error,) = errors
    assert (error.row, error.column) == (3, "身份证号")
    assert error.message == _("The same person (%(name)s) is already on row %(row)d.") % {"name": "张*华", "row": 2}
    assert "张小华" not in error.message  # names are masked in the report


def test_lower_case_x_and_full_width_id_match_as_duplicates():
    x_id = "11010519491231002X"
    valid, errors = validate_rows(table(row(id=x_id), row(id="１１０１０５１９４９１２３１００２ｘ")), today=TODAY)
    assert len(valid) == 1
    assert errors[0].row == 3


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-01", date(2024, 3, 1)),
        ("2024/3/1", date(2024, 3, 1)),
        ("2024.3.1", date(2024, 3, 1)),
        ("2024年3月1日", date(2024, 3, 1)),
        ("20240301", date(2024, 3, 1)),
        (20240301, date(2024, 3, 1)),
        ("2024-03-01 00:00:00", date(2024, 3, 1)),
        (datetime(2024, 3, 1, 8, 30), date(2024, 3, 1)),
        (date(2024, 3, 1), date(2024, 3, 1)),
        ("", None),
        (None, None),
        ("  ", None),
    ],
)
def test_parse_date_formats(value, expected):
    assert parse_date(value) == expected


def test_post_spellings():
    for text, post in [
        ("保育师", Post.CAREGIVER),
        ("保健医生", Post.HEALTH),
        ("园长", Post.DIRECTOR),
        ("其它", Post.OTHER),
        ("Director", Post.DIRECTOR),
    ]:
        valid, errors = validate_rows(table(row(post=text)), today=TODAY)
        assert errors == [] and valid[0].post == post, text


def test_short_rows_are_padded():
    valid, errors = validate_rows(table(row()[:5]), today=TODAY)
    assert errors == []
    assert valid[0].end_date is None and valid[0].health_check_date is None
