"""Reading roster uploads: CSV in UTF-8 / UTF-8-BOM / GBK, XLSX, and refusals (no DB)."""

import io
from datetime import datetime

import pytest
from django.utils import translation
from openpyxl import Workbook

from lms.registry.roster_file import MAX_ROWS, RosterFileError, decode_csv, read_roster

HEADER = ["姓名", "身份证号", "手机号", "岗位", "入职日期"]
ROW = ["张小华", "530302199001011238", "13812345678", "保育人员", "2024-03-01"]


def csv_text(*rows) -> str:
    return "\r\n".join(",".join(r) for r in rows) + "\r\n"


def xlsx_bytes(*rows) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
        lambda t: t.encode("gbk"),
        lambda t: t.encode("gb18030"),
    ],
    ids=["utf-8", "utf-8-bom", "gbk", "gb18030"],
)
def test_csv_encodings(encode):
    table = read_roster(encode(csv_text(HEADER, ROW)), "花名册.csv")
    assert table.header == HEADER
    assert table.rows == [(2, ROW)]


def test_bom_not_part_of_first_header():
    table = read_roster(b"\xef\xbb\xbf" + csv_text(HEADER, ROW).encode(), "r.csv")
    assert table.header[0] == "姓名"


def test_semicolon_and_tab_delimited_csv():
    for sep in (";", "\t"):
        text = "\n".join(sep.join(r) for r in (HEADER, ROW))
        assert read_roster(text.encode(), "r.csv").rows[0][1] == ROW


def test_blank_lines_skipped_and_row_numbers_kept():
    text = csv_text(HEADER, ["", "", "", "", ""], ROW)
    table = read_roster(text.encode(), "r.csv")
    assert table.rows == [(3, ROW)]


def test_undecodable_csv():
    with pytest.raises(RosterFileError, match="neither UTF-8 nor GBK"):
        decode_csv(b"\x81\x20\xff\xfe\x80")


def test_empty_file():
    with pytest.raises(RosterFileError, match="empty"):
        read_roster(b"\r\n\r\n", "r.csv")


def test_xlsx_keeps_cell_types():
    data = xlsx_bytes(HEADER, ["张小华", 530302199001011238, None, "保育人员", datetime(2024, 3, 1)])
    table = read_roster(data, "花名册.xlsx")
    assert table.header == HEADER
    number, cells = table.rows[0]
    assert number == 2
    assert cells[0] == "张小华"
    assert isinstance(cells[1], int | float)  # Excel keeps numbers as doubles: digits are lost
    assert cells[4] == datetime(2024, 3, 1)


def test_xlsx_detected_by_content_whatever_the_name():
    assert read_roster(xlsx_bytes(HEADER, ROW), "upload.bin").header == HEADER


def test_bad_zip():
    with pytest.raises(RosterFileError, match="not a valid .xlsx"):
        read_roster(b"PK\x03\x04 this is not really a zip", "r.xlsx")


def test_xlsx_name_with_garbage_content():
    with pytest.raises(RosterFileError, match="not a valid .xlsx"):
        read_roster(b"just text", "r.xlsx")


def test_xls_refused():
    with pytest.raises(RosterFileError, match=r"\.xls workbooks are not supported"):
        read_roster(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.XLS")


def test_other_extensions_refused():
    with pytest.raises(RosterFileError, match="Upload an .xlsx or .csv"):
        read_roster(b"name,id\n", "roster.pdf")


def test_too_many_rows(monkeypatch):
    monkeypatch.setattr("lms.registry.roster_file.MAX_ROWS", 3)
    text = csv_text(HEADER, *[ROW] * 4)
    with pytest.raises(RosterFileError, match="more than 3 rows"):
        read_roster(text.encode(), "r.csv")
    assert MAX_ROWS == 100_000


def test_dump_and_load_keep_what_validation_needs():
    from datetime import date, datetime

    from lms.registry.roster_file import RosterTable, dump_table, load_table

    table = RosterTable(
        header=["姓名", "身份证号", "入职日期", "离职日期"],
        rows=[
            (2, ["张三", 530302199001011234, datetime(2024, 3, 1), date(2024, 5, 1)]),
            (3, ["李四", None, True, 1.5]),
        ],
    )
    loaded = load_table(dump_table(table))
    assert loaded.header == table.header
    # numbers stay numbers (an ID that Excel stored as a number is still caught); dates become ISO text
    assert loaded.rows == [
        (2, ["张三", 530302199001011234, "2024-03-01", "2024-05-01"]),
        (3, ["李四", None, "True", 1.5]),
    ]
