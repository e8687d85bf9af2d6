"""Fixtures of the sittings, attempts and marking tests: a provider's bank, a 100-point blueprint, a sitting open
now and an approved candidate who can log in.

The blueprint (:data:`SECTIONS`) has two questions of each type, 10 points each; the bank holds three of each,
so every draw is possible and two candidates' papers may differ.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from lms.exams.models import Attempt, AttemptQuestion, Candidate, Sitting
from lms.learning.models import CourseCompletion, Enrollment
from tests import factories as f

from . import factories as xf

SECTIONS = (("true_false", 2, "10"), ("single", 2, "10"), ("multiple", 2, "10"), ("fill_blank", 2, "10"),
            ("short_answer", 2, "10"))  # fmt: skip

__all__ = ["english", "exam_world"]  # the fixtures, for ``import *``


@dataclass
class ExamWorld:
    provider: object
    staff: object  # provider staff user of ``provider``
    other_staff: object  # provider staff user of another provider
    bank: object
    blueprint: object
    sitting: Sitting
    user: object  # the candidate's login
    person: object
    candidate: Candidate


def build_exam_world(*, sections=SECTIONS, review_policy: str = "after_publish", **sitting_fields) -> ExamWorld:
    provider = f.TrainingProviderFactory(name="曲靖市职业技能培训学校")
    staff = f.RoleGrantFactory(provider_staff=True, provider=provider, user__username="exam_staff").user
    other = f.TrainingProviderFactory(name="宣威市培训中心")
    other_staff = f.RoleGrantFactory(provider_staff=True, provider=other, user__username="other_staff").user
    bank = xf.QuestionBankFactory(provider=provider)
    for trait in ("true_false", "single", "multiple", "fill_blank", "short_answer"):
        for _ in range(3):
            xf.QuestionFactory(bank=bank, **({trait: True} if trait != "single" else {}))
    blueprint = xf.blueprint_with_sections(banks=[bank], sections=sections, provider=provider,
                                           review_policy=review_policy)  # fmt: skip
    sitting = xf.SittingFactory(blueprint=blueprint, provider=provider, **sitting_fields)
    user = f.UserFactory(username="kaosheng")
    person = f.PersonFactory(user=user, name="李小梅")
    candidate = xf.CandidateFactory(sitting=sitting, person=person)
    return ExamWorld(provider, staff, other_staff, bank, blueprint, sitting, user, person, candidate)


@pytest.fixture
def exam_world(db) -> ExamWorld:
    return build_exam_world()


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def correct_response(aq: AttemptQuestion):
    """The right response to a drawn question (a short answer gets some text)."""
    snap = aq.snapshot
    if snap["type"] == "fill_blank":
        return [alternatives[0] for alternatives in snap["answer"]]
    if snap["type"] == "short_answer":
        return ["进餐前洗手，营造愉快氛围。"]
    return list(snap["answer"])


def complete_course(person, course) -> CourseCompletion:
    enrollment = Enrollment.objects.create(person=person, course=course, status=Enrollment.Status.COMPLETED)
    return CourseCompletion.objects.create(enrollment=enrollment, person=person, course=course,
                                           hours=Decimal("2.0"), completed_at=timezone.now())  # fmt: skip


def overdue(attempt: Attempt, seconds: int) -> Attempt:
    """Move the attempt's deadline ``seconds`` into the past."""
    attempt.deadline_at = timezone.now() - dt.timedelta(seconds=seconds)
    attempt.save(update_fields=["deadline_at"])
    return attempt
