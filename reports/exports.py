"""Tables as files: XLSX (formatted, one sheet per table), CSV (UTF-8 with BOM for Excel) and JSON.

Headers are the tables' translated column labels (Chinese in the default language). Rates are percentages
shown with one decimal, hours with one decimal, counts with thousands separators. No database access.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .selectors.statistics import Table

INT_FORMAT, DECIMAL_FORMAT = "#,##0", "#,##0.0"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
MAX_WIDTH = 50
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


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


def _cell_values(series: pd.Series) -> list:
    """Python values for openpyxl: NaN/None -> None, numpy scalars -> int/float/bool, everything else as is."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return [bool(v) for v in series.to_numpy()]
    if pd.api.types.is_integer_dtype(series.dtype):
        return [int(v) for v in series.to_numpy()]
    if pd.api.types.is_float_dtype(series.dtype):
        return [None if math.isnan(v) else float(v) for v in series.to_numpy(dtype=float)]
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in series.tolist()]


def _number_format(series: pd.Series) -> str | None:
    if pd.api.types.is_bool_dtype(series.dtype):
        return None
    if pd.api.types.is_integer_dtype(series.dtype):
        return INT_FORMAT
    if pd.api.types.is_float_dtype(series.dtype):
        return DECIMAL_FORMAT
    return None


def _width(header: str, values: list, number_format: str | None) -> float:
    if number_format:
        longest = max((len(f"{v:,.1f}") for v in values if v is not None), default=1)
    else:
        sample = values[:2000]
        longest = max((_text_width(str(v)) for v in sample if v is not None), default=1)
    return min(MAX_WIDTH, max(longest, _text_width(header)) + 2)


def _write_sheet(workbook: Workbook, table: Table, used: set[str]) -> None:
    sheet = workbook.create_sheet(_sheet_name(table.title, used))
    sheet.freeze_panes = "A2"
    keys = [key for key, _ in table.columns]
    headers = [str(label) for _, label in table.columns]
    frame = table.frame
    columns = [_cell_values(frame[key]) if key in frame else [None] * len(frame) for key in keys]
    formats = [_number_format(frame[key]) if key in frame else None for key in keys]
    for index, (header, values, number_format) in enumerate(zip(headers, columns, formats, strict=True)):
        sheet.column_dimensions[get_column_letter(index + 1)].width = _width(header, values, number_format)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        header_cells.append(cell)
    sheet.append(header_cells)
    styled = [i for i, f in enumerate(formats) if f]
    for row in zip(*columns, strict=True) if columns else []:
        if styled:
            row = list(row)
            for i in styled:
                if row[i] is not None:
                    cell = WriteOnlyCell(sheet, value=row[i])
                    cell.number_format = formats[i]
                    row[i] = cell
        sheet.append(row)


def to_xlsx(tables: Iterable[Table]) -> bytes:
    """An XLSX workbook with one sheet per table: bold frozen header row, column widths, number formats."""
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for table in tables:
        _write_sheet(workbook, table, used)
    if not used:
        workbook.create_sheet("Sheet")
    buffer = io.BytesIO()
    workbook.save(buffer)
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
