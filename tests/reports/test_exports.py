"""reports.exports: tables as XLSX, CSV and JSON (no database)."""

import io
from decimal import Decimal

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from reports import exports
from reports.selectors.statistics import Table


def table(title="持证上岗率 · 曲靖市 · 2025-06-30", rows=None):
    frame = pd.DataFrame(
        rows
        or {
            "unit": ["530302", "530381"],
            "id": [3, 5],
            "code": ["530302", "530381"],
            "name": ["麒麟区", "宣威市"],
            "staff": np.array([1200, 0], dtype="int64"),
            "rate": [66.67, np.nan],
        }
    )
    return Table(
        indicator="certified_rate",
        title=title,
        columns=[("code", "代码"), ("name", "名称"), ("staff", "在岗人数"), ("rate", "持证上岗率(%)")],
        frame=frame,
        target=Decimal("70"),
        value_key="rate",
        unit="%",
        targets={"": Decimal("70")},
        meta={"region": "530300"},
    )


def test_xlsx_has_bold_frozen_headers_formats_and_widths():
    content = exports.to_xlsx([table(), table(title="持证上岗率 · 曲靖市 · 2025-06-30")])
    workbook = load_workbook(io.BytesIO(content))
    assert len(workbook.sheetnames) == 2  # same title twice -> distinct sheet names
    assert len(set(workbook.sheetnames)) == 2
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == ["代码", "名称", "在岗人数", "持证上岗率(%)"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[2]] == ["530302", "麒麟区", 1200, 66.67]
    assert sheet["C2"].number_format == exports.INT_FORMAT
    assert sheet["D2"].number_format == exports.DECIMAL_FORMAT
    assert sheet["D3"].value is None  # NaN -> empty cell
    assert sheet.column_dimensions["B"].width >= 8  # two CJK characters are four wide, plus the header
    assert sheet.column_dimensions["D"].width >= exports._text_width("持证上岗率(%)")


def test_sheet_names_drop_forbidden_characters():
    workbook = load_workbook(io.BytesIO(exports.to_xlsx([table(title="a/b:c*d?[e]" + "x" * 40)])))
    name = workbook.sheetnames[0]
    assert len(name) <= 31 and not set(name) & set("/\\:*?[]")


def test_csv_is_utf8_with_bom_and_translated_headers():
    content = exports.to_csv(table())
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "代码,名称,在岗人数,持证上岗率(%)"
    assert lines[1] == "530302,麒麟区,1200,66.67"
    assert lines[2] == "530381,宣威市,0,"


def test_json_keeps_numbers_and_turns_nan_into_null():
    data = exports.to_json(table())
    assert data["indicator"] == "certified_rate"
    assert data["columns"][0] == {"key": "code", "label": "代码"}
    assert data["rows"][0] == {"id": 3, "code": "530302", "name": "麒麟区", "staff": 1200, "rate": 66.67}
    assert data["rows"][1]["rate"] is None
    assert isinstance(data["rows"][0]["staff"], int)
    assert data["target"] == "70"
    assert data["targets"] == {"": "70"}
    assert data["value_key"] == "rate"


def test_xlsx_escapes_text_and_writes_booleans_and_empty_cells():
    frame = pd.DataFrame(
        {
            "name": ["A & B <托育>", "bad\x01char", None],
            "certified": [True, False, True],
            "hours": [1.5, np.nan, 2.0],
        }
    )
    tab = Table(
        indicator="staff_list",
        title="名单",
        columns=[("name", "姓名"), ("certified", "持证"), ("hours", "学时"), ("missing", "无")],
        frame=frame,
        target=None,
    )
    sheet = load_workbook(io.BytesIO(exports.to_xlsx([tab]))).worksheets[0]
    assert [c.value for c in sheet[1]] == ["姓名", "持证", "学时", "无"]
    assert [c.value for c in sheet["A"]][1:] == ["A & B <托育>", "badchar", None]
    assert [c.value for c in sheet["B"]][1:] == [True, False, True]
    assert [c.value for c in sheet["C"]][1:] == [1.5, None, 2.0]
    assert sheet["D2"].value is None


def test_xlsx_text_stays_text_and_the_header_is_filled():
    frame = pd.DataFrame({"name": ["=1+1", "http://example.com", "007"], "staff": np.array([1, 2, 3])})
    tab = Table(indicator="x", title="t", columns=[("name", "名称"), ("staff", "人数")], frame=frame, target=None)
    sheet = load_workbook(io.BytesIO(exports.to_xlsx([tab]))).worksheets[0]
    assert [c.value for c in sheet["A"]][1:] == ["=1+1", "http://example.com", "007"]
    assert all(c.data_type == "s" for c in sheet["A"][1:])
    assert not sheet._hyperlinks
    assert sheet["A1"].fill.fgColor.rgb.endswith("DDEBF7")
    assert [c.value for c in sheet["B"]][1:] == [1, 2, 3]


def test_a_large_table_is_written_whole():
    n = 5000
    frame = pd.DataFrame(
        {"name": [f"机构{i}" for i in range(n)], "staff": np.arange(n), "rate": np.linspace(0, 100, n)}
    )
    tab = Table(indicator="x", title="t", columns=[("name", "名称"), ("staff", "人数"), ("rate", "率")], frame=frame,
                target=None)  # fmt: skip
    sheet = load_workbook(io.BytesIO(exports.to_xlsx([tab])), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == n
    assert rows[0] == ("机构0", 0, 0.0) and rows[-1] == (f"机构{n - 1}", n - 1, 100.0)


def test_an_empty_workbook_still_opens():
    workbook = load_workbook(io.BytesIO(exports.to_xlsx([])))
    assert workbook.sheetnames == ["Sheet"]
