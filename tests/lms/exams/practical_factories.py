"""factory-boy factories for practical assessment (rubrics with criteria, sessions, examiners, candidates, mark
sheets) and the helpers that build scored candidates and graded attempts, building on :mod:`tests.factories` and
:mod:`.factories` (theory exams)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from lms.exams.choices import Aggregation
from lms.exams.models import Examiner, MarkSheet, PracticalCandidate, PracticalSession, Rubric, RubricCriterion
from lms.learning.choices import Occupation, SkillLevel
from tests import factories as f

# --- practical assessment --------------------------------------------------------------------------


class RubricFactory(factory.django.DjangoModelFactory):
    """A rubric without criteria; ``RubricCriterionFactory(rubric=r)`` adds one, or use :func:`rubric_with_criteria`."""

    class Meta:
        model = Rubric

    name = factory.Sequence(lambda n: f"保育师四级操作技能评分表{n}")
    occupation = Occupation.CHILDCARE_WORKER
    level = SkillLevel.LEVEL_4
    provider = factory.SubFactory(f.TrainingProviderFactory)
    pass_mark = Decimal("60")
    active = True


class RubricCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RubricCriterion

    rubric = factory.SubFactory(RubricFactory)
    title = factory.Sequence(lambda n: f"操作要点{n}")
    description = ""
    max_points = Decimal("25")
    sort_order = factory.Sequence(lambda n: n)


def rubric_with_criteria(*, points=("30", "30", "40"), **fields) -> Rubric:
    """A rubric whose criteria are worth ``points`` (100 in all by default)."""
    rubric = RubricFactory(**fields)
    for order, p in enumerate(points):
        RubricCriterionFactory(rubric=rubric, max_points=Decimal(str(p)), sort_order=order)
    return rubric


class PracticalSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticalSession

    title = factory.Sequence(lambda n: f"保育师四级操作技能考核 第{n}场")
    rubric = factory.SubFactory(RubricFactory)
    provider = factory.LazyAttribute(lambda o: o.rubric.provider or f.TrainingProviderFactory())
    place = "实训室一"
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1))
    status = PracticalSession.Status.SCHEDULED
    aggregation = Aggregation.MEAN
    disagreement_points = Decimal("15")


class ExaminerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Examiner

    session = factory.SubFactory(PracticalSessionFactory)
    user = factory.SubFactory(f.UserFactory, is_staff=True)
    institution = None
    is_chief = False


class PracticalCandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticalCandidate

    session = factory.SubFactory(PracticalSessionFactory)
    person = factory.SubFactory(f.PersonFactory)
    institution = None
    slot = factory.Sequence(lambda n: n)


class MarkSheetFactory(factory.django.DjangoModelFactory):
    """An unsubmitted (unlocked) sheet of an examiner of the candidate's session."""

    class Meta:
        model = MarkSheet

    candidate = factory.SubFactory(PracticalCandidateFactory)
    examiner = factory.LazyAttribute(lambda o: ExaminerFactory(session=o.candidate.session))
    marks = factory.LazyFunction(dict)
    total = None
    submitted_at = None


# --- practical assessment panels, scored candidates, graded attempts and level results (practical area) -----------


def assessment_body(**fields):
    """A skill assessment body (社会培训评价组织) with a body code: the kind of provider that decides level results."""
    from lms.registry.models import TrainingProvider

    return f.TrainingProviderFactory(kind=TrainingProvider.Kind.ASSESSMENT, **fields)


def session_with_panel(*, examiners: int = 3, rubric=None, provider=None, **fields) -> PracticalSession:
    """A session of a 100-point rubric (30/30/40) run by an assessment body, with ``examiners`` examiners (the
    first is the chief; ``session.panel`` lists them in order)."""
    provider = provider or assessment_body()
    rubric = rubric or rubric_with_criteria(provider=provider)
    session = PracticalSessionFactory(rubric=rubric, provider=provider, **fields)
    session.panel = [ExaminerFactory(session=session, is_chief=(i == 0)) for i in range(examiners)]
    return session


def criterion_ids(session) -> list[str]:
    return [str(pk) for pk in session.rubric.criteria.order_by("sort_order", "pk").values_list("pk", flat=True)]


def marks_for(session, *points) -> dict:
    """Marks (criterion id -> points text) for the session's criteria in order."""
    return {key: str(p) for key, p in zip(criterion_ids(session), points, strict=True)}


def scored_candidate(session, sheets, *, person=None, slot=None) -> PracticalCandidate:
    """A candidate marked by each examiner of ``session.panel`` (``sheets``: one tuple of points per examiner),
    submitted through the services so the final score is computed."""
    from lms.exams.services.practical import marksheet_submit

    candidate = PracticalCandidateFactory(session=session, person=person or f.PersonFactory(), slot=slot or 1)
    for examiner, points in zip(session.panel, sheets, strict=True):
        marksheet_submit(candidate=candidate, actor=examiner.user, marks=marks_for(session, *points))
    candidate.refresh_from_db()
    return candidate
