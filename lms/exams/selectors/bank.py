"""Reads of question banks and blueprints, and who may see and change which.

* Platform admins (superusers) see and change everything.
* Provider staff see their providers' banks, questions and blueprints and may change them; they also see the
  platform's banks and blueprints (``provider`` empty) read-only, and may build blueprints on platform banks.
* Nobody else sees any of it.

``action`` is ``"view"`` or one of ``"add"``, ``"change"``, ``"delete"`` (the Wagtail permission policy actions).

The candidate pool of a blueprint (:func:`candidate_pool`, :func:`draw_inputs`) is the active questions of the
blueprint's banks for its occupation, at its level or for every level.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from lms.registry.selectors import user_scope

from .. import draw as drawing
from ..choices import QuestionType
from ..models import Blueprint, BlueprintSection, KnowledgeArea, Question, QuestionBank

VIEW = "view"


def _owned_q(user, action: str, field: str = "provider") -> Q | None:
    """``None`` = everything (platform admin); otherwise the rows the user may act on."""
    scope = user_scope(user)
    if scope.is_platform_admin:
        return None
    if not scope.provider_ids:
        return Q(pk__in=[])
    q = Q(**{f"{field}_id__in": scope.provider_ids})
    if action == VIEW:
        q |= Q(**{f"{field}__isnull": True})
    return q


def _filter(qs: QuerySet, q: Q | None) -> QuerySet:
    return qs if q is None else qs.filter(q)


def can_manage_banks(user) -> bool:
    """Whether the user has a part in question banks at all (platform admin or provider staff)."""
    scope = user_scope(user)
    return scope.is_platform_admin or bool(scope.provider_ids)


def banks_for(user, action: str = VIEW) -> QuerySet:
    return _filter(QuestionBank.objects.select_related("provider"), _owned_q(user, action))


def questions_for(user, action: str = VIEW) -> QuerySet:
    return _filter(
        Question.objects.select_related("bank", "bank__provider", "knowledge_area"),
        _owned_q(user, action, "bank__provider"),
    )


def blueprints_for(user, action: str = VIEW) -> QuerySet:
    return _filter(Blueprint.objects.select_related("provider"), _owned_q(user, action))


def blueprint_bank_choices(user) -> QuerySet:
    """Banks a user may draw a blueprint from: their providers' banks and the platform's."""
    return banks_for(user, VIEW)


def provider_choices(user):
    """Providers a user may own a bank or blueprint for (platform admins: every provider, or none = platform)."""
    from lms.registry.models import TrainingProvider

    scope = user_scope(user)
    if scope.is_platform_admin:
        return TrainingProvider.objects.all()
    return TrainingProvider.objects.filter(pk__in=scope.provider_ids)


def knowledge_areas() -> QuerySet:
    return KnowledgeArea.objects.all()


def find_knowledge_area(text: str) -> KnowledgeArea | None:
    """A knowledge area by its name (职业道德) or code (ethics)."""
    text = (text or "").strip()
    if not text:
        return None
    return KnowledgeArea.objects.filter(Q(name=text) | Q(code=text.lower())).first()


# --- the candidate pool of a blueprint ----------------------------------------------------------------------


def candidate_pool(
    *, occupation: str, level: int | None, bank_ids: Iterable[int], types: Iterable[str] | None = None
) -> QuerySet:
    """Active questions of ``bank_ids`` for ``occupation``, at ``level`` or for every level (any level if None)."""
    qs = Question.objects.filter(bank_id__in=list(bank_ids), occupation=occupation, active=True)
    if level is not None:
        qs = qs.filter(Q(level__isnull=True) | Q(level=level))
    if types is not None:
        qs = qs.filter(type__in=list(types))
    return qs


def blueprint_pool(blueprint: Blueprint) -> QuerySet:
    return candidate_pool(
        occupation=blueprint.occupation,
        level=blueprint.level,
        bank_ids=blueprint.banks.values_list("pk", flat=True),
    )


def draw_section(section: BlueprintSection) -> drawing.Section:
    return drawing.Section(
        type=section.type,
        count=section.count,
        points=section.points,
        area=section.knowledge_area_id,
        difficulty=section.difficulty,
    )


def pool_items(questions: QuerySet) -> list[drawing.PoolQuestion]:
    """The plain data of a candidate pool, for :mod:`lms.exams.draw`."""
    choice = {QuestionType.SINGLE, QuestionType.MULTIPLE}
    return [
        drawing.PoolQuestion(
            id=pk,
            type=qtype,
            area=area,
            difficulty=difficulty,
            level=level,
            option_count=len(options or ()) if qtype in choice else 0,
        )
        for pk, qtype, area, difficulty, level, options in questions.values_list(
            "pk", "type", "knowledge_area_id", "difficulty", "level", "options"
        ).order_by("pk")
    ]


def draw_inputs(blueprint: Blueprint) -> tuple[list[drawing.Section], list[drawing.PoolQuestion]]:
    """``(sections, pool)`` for ``draw.draw(sections, pool, seed, shuffle_options=blueprint.shuffle_options)``."""
    sections = [draw_section(s) for s in blueprint.sections.all()]
    types = {s.type for s in sections}
    pool = candidate_pool(
        occupation=blueprint.occupation,
        level=blueprint.level,
        bank_ids=blueprint.banks.values_list("pk", flat=True),
        types=types,
    )
    return sections, pool_items(pool)
