"""Blueprint checks: the arithmetic adds up and the banks can satisfy every section.

:func:`blueprint_check` is called by the admin before a blueprint is saved (on the unsaved form data, so nothing is
written when it fails) and may be called again before a sitting is scheduled, since banks change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import draw as drawing
from ..choices import Difficulty, QuestionType
from ..models import Blueprint, BlueprintSection, KnowledgeArea
from ..selectors import bank as selectors


def section_label(number: int, section: BlueprintSection | drawing.Section, areas: dict[int, str]) -> str:
    """ "Section 2 (Single choice (单选题), 安全健康管理, hard)" — how the admin names a section."""
    if isinstance(section, BlueprintSection):
        section = selectors.draw_section(section)
    parts = [str(QuestionType(section.type).label)]
    if section.area is not None:
        parts.append(areas.get(section.area, str(section.area)))
    if section.difficulty is not None:
        parts.append(str(Difficulty(section.difficulty).label).lower())
    return _("Section %(number)d (%(what)s)") % {"number": number, "what": ", ".join(parts)}


def shortfall_messages(sections: Sequence[drawing.Section], shortfalls: Iterable[drawing.Shortfall]) -> list[str]:
    areas = dict(KnowledgeArea.objects.values_list("pk", "name"))
    messages = []
    for s in shortfalls:
        label = section_label(s.section + 1, sections[s.section], areas)
        needs = ngettext(
            "%(label)s needs %(needed)d question",
            "%(label)s needs %(needed)d questions",
            s.needed,
        ) % {"label": label, "needed": s.needed}
        if s.available == s.eligible:
            has = ngettext(
                "the question banks have only %(count)d that fits.",
                "the question banks have only %(count)d that fit.",
                s.eligible,
            ) % {"count": s.eligible}
        else:
            has = _(
                "the question banks have %(eligible)d that fit, but only %(available)d are left once more "
                "specific sections have taken theirs."
            ) % {"eligible": s.eligible, "available": s.available}
        messages.append(f"{needs}: {has}")
    return messages


def _number(value) -> str:
    """12.50 → "12.5", 100.00 → "100"."""
    return f"{value.normalize():f}"


def arithmetic_messages(problems: Iterable[drawing.BlueprintProblem]) -> list[str]:
    messages = []
    for p in problems:
        if p.code == "no_sections":
            messages.append(_("Add at least one section."))
        elif p.code == "total_mismatch":
            messages.append(
                _("The sections add up to %(total)s points (questions × points each), not the total of %(expected)s.")
                % {"total": _number(p.total), "expected": _number(p.expected)}
            )
        elif p.code == "pass_above_total":
            messages.append(
                _("The pass mark %(pass)s is above the total of %(expected)s points.")
                % {"pass": _number(p.total), "expected": _number(p.expected)}
            )
    return messages


def blueprint_check(
    *,
    blueprint: Blueprint,
    sections: Iterable[BlueprintSection] | None = None,
    bank_ids: Iterable[int] | None = None,
) -> None:
    """Raise ``ValidationError`` (one message per problem) unless ``blueprint`` can be drawn for every candidate.

    ``sections`` and ``bank_ids`` default to the saved ones; the admin passes its form's unsaved data instead.
    """
    if sections is None:
        sections = list(blueprint.sections.all())
    if bank_ids is None:
        bank_ids = list(blueprint.banks.values_list("pk", flat=True)) if blueprint.pk else []
    plain = [selectors.draw_section(s) for s in sections]
    messages = arithmetic_messages(
        drawing.blueprint_problems(plain, total_points=blueprint.total_points, pass_mark=blueprint.pass_mark)
    )
    bank_ids = list(bank_ids)
    if not bank_ids:
        messages.append(_("Choose at least one question bank."))
    elif plain:
        pool = selectors.pool_items(
            selectors.candidate_pool(
                occupation=blueprint.occupation,
                level=blueprint.level,
                bank_ids=bank_ids,
                types={s.type for s in plain},
            )
        )
        messages += shortfall_messages(plain, drawing.check(plain, pool))
    if messages:
        raise ValidationError(messages)
