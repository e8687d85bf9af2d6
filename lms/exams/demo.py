"""Demo exam content: a theory question bank per occupation, exam blueprints and practical rubrics.

:func:`seed_exam_content` writes, for 保育师 and 育婴员:

* one :class:`~lms.exams.models.QuestionBank` each ("保育师理论知识题库", "育婴员理论知识题库") holding the questions of
  :mod:`lms.exams.demo_questions` (300+ each, keyed by their stable ``external_id``);
* the blueprints of :mod:`lms.exams.demo_questions.assessments`: the theory exams of levels 5 and 4 (100 points, 60 to
  pass, 90 minutes) and a short course quiz, each checked with ``services.blueprints.blueprint_check`` so that a
  blueprint the bank cannot satisfy fails the seeding at once;
* the practical rubrics (操作技能考核评分表) of levels 5 and 4, criteria adding up to 100.

It is idempotent: banks, blueprints and rubrics are found by name (and provider), questions by external ID, sections
and criteria by their order; a second run changes nothing and creates nothing, and a run after the data modules were
edited brings the rows in line (questions are updated in place, so papers already drawn keep their snapshots).
It creates no sittings, candidates or results. Like the other demo seeders it writes directly (no audit entries):
this is set-up data, not a user's action.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from lms.learning.choices import Occupation

from .choices import ReviewPolicy
from .demo_questions import QUESTIONS_BY_OCCUPATION
from .demo_questions.assessments import BLUEPRINTS, RUBRICS
from .models import Blueprint, BlueprintSection, KnowledgeArea, Question, QuestionBank, Rubric, RubricCriterion
from .questions import question_errors
from .services.blueprints import blueprint_check

BANKS = {
    Occupation.CHILDCARE_WORKER: (
        "保育师理论知识题库",
        "依据《保育师国家职业技能标准（2021年版）》编写的理论知识练习与考试题：职业道德、基础知识、生活照料、"
        "安全健康管理、早期学习支持、合作共育、培训与指导。",
    ),
    Occupation.INFANT_CARER: (
        "育婴员理论知识题库",
        "依据《育婴员国家职业技能标准（2019年版）》编写的理论知识练习与考试题：职业道德、基础知识、生活照料、"
        "保健与护理、早期教育、培训与指导。",
    ),
}
PASS_MARK = Decimal("60")
TOTAL_POINTS = Decimal("100")
QUESTION_FIELDS = ("type", "stem", "options", "answer", "reference_answer", "explanation", "level", "difficulty")


class DemoContentError(ValueError):
    """The demo data modules contain a question or a reference the database cannot take (a programming error)."""


@transaction.atomic
def seed_exam_content(*, provider=None) -> dict[str, int]:
    """Create or bring up to date the demo banks, questions, blueprints and rubrics (owned by ``provider``, or
    platform-wide when None). Returns counts of what was created and updated."""
    areas = KnowledgeArea.objects.in_bulk(field_name="code")
    counts = dict.fromkeys(
        ["banks", "questions", "questions_updated", "blueprints", "sections", "rubrics", "criteria"], 0
    )
    banks = {}
    for occupation, specs in QUESTIONS_BY_OCCUPATION.items():
        name, description = BANKS[occupation]
        bank, created = QuestionBank.objects.get_or_create(
            name=name, provider=provider, defaults={"occupation": occupation, "description": description}
        )
        counts["banks"] += created
        created_n, updated_n = _seed_questions(bank, specs, areas)
        counts["questions"] += created_n
        counts["questions_updated"] += updated_n
        banks[occupation] = bank
    for spec in BLUEPRINTS:
        created, sections = _seed_blueprint(spec, banks[spec["occupation"]], areas, provider)
        counts["blueprints"] += created
        counts["sections"] += sections
    for spec in RUBRICS:
        created, criteria = _seed_rubric(spec, provider)
        counts["rubrics"] += created
        counts["criteria"] += criteria
    return counts


def question_spec_errors(spec: dict, areas: dict[str, KnowledgeArea]) -> list[str]:
    """What is wrong with one question of the data modules (empty when it can be saved)."""
    errors = [
        f"{field}: {message}"
        for field, messages in question_errors(
            qtype=spec["type"],
            stem=spec["stem"],
            options=spec["options"],
            answer=spec["answer"],
            reference_answer=spec["reference_answer"],
        ).items()
        for message in messages
    ]
    if spec["knowledge_area"] not in areas:
        errors.append(f"knowledge_area: unknown code {spec['knowledge_area']!r}")
    if spec["difficulty"] not in (1, 2, 3):
        errors.append(f"difficulty: {spec['difficulty']!r} is not 1, 2 or 3")
    if spec["level"] not in (None, 1, 2, 3, 4, 5):
        errors.append(f"level: {spec['level']!r} is not a skill level")
    return errors


def _seed_questions(bank: QuestionBank, specs: list[dict], areas: dict[str, KnowledgeArea]) -> tuple[int, int]:
    problems = {s["external_id"]: e for s in specs if (e := question_spec_errors(s, areas))}
    if problems:
        raise DemoContentError(f"invalid demo questions: {problems}")
    existing = {q.external_id: q for q in bank.questions.all()}
    new, changed, now = [], [], timezone.now()
    for spec in specs:
        values = {field: spec[field] for field in QUESTION_FIELDS}
        values["knowledge_area_id"] = areas[spec["knowledge_area"]].pk
        question = existing.get(spec["external_id"])
        if question is None:
            new.append(
                Question(bank=bank, occupation=bank.occupation, external_id=spec["external_id"], active=True, **values)
            )
        elif any(getattr(question, f) != v for f, v in values.items()):
            for field, value in values.items():
                setattr(question, field, value)
            question.updated_at = now
            changed.append(question)
    Question.objects.bulk_create(new)
    Question.objects.bulk_update(changed, [*QUESTION_FIELDS, "knowledge_area", "updated_at"])
    return len(new), len(changed)


def _sync_children(model, parent_field: str, parent, specs: list[dict]) -> int:
    """Make ``parent``'s ordered children match ``specs`` (kept by position, so their ids stay); returns creations."""
    children = list(model.objects.filter(**{parent_field: parent}).order_by("sort_order", "pk"))
    created = 0
    for position, values in enumerate(specs):
        if position < len(children):
            child = children[position]
            if child.sort_order != position or any(getattr(child, f) != v for f, v in values.items()):
                for field, value in values.items():
                    setattr(child, field, value)
                child.sort_order = position
                child.save()
        else:
            model.objects.create(**{parent_field: parent}, sort_order=position, **values)
            created += 1
    for extra in children[len(specs) :]:
        extra.delete()
    return created


