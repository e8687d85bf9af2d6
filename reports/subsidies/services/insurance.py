"""Unemployment insurance periods: declared one by one or imported as a CSV by HR officers (platform admins too).

CSV columns (a header row first; UTF-8, with or without BOM): ``id_number``, ``first_month``, ``last_month``
(empty = still insured), ``insurer`` (optional). Months as ``2023-01``, ``2023-01-15``, ``2023/01`` or ``202301``.
Chinese headers (身份证号, 起始月份, 终止月份, 参保单位) are accepted too. Rows whose person is unknown or outside
the officer's region are reported, not imported; an existing period (same person and first month) is updated.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lms.registry import audit
from lms.registry.models import Person
from lms.registry.selectors import person_by_id_number
from lms.registry.validators import normalize

from .. import selectors
from ..models import InsuranceRecord

MONTH_RE = re.compile(r"^(\d{4})[-/.]?(\d{1,2})(?:[-/.]\d{1,2})?$")
HEADERS = {
    "id_number": "id_number",
    "身份证号": "id_number",
    "first_month": "first_month",
    "起始月份": "first_month",
    "last_month": "last_month",
    "终止月份": "last_month",
    "insurer": "insurer",
    "参保单位": "insurer",
}
MAX_ROWS = 20_000


def parse_month(value: str) -> date | None:
    """``"2023-01"`` -> date(2023, 1, 1); empty -> None; ValueError if it is not a month."""
    value = (value or "").strip()
    if not value:
        return None
    match = MONTH_RE.match(value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(value)
    return date(int(match.group(1)), int(match.group(2)), 1)


def _authorize(actor, person: Person) -> None:
    if actor is not None and not selectors.insurance_people_for(actor).filter(pk=person.pk).exists():
        raise PermissionDenied(_("You may not record insurance periods of this person."))


def _check_months(first_month: date, last_month: date | None) -> None:
    if last_month is not None and last_month < first_month:
        raise ValidationError(_("The last month is before the first month."))


@transaction.atomic
def insurance_record(
    *,
    person: Person,
    first_month: date,
    last_month: date | None = None,
    insurer: str = "",
    source: str = InsuranceRecord.Source.DECLARED,
    actor=None,
) -> InsuranceRecord:
    """Record (or correct) one insured period of ``person``."""
    _authorize(actor, person)
    first_month = first_month.replace(day=1)
    last_month = last_month.replace(day=1) if last_month else None
    _check_months(first_month, last_month)
    record, _created = InsuranceRecord.objects.update_or_create(
        person=person,
        first_month=first_month,
        defaults={
            "last_month": last_month,
            "insurer": insurer.strip()[:120],
            "source": source,
            "recorded_by": actor,
        },
    )
    audit.record(
        record,
        "subsidies.insurance.record",
        actor=actor,
        first_month=first_month.isoformat(),
        last_month=last_month.isoformat() if last_month else None,
        source=source,
    )
    return record


@dataclass
class ImportResult:
    imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number, message); the header is row 1


def _rows(content: bytes):
    text = content.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise ValidationError(_("The file is empty."))
    columns = [HEADERS.get(h.strip().lower(), HEADERS.get(h.strip())) for h in header]
    if "id_number" not in columns or "first_month" not in columns:
        raise ValidationError(_("The file needs the columns id_number and first_month (身份证号, 起始月份)."))
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        yield number, {col: value for col, value in zip(columns, values, strict=False) if col}


def insurance_import(*, content: bytes, actor=None) -> ImportResult:
    """Import a CSV of insured periods (see the module doc); each row in its own transaction, audited as a
    ``subsidies.insurance.record`` with source ``imported``."""
    try:
        rows = list(_rows(content))
    except UnicodeDecodeError as exc:
        raise ValidationError(_("Save the file as UTF-8 CSV.")) from exc
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("At most %(n)d rows per file.") % {"n": MAX_ROWS})
    result = ImportResult()
    for number, row in rows:
        person = person_by_id_number(normalize(row.get("id_number", "")))
        if person is None:
            result.errors.append((number, _("No person with this ID number is registered.")))
            continue
        try:
            first = parse_month(row.get("first_month", ""))
            last = parse_month(row.get("last_month", ""))
        except ValueError:
            result.errors.append((number, _("Write months as YYYY-MM.")))
            continue
        if first is None:
            result.errors.append((number, _("The first month is missing.")))
            continue
        try:
            insurance_record(
                person=person,
                first_month=first,
                last_month=last,
                insurer=row.get("insurer", ""),
                source=InsuranceRecord.Source.IMPORTED,
                actor=actor,
            )
        except PermissionDenied:
            result.errors.append((number, _("This person is not employed in your region.")))
            continue
        except ValidationError as exc:
            result.errors.append((number, "; ".join(exc.messages)))
            continue
        result.imported += 1
    return result
