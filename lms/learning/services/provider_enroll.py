"""Training providers enroll registered learners in their own courses from a roster file.

The file (XLSX or CSV, read by ``registry.roster_file``) needs two columns, 姓名 and 身份证号
(with the same header spellings the staff roster accepts). Only people already in the registry
can be enrolled, and the name on the row must match the registered name. :func:`provider_roster_enroll`
with ``dry_run=True`` reports every row's outcome without writing; with ``dry_run=False`` it
enrolls the rows that may be enrolled through :func:`enroll_many` (one transaction per learner,
each enrollment audited by ``enroll``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.registry.masking import mask_id_number
from lms.registry.models import Person
from lms.registry.roster_file import RosterFileError, RosterTable
from lms.registry.selectors import person_by_id_number
from lms.registry.staff_rows import COLUMNS
from lms.registry.validators import parse_id_number

from ..models import CoursePage, Enrollment
from ..selectors import courses_for_sessions
from .enrollment import enroll_many, enrollment_refusal

MAX_ROWS = 2000

# Row outcomes.
WILL_ENROLL = "will_enroll"
ENROLLED = "enrolled"
ALREADY = "already_enrolled"
REFUSED = "refused"
NOT_REGISTERED = "not_registered"
NAME_MISMATCH = "name_mismatch"
INVALID = "invalid"


@dataclass
class RowOutcome:
    row: int
    name: str
    id_masked: str
    status: str
    message: str = ""
    person: Person | None = None

    @property
    def ok(self) -> bool:
        return self.status in (WILL_ENROLL, ENROLLED, ALREADY)


def _key(text: object) -> str:
    return unicodedata.normalize("NFKC", "" if text is None else str(text)).strip().lower().replace(" ", "")


_WANTED = ("name", "id_number")
_HEADERS = {
    _key(alias): col.key for col in COLUMNS if col.key in _WANTED for alias in (col.header, col.key, *col.aliases)
}


def _name_key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def _text(value: object) -> str:
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def _columns(table: RosterTable) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, text in enumerate(table.header):
        key = _HEADERS.get(_key(text))
        if key and key not in index:
            index[key] = i
    missing = [c.header for c in COLUMNS if c.key in _WANTED and c.key not in index]
    if missing:
        raise RosterFileError(_("The required column “%(column)s” is missing.") % {"column": "、".join(missing)})
    if len(table.rows) > MAX_ROWS:
        raise RosterFileError(_("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
    return index


def _check_row(number: int, cells: list, index: dict[str, int], course, seen: set, today: date) -> RowOutcome:
    def cell(key):
        i = index[key]
        return cells[i] if i < len(cells) else None

    name = _text(cell("name"))
    raw_id = cell("id_number")
    if isinstance(raw_id, int | float) and not isinstance(raw_id, bool):
        return RowOutcome(
            number,
            name,
            "",
            INVALID,
            _("Excel stored the ID number as a number and lost digits: format the column as text."),
        )
    try:
        ident = parse_id_number(_text(raw_id), today=today)
    except ValueError as exc:
        return RowOutcome(number, name, "", INVALID, str(exc))
    masked = mask_id_number(ident.value)
    if not name:
        return RowOutcome(number, name, masked, INVALID, _("The name is empty."))
    if ident.value in seen:
        return RowOutcome(number, name, masked, INVALID, _("This ID number is already on an earlier row."))
    seen.add(ident.value)
    person = person_by_id_number(ident.value)
    if person is None:
        return RowOutcome(
            number, name, masked, NOT_REGISTERED, _("No one with this ID number is registered on the platform.")
        )
    if _name_key(person.name) != _name_key(name):
        return RowOutcome(
            number, name, masked, NAME_MISMATCH, _("The name does not match the registered name for this ID number.")
        )
    if Enrollment.objects.filter(person=person, course=course, status__in=Enrollment.OPEN).exists():
        return RowOutcome(number, name, masked, ALREADY, _("Already enrolled."), person)
    refusal = enrollment_refusal(person, course, today=today)
    if refusal:
        return RowOutcome(number, name, masked, REFUSED, str(refusal), person)
    return RowOutcome(number, name, masked, WILL_ENROLL, _("Will be enrolled."), person)


def provider_roster_enroll(
    *, course: CoursePage, table: RosterTable, actor, dry_run: bool = True, today: date | None = None
) -> list[RowOutcome]:
    """Check (``dry_run``) or enroll the learners listed in ``table``; one outcome per row.

    Raises PermissionDenied unless ``course`` belongs to one of ``actor``'s providers, and
    RosterFileError when the file lacks the name or ID number column or has too many rows.
    """
    if not courses_for_sessions(actor).filter(pk=course.pk).exists():
        raise PermissionDenied
    today = today or timezone.localdate()
    index = _columns(table)
    seen: set[str] = set()
    outcomes = [_check_row(number, cells, index, course, seen, today) for number, cells in table.rows]
    if dry_run:
        return outcomes
    to_enroll = [o for o in outcomes if o.status == WILL_ENROLL]
    if to_enroll:
        enrolled, refused = enroll_many(
            people=[o.person for o in to_enroll], course=course, actor=actor, source=Enrollment.Source.PROVIDER
        )
        for outcome in to_enroll:
            if outcome.person.pk in refused:
                outcome.status, outcome.message = REFUSED, refused[outcome.person.pk]
            else:
                outcome.status, outcome.message = ENROLLED, _("Enrolled.")
    return outcomes