def _seed_blueprint(spec: dict, bank: QuestionBank, areas, provider) -> tuple[bool, int]:
    fields = {
        "occupation": spec["occupation"],
        "level": spec["level"],
        "duration_minutes": spec["duration_minutes"],
        "total_points": TOTAL_POINTS,
        "pass_mark": PASS_MARK,
        "shuffle_options": True,
        "review_policy": ReviewPolicy.AFTER_PUBLISH,
    }
    blueprint, created = Blueprint.objects.get_or_create(name=spec["name"], provider=provider, defaults=fields)
    if not created and any(getattr(blueprint, f) != v for f, v in fields.items()):
        Blueprint.objects.filter(pk=blueprint.pk).update(**fields)
        blueprint.refresh_from_db()
    if set(blueprint.banks.values_list("pk", flat=True)) != {bank.pk}:
        blueprint.banks.set([bank])
    sections = [
        {
            "type": s["type"],
            "knowledge_area_id": areas[s["area"]].pk if s["area"] else None,
            "difficulty": s["difficulty"],
            "count": s["count"],
            "points": Decimal(s["points"]),
        }
        for s in spec["sections"]
    ]
    added = _sync_children(BlueprintSection, "blueprint", blueprint, sections)
    blueprint_check(blueprint=blueprint)  # ValidationError if the bank cannot satisfy it or the points do not add up
    return created, added


def _seed_rubric(spec: dict, provider) -> tuple[bool, int]:
    fields = {"occupation": spec["occupation"], "level": spec["level"], "pass_mark": PASS_MARK, "active": True}
    rubric, created = Rubric.objects.get_or_create(name=spec["name"], provider=provider, defaults=fields)
    if not created and any(getattr(rubric, f) != v for f, v in fields.items()):
        Rubric.objects.filter(pk=rubric.pk).update(**fields)
    criteria = [
        {"title": c["title"], "description": c["description"], "max_points": Decimal(c["max_points"])}
        for c in spec["criteria"]
    ]
    if sum(c["max_points"] for c in criteria) != TOTAL_POINTS:
        raise DemoContentError(f"the criteria of {spec['name']} do not add up to {TOTAL_POINTS}")
    return created, _sync_children(RubricCriterion, "rubric", rubric, criteria)
