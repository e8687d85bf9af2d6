"""factory-boy factories for the exams app, building on :mod:`tests.factories` (registry rows).

Every factory produces rows that pass the exams validators:

* ``KnowledgeAreaFactory`` returns a seeded area (get-or-create on the code, so it also works after a
  transactional test flushed the tables); ``knowledge_area("safety_health")`` is the short form;
* ``QuestionFactory`` makes a single-choice question; use the traits for the other types, each with a valid
  answer of its shape: ``QuestionFactory(multiple=True)``, ``true_false=True``, ``fill_blank=True``,
  ``short_answer=True``. Bank, occupation and knowledge area are consistent (the bank's occupation);
* ``BlueprintFactory`` has no sections and no banks; ``BlueprintSectionFactory(blueprint=bp, …)`` adds one and
  ``BlueprintFactory(banks=[bank])`` links banks. :func:`blueprint_with_sections` builds a complete 100-point one;
* sittings, rooms, candidates, attempts and attempt questions (with a snapshot taken from a real question);
* rubrics, practical sessions and their helpers are in :mod:`.practical_factories`.

Typical use::

    bank = QuestionBankFactory(provider=provider)
    q = QuestionFactory(bank=bank, multiple=True, knowledge_area=knowledge_area("ethics"))
    bp = blueprint_with_sections(banks=[bank], sections=[("single", 10, "2")])
    attempt = AttemptFactory(candidate=CandidateFactory(sitting=SittingFactory(blueprint=bp)))
    aq = AttemptQuestionFactory(attempt=attempt, question=q)

Other areas append factories for their own needs at the end of this file (practical assessment: its own module).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import import_module

import factory
from django.utils import timezone

from lms.exams.choices import Difficulty, MultipleRule, QuestionType
from lms.exams.models import (
    Attempt,
    AttemptQuestion,
    Blueprint,
    BlueprintSection,
    Candidate,
    ExamRoom,
    KnowledgeArea,
    Question,
    QuestionBank,
    Sitting,
)
from lms.learning.choices import Occupation, SkillLevel
from tests import factories as f

SEEDED_AREAS = dict(import_module("lms.exams.migrations.0002_knowledge_areas").AREAS)


def knowledge_area(code: str = "life_care") -> KnowledgeArea:
    """A seeded knowledge area by code (re-created if a transactional test flushed the table)."""
    return KnowledgeAreaFactory(code=code)


def question_snapshot(question: Question, *, points: Decimal | str = "1") -> dict:
    """The frozen form of ``question`` as an attempt keeps it (options in the bank's order)."""
    return {
        "type": question.type,
        "stem": question.stem,
        "options": [dict(o) for o in question.options],
        "answer": question.answer,
        "rule": question.multiple_rule,
        "knowledge_area": question.knowledge_area.code,
        "points": str(points),
    }


# --- banks and questions ---------------------------------------------------------------------------


class KnowledgeAreaFactory(factory.django.DjangoModelFactory):
    """A seeded area (``code`` one of the 8 seeded codes); get-or-create, so it never duplicates."""

    class Meta:
        model = KnowledgeArea
        django_get_or_create = ("code",)

    code = "life_care"
    name = factory.LazyAttribute(lambda o: SEEDED_AREAS.get(o.code, o.code))
    sort_order = factory.LazyAttribute(lambda o: list(SEEDED_AREAS).index(o.code) * 10 if o.code in SEEDED_AREAS else 0)


class QuestionBankFactory(factory.django.DjangoModelFactory):
    """A provider's bank (``provider=None`` for a platform bank)."""

    class Meta:
        model = QuestionBank

    name = factory.Sequence(lambda n: f"保育师题库{n}")
    provider = factory.SubFactory(f.TrainingProviderFactory)
    occupation = Occupation.CHILDCARE_WORKER
    description = ""


_OPTIONS = [
    {"key": "A", "text": "立即用流动清水冲洗"},
    {"key": "B", "text": "涂抹牙膏"},
    {"key": "C", "text": "报告保健人员"},
    {"key": "D", "text": "继续活动"},
]


class QuestionFactory(factory.django.DjangoModelFactory):
    """A single-choice question by default (answer ``["A"]``); traits for the other types."""

    class Meta:
        model = Question

    bank = factory.SubFactory(QuestionBankFactory)
    type = QuestionType.SINGLE
    stem = factory.Sequence(lambda n: f"幼儿被烫伤后，保育师首先应当怎样处理？（{n}）")
    options = factory.LazyFunction(lambda: [dict(o) for o in _OPTIONS])
    answer = factory.LazyFunction(lambda: ["A"])
    multiple_rule = MultipleRule.ALL_OR_NOTHING
    reference_answer = ""
    explanation = ""
    occupation = factory.LazyAttribute(lambda o: o.bank.occupation)
    level = None
    knowledge_area = factory.LazyFunction(knowledge_area)
    difficulty = Difficulty.MEDIUM
    active = True
    external_id = ""

    class Params:
        multiple = factory.Trait(
            type=QuestionType.MULTIPLE,
            stem=factory.Sequence(lambda n: f"幼儿烫伤后，下列做法正确的有？（{n}）"),
            answer=factory.LazyFunction(lambda: ["A", "C"]),
        )
        true_false = factory.Trait(
            type=QuestionType.TRUE_FALSE,
            stem=factory.Sequence(lambda n: f"婴幼儿午睡时保育师可以离开睡眠室。（{n}）"),
            options=factory.LazyFunction(list),
            answer=factory.LazyFunction(lambda: [False]),
        )
        fill_blank = factory.Trait(
            type=QuestionType.FILL_BLANK,
            stem=factory.Sequence(lambda n: f"婴幼儿每日户外活动时间不少于____小时，其中____活动不少于1小时。（{n}）"),
            options=factory.LazyFunction(list),
            answer=factory.LazyFunction(lambda: [["2", "两", "二"], ["体育", "户外体育"]]),
        )
        short_answer = factory.Trait(
            type=QuestionType.SHORT_ANSWER,
            stem=factory.Sequence(lambda n: f"简述婴幼儿进餐环节的保育要点。（{n}）"),
            options=factory.LazyFunction(list),
            answer=factory.LazyFunction(list),
            reference_answer="营造愉快的进餐氛围；培养独立进餐习惯；关注食物过敏；进餐后组织安静活动。",
        )


# --- blueprints ------------------------------------------------------------------------------------


class BlueprintFactory(factory.django.DjangoModelFactory):
    """A blueprint without sections; ``banks=[...]`` links banks (post-generation)."""

    class Meta:
        model = Blueprint
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"保育师四级理论知识组卷{n}")
    provider = factory.SubFactory(f.TrainingProviderFactory)
    occupation = Occupation.CHILDCARE_WORKER
    level = SkillLevel.LEVEL_4
    duration_minutes = 90
    total_points = Decimal("100")
    pass_mark = Decimal("60")
    shuffle_options = True

    @factory.post_generation
    def banks(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.banks.set(extracted)


class BlueprintSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlueprintSection

    blueprint = factory.SubFactory(BlueprintFactory)
    type = QuestionType.SINGLE
    knowledge_area = None
    difficulty = None
    count = 10
    points = Decimal("1")
    sort_order = factory.Sequence(lambda n: n)


def blueprint_with_sections(*, banks=(), sections=(("single", 50, "2"),), **fields) -> Blueprint:
    """A blueprint with ``sections`` given as ``(type, count, points[, area_code[, difficulty]])`` tuples."""
    blueprint = BlueprintFactory(banks=list(banks), **fields)
    for order, (qtype, count, points, *rest) in enumerate(sections):
        area = knowledge_area(rest[0]) if rest and rest[0] else None
        difficulty = rest[1] if len(rest) > 1 else None
        BlueprintSectionFactory(
            blueprint=blueprint,
            type=qtype,
            count=count,
            points=Decimal(str(points)),
            knowledge_area=area,
            difficulty=difficulty,
            sort_order=order,
        )
    return blueprint


# --- sittings and attempts -------------------------------------------------------------------------


class SittingFactory(factory.django.DjangoModelFactory):
    """A scheduled sitting open now for two hours, run by the blueprint's provider."""

    class Meta:
        model = Sitting

    title = factory.Sequence(lambda n: f"保育师四级理论考试 第{n}场")
    blueprint = factory.SubFactory(BlueprintFactory)
    provider = factory.LazyAttribute(lambda o: o.blueprint.provider or f.TrainingProviderFactory())
    status = Sitting.Status.SCHEDULED
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(minutes=5))
    closes_at = factory.LazyAttribute(lambda o: o.opens_at + dt.timedelta(hours=2))
    duration_minutes = None
    grace_seconds = 60
    eligibility = Sitting.Eligibility.REGISTERED
    course = None
    attempts_allowed = 1
    retake_wait_days = 0
    seed = factory.Sequence(lambda n: f"sitting-seed-{n}")


class ExamRoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExamRoom
        skip_postgeneration_save = True

    sitting = factory.SubFactory(SittingFactory)
    name = factory.Sequence(lambda n: f"第{n}考场")

    @factory.post_generation
    def proctors(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.proctors.set(extracted)


class CandidateFactory(factory.django.DjangoModelFactory):
    """An approved candidate."""

    class Meta:
        model = Candidate

    sitting = factory.SubFactory(SittingFactory)
    person = factory.SubFactory(f.PersonFactory)
    status = Candidate.Status.APPROVED
    room = None
    extra_minutes = 0


class AttemptFactory(factory.django.DjangoModelFactory):
    """An attempt in progress, started now, with the sitting's (or blueprint's) duration."""

    class Meta:
        model = Attempt

    candidate = factory.SubFactory(CandidateFactory)
    number = 1
    status = Attempt.Status.IN_PROGRESS
    seed = factory.Sequence(lambda n: f"attempt-seed-{n}")
    started_at = factory.LazyFunction(timezone.now)
    deadline_at = factory.LazyAttribute(
        lambda o: (
            o.started_at
            + dt.timedelta(
                minutes=(o.candidate.sitting.duration_minutes or o.candidate.sitting.blueprint.duration_minutes)
                + o.candidate.extra_minutes
            )
        )
    )


class AttemptQuestionFactory(factory.django.DjangoModelFactory):
    """A drawn question with its snapshot taken from ``question`` (a new single choice by default)."""

    class Meta:
        model = AttemptQuestion

    attempt = factory.SubFactory(AttemptFactory)
    position = factory.Sequence(lambda n: n + 1)
    question = factory.SubFactory(QuestionFactory)
    points = Decimal("2")
    snapshot = factory.LazyAttribute(lambda o: question_snapshot(o.question, points=o.points))
    response = None


# --- graded theory attempts (for level results) ---------------------------------------------------------------


def graded_attempt(*, person, score, level=SkillLevel.LEVEL_4, occupation=Occupation.CHILDCARE_WORKER, provider=None):
    """A graded theory attempt of ``person`` with ``score`` in a sitting of a blueprint for occupation and level."""
    blueprint = BlueprintFactory(occupation=occupation, level=level, provider=provider or f.TrainingProviderFactory())
    sitting = SittingFactory(blueprint=blueprint, status=Sitting.Status.PUBLISHED)
    score = Decimal(str(score))
    now = timezone.now()
    return AttemptFactory(
        candidate=CandidateFactory(sitting=sitting, person=person),
        status=Attempt.Status.GRADED,
        started_at=now - dt.timedelta(hours=1),
        submitted_at=now - dt.timedelta(minutes=10),
        score=score,
        passed=score >= blueprint.pass_mark,
    )
