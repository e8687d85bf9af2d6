"""Read a staff roster upload (XLSX or CSV) into header + rows of strings (no database).

CSV may be UTF-8, UTF-8 with BOM (Excel's "CSV UTF-8") or GBK/GB18030 (Excel's plain "CSV" on a
Chinese Windows). XLSX is read with openpyxl in read-only mode. Cells come back as they are
(str, int, float, datetime) so that the row validator can tell a date from text and an ID number
Excel has turned into a number.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils.translation import gettext as _

MAX_ROWS = 100_000


class RosterFileError(ValueError):
    """The file as a whole cannot be read (the message is shown to the user)."""


@dataclass
class RosterTable:
    header: list[str]
    rows: list[tuple[int, list[object]]]  # (1-based spreadsheet row number, cells)


def decode_csv(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")  # superset of GBK and GB2312
    except UnicodeDecodeError:
        raise RosterFileError(_("The CSV file is neither UTF-8 nor GBK text. Save it from Excel again.")) from None


def _blank(cells: list[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _table(rows: Iterator[list[object]]) -> RosterTable:
    header: list[str] | None = None
    body: list[tuple[int, list[object]]] = []
    for number, cells in enumerate(rows, start=1):
        if _blank(cells):
            continue
        if header is None:
            header = ["" if c is None else str(c).strip() for c in cells]
            continue
        body.append((number, cells))
        if len(body) > MAX_ROWS:
            raise RosterFileError(_("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
    if header is None:
        raise RosterFileError(_("The file is empty."))
    return RosterTable(header=header, rows=body)


def read_csv(data: bytes) -> RosterTable:
    text = decode_csv(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return _table(list(r) for r in csv.reader(io.StringIO(text, newline=""), dialect))


def read_xlsx(data: bytes) -> RosterTable:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise RosterFileError(_("The file is not a valid .xlsx workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        return _table(list(r) for r in sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def read_roster(data: bytes, filename: str) -> RosterTable:
    name = filename.lower()
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return read_xlsx(data)
    if name.endswith((".csv", ".txt")):
        return read_csv(data)
    if name.endswith(".xls"):
        raise RosterFileError(_("Old .xls workbooks are not supported: save the file as .xlsx or CSV."))
    raise RosterFileError(_("Upload an .xlsx or .csv file."))


def _jsonable(cell: object) -> object:
    if cell is None or isinstance(cell, str | int | float) and not isinstance(cell, bool):
        return cell
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time(0) else cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def dump_table(table: RosterTable) -> bytes:
    """Serialize a parsed roster so that a later import need not parse the workbook again.

    Dates become ISO text (which the row validator reads back as the same date); numbers stay
    numbers, so an ID number that Excel stored as a number is still recognised as one.
    """
    body = {"header": table.header, "rows": [[n, [_jsonable(c) for c in cells]] for n, cells in table.rows]}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def load_table(data: bytes) -> RosterTable:
    body = json.loads(data)
    return RosterTable(header=body["header"], rows=[(n, cells) for n, cells in body["rows"]])
