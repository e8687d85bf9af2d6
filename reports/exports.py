"""Tables as files: XLSX (formatted, one sheet per table), CSV (UTF-8 with BOM for Excel) and JSON.

Headers are the tables' translated column labels (Chinese in the default language). Rates are percentages
shown with one decimal, hours with one decimal, counts with thousands separators. No database access.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from . import xlsx
from .selectors.statistics import Table

INT_FORMAT, DECIMAL_FORMAT = xlsx.INT_FORMAT, xlsx.DECIMAL_FORMAT
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
    """Plain Python cell values: NaN/None -> None, numpy scalars -> int/float/bool, everything else as is."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return [bool(v) for v in series.to_numpy()]
    if pd.api.types.is_integer_dtype(series.dtype):
        return [int(v) for v in series.to_numpy()]
    if pd.api.types.is_float_dtype(series.dtype):
        return [None if math.isnan(v) else float(v) for v in series.to_numpy(dtype=float)]
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in series.tolist()]


def _kind(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series.dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(series.dtype):
        return "int"
    if pd.api.types.is_float_dtype(series.dtype):
        return "decimal"
    return "text"


def _width(header: str, values: list, kind: str) -> float:
    if kind in ("int", "decimal"):
        numbers = [v for v in values if v is not None]
        pattern = "{:,}" if kind == "int" else "{:,.1f}"
        longest = max((len(pattern.format(v)) for v in (min(numbers), max(numbers))), default=1) if numbers else 1
    else:
        longest = max((_text_width(str(v)) for v in values[:2000] if v is not None), default=1)
    return min(MAX_WIDTH, max(longest, _text_width(header)) + 2)


def _sheet(table: Table, used: set[str]) -> xlsx.Sheet:
    columns = []
    for key, label in table.columns:
        series = table.frame[key] if key in table.frame else pd.Series([None] * len(table.frame), dtype=object)
        values, kind = _cell_values(series), _kind(series)
        columns.append(xlsx.Column(header=str(label), width=_width(str(label), values, kind), kind=kind, values=values))
    return xlsx.Sheet(name=_sheet_name(table.title, used), columns=columns)


def to_xlsx(tables: Iterable[Table]) -> bytes:
    """An XLSX workbook with one sheet per table: bold, filled, frozen header row, column widths, number formats
    (counts ``#,##0``, rates and hours ``#,##0.0``). Written by :mod:`reports.xlsx` (openpyxl took ~10 s for a
    30,000-row table)."""
    used: set[str] = set()
    sheets = [_sheet(table, used) for table in tables]
    return xlsx.workbook(sheets or [xlsx.Sheet(name="Sheet", columns=[])])


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
