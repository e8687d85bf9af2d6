"""Tables as files: XLSX (formatted, one sheet per table), CSV (UTF-8 with BOM for Excel) and JSON.

Headers are the tables' translated column labels (Chinese in the default language). Rates are percentages
shown with one decimal, hours with one decimal, counts with thousands separators. No database access.

XLSX files are written by XlsxWriter a column at a time (``write_column`` with the column's number format):
each column's values are converted once from numpy to plain Python (NaN and None to empty cells).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable
from datetime import date, datetime, time

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from .selectors.statistics import Table

INT_FORMAT, DECIMAL_FORMAT = "#,##0", "#,##0.0"
HEADER_FILL = "#DDEBF7"
UNDATED = datetime(2000, 1, 1)  # the creation date written into files of tables without a report date
MAX_WIDTH = 50
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
# XML 1.0 does not allow these control characters: dropped from text cells
_CONTROL = str.maketrans({chr(c): None for c in (*range(0, 9), 11, 12, *range(14, 32))})
WORKBOOK_OPTIONS = {
    # in_memory: no temporary files. XlsxWriter ignores constant_memory when in_memory is set: it keeps the sheet's
    # cells until the workbook is closed, which is what lets whole columns be written one after the other (with
    # constant_memory in force, rows are flushed as soon as a later row is written).
    "in_memory": True,
    "constant_memory": True,
    # text stays text: no formulas ("=…" in a name), links or numbers made out of strings
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def _text_width(text: str) -> int:
    """Display width in Excel's character units: CJK characters are two wide."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _sheet_name(title: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub(" ", title)[:31].strip() or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _kind(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series.dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(series.dtype):
        return "int"
    if pd.api.types.is_float_dtype(series.dtype):
        return "decimal"
    return "text"


def _cell_values(series: pd.Series, kind: str) -> list:
    """Plain Python cell values of one column: NaN/None/"" -> None (an empty cell), numpy scalars -> bool/int/
    float, anything else -> text without the control characters XML does not allow."""
    if kind == "bool":
        return series.to_numpy(dtype=bool).tolist()
    if kind == "int":
        return series.to_numpy(dtype=np.int64).tolist()
    if kind == "decimal":
        return [None if math.isnan(v) else v for v in series.to_numpy(dtype=float).tolist()]
    return [
        None if v is None or v == "" or (isinstance(v, float) and math.isnan(v)) else str(v).translate(_CONTROL)
        for v in series.tolist()
    ]


def _width(header: str, values: list, kind: str) -> float:
    if kind in ("int", "decimal"):
        numbers = [v for v in values if v is not None]
        pattern = "{:,}" if kind == "int" else "{:,.1f}"
        longest = max((len(pattern.format(v)) for v in (min(numbers), max(numbers))), default=1) if numbers else 1
    elif kind == "bool":
        longest = 5  # FALSE
    else:
        longest = max((_text_width(v) for v in values[:2000] if v is not None), default=1)
    return min(MAX_WIDTH, max(longest, _text_width(header)) + 2)


def _write_sheet(sheet: Worksheet, table: Table, formats: dict[str, Format | None]) -> None:
    """``table`` on ``sheet``: the header row (bold, filled, frozen) and one column per displayed key (a key
    missing from the frame gives an empty column)."""
    sheet.freeze_panes(1, 0)
    for col, (key, label) in enumerate(table.columns):
        header = str(label).translate(_CONTROL)
        series = table.frame[key] if key in table.frame else pd.Series([None] * len(table.frame), dtype=object)
        kind = _kind(series)
        values = _cell_values(series, kind)
        cell_format = formats.get(kind)
        sheet.set_column(col, col, _width(header, values, kind), cell_format)
        sheet.write_string(0, col, header, formats["header"])
        sheet.write_column(1, col, values, cell_format)


def _created(tables: list[Table]) -> datetime:
    dates = [table.meta["on"] for table in tables if table.meta.get("on")]
    return datetime.combine(date.fromisoformat(max(dates)), time.min) if dates else UNDATED


def to_xlsx(tables: Iterable[Table]) -> bytes:
    """An XLSX workbook with one sheet per table (unique names of at most 31 characters): bold, filled, frozen
    header row, column widths, number formats (counts ``#,##0``, rates and hours ``#,##0.0``), booleans and
    empty cells for missing values. An empty list gives one empty sheet.

    The same tables give the same bytes (report packs are stored with their SHA-256): the file's creation date is
    the latest report date of the tables, not the time of writing."""
    tables = list(tables)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    workbook.set_properties({"created": _created(tables)})
    formats = {
        "header": workbook.add_format(
            {"bold": True, "bg_color": HEADER_FILL, "align": "center", "valign": "vcenter", "text_wrap": True}
        ),
        "int": workbook.add_format({"num_format": INT_FORMAT}),
        "decimal": workbook.add_format({"num_format": DECIMAL_FORMAT}),
    }
    used: set[str] = set()
    for table in tables:
        _write_sheet(workbook.add_worksheet(_sheet_name(table.title, used)), table, formats)
    if not workbook.worksheets():
        workbook.add_worksheet("Sheet")
    workbook.close()
    return buffer.getvalue()


def to_csv(table: Table) -> bytes:
    """The table as CSV in UTF-8 with a BOM (so Excel detects the encoding), translated headers."""
    keys = [key for key, _ in table.columns]
    frame = table.frame.reindex(columns=keys)
    frame.columns = [str(label) for _, label in table.columns]
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _json_value(value):
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def to_json(table: Table) -> dict:
    """The table as a JSON-ready dict: indicator, title, columns (key, label), rows (key -> value), target(s),
    meta. Numbers stay numbers (NaN -> null), dates are ISO strings, targets are decimal strings."""
    keys = [key for key, _ in table.columns]
    extra = [key for key in ("id",) if key in table.frame and key not in keys]
    frame = table.frame.reindex(columns=extra + keys)
    rows = [
        {key: _json_value(value) for key, value in zip(frame.columns, record, strict=True)}
        for record in frame.itertuples(index=False, name=None)
    ]
    return {
        "indicator": table.indicator,
        "title": table.title,
        "unit": table.unit,
        "value_key": table.value_key,
        "columns": [{"key": key, "label": str(label)} for key, label in table.columns],
        "rows": rows,
        "target": None if table.target is None else str(table.target),
        "targets": {measure: str(value) for measure, value in table.targets.items()},
        "meta": table.meta,
    }
