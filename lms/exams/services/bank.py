"""Writes of question banks: add, edit and take questions out of use, each validated by type and audited.

A question's options and answer are checked against its type (:func:`lms.exams.questions.question_errors`): a bad
shape raises ``ValidationError`` keyed by field with a translated message, and nothing is saved. Attempts keep a
snapshot of what they drew, so editing or taking a question out of use never changes an attempt already taken.
Questions are never deleted once drawn (``AttemptQuestion.question`` would lose its link); take them out of use.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lms.registry import audit

from ..choices import MultipleRule, QuestionType
from ..models import Question, QuestionBank
from ..questions import question_errors

EDITABLE_FIELDS = (
    "type",
    "stem",
    "options",
    "answer",
    "multiple_rule",
    "reference_answer",
    "explanation",
    "level",
    "knowledge_area",
    "difficulty",
    "external_id",
    "active",
)


def question_validate(question: Question) -> None:
    """Raise ``ValidationError`` ({field: [messages]}) if the question's content does not fit its type."""
    errors = question_errors(
        qtype=question.type,
        stem=question.stem,
        options=question.options,
        answer=question.answer,
        multiple_rule=question.multiple_rule,
        reference_answer=question.reference_answer,
    )
    if question.bank_id and question.occupation and question.bank.occupation != question.occupation:
        errors.setdefault("occupation", []).append(_("The question's occupation must be its bank's occupation."))
    if question.external_id:
        clash = Question.objects.filter(bank_id=question.bank_id, external_id=question.external_id)
        if clash.exclude(pk=question.pk).exists():
            errors.setdefault("external_id", []).append(
                _("Another question of this bank has the external ID “%(id)s”.") % {"id": question.external_id}
            )
    if errors:
        raise ValidationError(errors)


def _normalise(question: Question) -> None:
    question.stem = (question.stem or "").strip()
    question.external_id = (question.external_id or "").strip()
    if question.type != QuestionType.MULTIPLE:
        question.multiple_rule = MultipleRule.ALL_OR_NOTHING
    question.occupation = question.bank.occupation


@transaction.atomic
def question_create(*, bank: QuestionBank, actor=None, **fields) -> Question:
    """A new question in ``bank`` (its occupation is the bank's)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"question_create() got unexpected fields {sorted(unknown)}")
    question = Question(bank=bank, **fields)
    _normalise(question)
    question_validate(question)
    question.save()
    audit.record(question, "exams.question.create", actor=actor, bank=bank.pk)
    return question


@transaction.atomic
def question_update(*, question: Question, actor=None, **fields) -> Question:
    """Change ``fields`` of a question (attempts already taken keep their snapshot)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"question_update() got unexpected fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(question, name, value)
    _normalise(question)
    question_validate(question)
    question.save()
    audit.record(question, "exams.question.update", actor=actor, fields=sorted(fields))
    return question


@transaction.atomic
def question_deactivate(*, question: Question, actor=None) -> Question:
    """Take a question out of use: it is no longer drawn; papers already drawn keep it."""
    if question.active:
        question.active = False
        question.save(update_fields=["active", "updated_at"])
        audit.record(question, "exams.question.deactivate", actor=actor)
    return question
