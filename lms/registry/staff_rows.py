"""Validate staff roster rows (pure: no database).

One function, :func:`validate_rows`, turns a :class:`~.roster_file.RosterTable` into valid
:class:`StaffRow` objects and :class:`RowError` messages, checking everything that can be
checked without the database: columns, ID check digits, phone numbers, posts, dates and
duplicates within the file. ``services.roster`` adds the checks that need the database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .masking import mask_name
from .models.people import Post
from .roster_file import RosterTable
from .validators import IdNumber, parse_id_number, validate_phone


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the header written in the template (Chinese, as the bureaus' forms use)
    required: bool
    aliases: tuple[str, ...]
    help: str


COLUMNS = (
    Column("name", "姓名", True, ("name", "员工姓名"), gettext_lazy("Full name as on the ID card")),
    Column(
        "id_number",
        "身份证号",
        True,
        ("id_number", "身份证号码", "证件号码", "公民身份号码"),
        gettext_lazy("18 characters; format the column as text in Excel"),
    ),
    Column("phone", "手机号", False, ("phone", "手机号码", "联系电话"), gettext_lazy("11-digit mobile number")),
    Column("post", "岗位", True, ("post", "岗位类别"), gettext_lazy("保育人员, 卫生保健人员, 负责人 or 其他")),
    Column(
        "start_date",
        "入职日期",
        True,
        ("start_date", "入职时间", "到岗日期"),
        gettext_lazy("Date in the form 2024-03-01"),
    ),
    Column(
        "end_date",
        "离职日期",
        False,
        ("end_date", "离职时间", "离岗日期"),
        gettext_lazy("Empty while still working here"),
    ),
    Column(
        "health_check_date",
        "健康体检日期",
        False,
        ("health_check_date", "健康合格证日期", "体检日期"),
        gettext_lazy("Date of the latest health certificate (健康合格证)"),
    ),
)

# Accepted spellings of each post (Chinese as written on rosters, and the English codes).
POST_NAMES: dict[str, str] = {
    **{p.value: p.value for p in Post},
    "保育人员": Post.CAREGIVER,
    "保育师": Post.CAREGIVER,
    "保育员": Post.CAREGIVER,
    "育婴员": Post.CAREGIVER,
    "育婴师": Post.CAREGIVER,
    "卫生保健人员": Post.HEALTH,
    "保健人员": Post.HEALTH,
    "保健员": Post.HEALTH,
    "保健医生": Post.HEALTH,
    "负责人": Post.DIRECTOR,
    "机构负责人": Post.DIRECTOR,
    "园长": Post.DIRECTOR,
    "其他": Post.OTHER,
    "其它": Post.OTHER,
}

_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class StaffRow:
    row: int
    name: str
    id: IdNumber
    phone: str
    post: str
    start_date: date
    end_date: date | None
    health_check_date: date | None


def _header_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower().replace(" ", "").replace("*", "")


_HEADER_LOOKUP = {_header_key(alias): col.key for col in COLUMNS for alias in (col.header, col.key, *col.aliases)}


def map_header(header: list[str]) -> tuple[dict[str, int], list[RowError]]:
    """Column key -> index; errors for missing required columns and repeated columns."""
    index: dict[str, int] = {}
    errors: list[RowError] = []
    for i, text in enumerate(header):
        key = _HEADER_LOOKUP.get(_header_key(text))
        if key is None:
            continue
        if key in index:
            errors.append(RowError(1, text, _("The column appears twice.")))
        index[key] = i
    for col in COLUMNS:
        if col.required and col.key not in index:
            errors.append(
                RowError(1, col.header, _("The required column “%(column)s” is missing.") % {"column": col.header})
            )
    return index, errors


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_date(value: object) -> date | None:
    """A date from a cell: a real date, 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日 or 20240301."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    if re.fullmatch(r"\d{8}", text):
        parts = (text[:4], text[4:6], text[6:])
    else:
        m = _DATE_RE.match(text.split(" ")[0])
        if not m:
            raise ValueError(_("“%(value)s” is not a date; write it as 2024-03-01.") % {"value": text})
        parts = m.groups()
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise ValueError(_("“%(value)s” is not a real date.") % {"value": text}) from None


def validate_rows(table: RosterTable, *, today: date) -> tuple[list[StaffRow], list[RowError]]:
    index, errors = map_header(table.header)
    if errors:
        return [], errors
    valid: list[StaffRow] = []
    first_seen: dict[str, tuple[int, str]] = {}
    headers = {c.key: c.header for c in COLUMNS}

    for number, cells in table.rows:

        def cell(key: str, cells=cells) -> object:
            i = index.get(key)
            return cells[i] if i is not None and i < len(cells) else None

        row_errors: list[RowError] = []

        def fail(key: str, message: str, number=number, row_errors=row_errors) -> None:
            row_errors.append(RowError(number, headers[key], message))

        name = _text(cell("name"))
        if not name:
            fail("name", _("The name is empty."))
        elif len(name) > 50:
            fail("name", _("The name is longer than 50 characters."))

        raw_id = cell("id_number")
        ident = None
        if isinstance(raw_id, int | float) and not isinstance(raw_id, bool):
            fail("id_number", _("Excel stored the ID number as a number and lost digits: format the column as text."))
        else:
            try:
                ident = parse_id_number(_text(raw_id), today=today)
            except ValueError as exc:
                fail("id_number", str(exc))

        phone = ""
        if _text(cell("phone")):
            try:
                phone = validate_phone(_text(cell("phone")))
            except ValueError as exc:
                fail("phone", str(exc))

        post_text = _text(cell("post"))
        post = POST_NAMES.get(post_text) or POST_NAMES.get(post_text.lower())
        if not post_text:
            fail("post", _("The post is empty."))
        elif post is None:
            fail(
                "post", _("Unknown post “%(post)s”: use 保育人员, 卫生保健人员, 负责人 or 其他.") % {"post": post_text}
            )

        dates: dict[str, date | None] = {}
        for key in ("start_date", "end_date", "health_check_date"):
            try:
                dates[key] = parse_date(cell(key))
            except ValueError as exc:
                dates[key] = None
                fail(key, str(exc))
        start, end = dates["start_date"], dates["end_date"]
        if start is None and not any(e.column == headers["start_date"] for e in row_errors):
            fail("start_date", _("The start date is empty."))
        if start and start > today:
            fail("start_date", _("The start date is in the future."))
        if start and end and end < start:
            fail("end_date", _("The end date is before the start date."))
        if dates["health_check_date"] and dates["health_check_date"] > today:
            fail("health_check_date", _("The health check date is in the future."))

        if ident is not None:
            seen = first_seen.get(ident.value)
            if seen is not None:
                fail(
                    "id_number",
                    _("The same person (%(name)s) is already on row %(row)d.")
                    % {"name": mask_name(seen[1]), "row": seen[0]},
                )
            else:
                first_seen[ident.value] = (number, name)

        if row_errors:
            errors.extend(row_errors)
            continue
        valid.append(
            StaffRow(
                row=number,
                name=name,
                id=ident,
                phone=phone,
                post=post,
                start_date=start,
                end_date=end,
                health_check_date=dates["health_check_date"],
            )
        )
    return valid, errors
