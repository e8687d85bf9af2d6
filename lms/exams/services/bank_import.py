"""Import questions into a bank from the XLSX template, and export a bank back to it.

An import is all or nothing: every row is checked first, and if any row has a problem nothing is written and the
report lists each problem with its spreadsheet row number. A row whose 编号 (external ID) is already in the bank
updates that question instead of adding a copy (its ``active`` flag is left as it is); attempts already taken keep
their own snapshot, so an update never changes them. Each import leaves one audit entry on the bank.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.registry import audit

from .. import bank_file
from ..models import KnowledgeArea, Question, QuestionBank

UPDATED_FIELDS = [
    "type",
    "stem",
    "options",
    "answer",
    "multiple_rule",
    "reference_answer",
    "explanation",
    "knowledge_area_id",
    "difficulty",
    "level",
]


@dataclass
class RowError:
    row: int  # spreadsheet row number; 0 = the file as a whole
    messages: list[str]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _area_lookup() -> dict[str, int]:
    lookup = {}
    for pk, code, name in KnowledgeArea.objects.values_list("pk", "code", "name"):
        lookup[name] = lookup[code] = lookup[code.lower()] = pk
    return lookup


def _check(rows: list[bank_file.Row]) -> tuple[list[bank_file.ParsedRow], list[RowError]]:
    areas = _area_lookup()
    parsed = [bank_file.parse_row(row, areas=areas) for row in rows]
    first_row_of: dict[str, int] = {}
    for row, p in zip(rows, parsed, strict=True):
        external_id = bank_file.cell_text(row.cells.get("external_id"))
        if not external_id:
            continue
        if external_id in first_row_of:
            p.errors.append(
                _("%(column)s “%(id)s” is already used on row %(row)d.")
                % {"column": bank_file.HEADERS["external_id"], "id": external_id, "row": first_row_of[external_id]}
            )
        else:
            first_row_of[external_id] = p.number
    return parsed, [RowError(p.number, p.errors) for p in parsed if p.errors]


@transaction.atomic
def questions_import(*, bank: QuestionBank, data: bytes, filename: str = "", actor=None) -> ImportResult:
    """Import the workbook ``data`` into ``bank``; the result counts what was added and updated, or lists errors."""
    try:
        rows = bank_file.read_rows(data)
    except bank_file.BankFileError as exc:
        return ImportResult(errors=[RowError(0, [str(exc)])])
    parsed, errors = _check(rows)
    if errors:
        return ImportResult(errors=errors)

    existing = {
        q.external_id: q
        for q in Question.objects.select_for_update().filter(
            bank=bank, external_id__in=[p.fields["external_id"] for p in parsed if p.fields["external_id"]]
        )
    }
    new, changed = [], []
    now = timezone.now()
    for p in parsed:
        question = existing.get(p.fields["external_id"]) if p.fields["external_id"] else None
        if question is None:
            new.append(Question(bank=bank, occupation=bank.occupation, **p.fields))
        else:
            for name in UPDATED_FIELDS:
                setattr(question, name, p.fields[name])
            question.updated_at = now
            changed.append(question)
    Question.objects.bulk_create(new, batch_size=500)
    if changed:
        Question.objects.bulk_update(changed, [*UPDATED_FIELDS, "updated_at"], batch_size=500)
    audit.record(bank, "exams.question.import", actor=actor, filename=filename, created=len(new), updated=len(changed))
    return ImportResult(created=len(new), updated=len(changed))


def questions_export(questions: Iterable[Question]) -> bytes:
    """The questions as a workbook in the import template (importing it back changes nothing)."""
    areas = dict(KnowledgeArea.objects.values_list("pk", "name"))
    rows = (
        bank_file.question_row(
            {
                "external_id": q.external_id,
                "type": q.type,
                "stem": q.stem,
                "options": q.options,
                "answer": q.answer,
                "multiple_rule": q.multiple_rule,
                "reference_answer": q.reference_answer,
                "difficulty": q.difficulty,
                "level": q.level,
                "explanation": q.explanation,
            },
            area_name=areas.get(q.knowledge_area_id, ""),
        )
        for q in questions
    )
    return bank_file.write_xlsx(rows)


def template_xlsx() -> bytes:
    """An empty template (header row and the 说明 sheet)."""
    return bank_file.write_xlsx([])
