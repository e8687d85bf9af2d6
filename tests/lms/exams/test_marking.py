"""Marking short answers, publishing results, and what candidates see of them under each review policy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from lms.exams.models import Attempt
from lms.exams.selectors import proctoring
from lms.exams.selectors import sittings as selectors
from lms.exams.services.attempts import answer_save, attempt_start, attempt_submit
from lms.exams.services.marking import answer_mark, sitting_publish_results
from lms.exams.services.sittings import sitting_close

from .sittings_fixtures import *  # noqa: F403  (fixtures)
from .sittings_fixtures import build_exam_world, correct_response

pytestmark = pytest.mark.django_db


def _submitted(world, *, all_right: bool = True) -> Attempt:
    attempt = attempt_start(candidate=world.candidate)
    for seq, q in enumerate(attempt.questions.order_by("position"), start=1):
        if all_right:
            answer_save(user=world.user, attempt_id=attempt.pk, position=q.position, response=correct_response(q),
                        seq=seq)  # fmt: skip
    return attempt_submit(attempt=attempt)


def test_the_queue_holds_submitted_short_answers_until_marked(exam_world):
    attempt = _submitted(exam_world)
    queue = list(proctoring.marking_queue(exam_world.sitting))
    assert len(queue) == 2 and {q.snapshot["type"] for q in queue} == {"short_answer"}
    answer_mark(attempt_question=queue[0], points="7.5", comment="要点基本齐全", actor=exam_world.staff)
    assert list(proctoring.marking_queue(exam_world.sitting)) == [queue[1]]
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.MARKING
    answer_mark(attempt_question=queue[1], points=10, actor=exam_world.staff)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    assert attempt.score == Decimal("97.50") and attempt.passed
    entries = ModelLogEntry.objects.filter(action="exams.answer.mark")
    assert entries.count() == 2 and entries.filter(user=exam_world.staff).count() == 2


def test_a_blank_short_answer_needs_no_marker(exam_world):
    attempt = _submitted(exam_world, all_right=False)
    assert attempt.status == Attempt.Status.GRADED and attempt.score == Decimal("0")
    assert not proctoring.marking_queue(exam_world.sitting).exists()


def test_marks_stay_within_the_question_points(exam_world, english):
    _submitted(exam_world)
    aq = proctoring.marking_queue(exam_world.sitting).first()
    for bad in ("10.01", "-1", "many"):
        with pytest.raises(ValidationError):
            answer_mark(attempt_question=aq, points=bad, actor=exam_world.staff)
    aq.refresh_from_db()
    assert aq.awarded is None and not ModelLogEntry.objects.filter(action="exams.answer.mark").exists()


def test_only_the_providers_staff_mark(exam_world):
    _submitted(exam_world)
    aq = proctoring.marking_queue(exam_world.sitting).first()
    with pytest.raises(PermissionDenied):
        answer_mark(attempt_question=aq, points=5, actor=exam_world.other_staff)
    with pytest.raises(PermissionDenied):
        answer_mark(attempt_question=aq, points=5, actor=exam_world.user)


def test_objective_questions_are_not_marked_by_hand(exam_world, english):
    attempt = _submitted(exam_world)
    objective = attempt.questions.exclude(snapshot__type="short_answer").first()
    with pytest.raises(ValidationError, match="Only short answers"):
        answer_mark(attempt_question=objective, points=0, actor=exam_world.staff)


def test_results_publish_only_when_nothing_awaits_marking(exam_world, english):
    _submitted(exam_world)
    with pytest.raises(ValidationError, match="still open"):
        sitting_publish_results(sitting=exam_world.sitting, actor=exam_world.staff)
    sitting_close(sitting=exam_world.sitting, actor=exam_world.staff)
    with pytest.raises(ValidationError, match="await marking"):
        sitting_publish_results(sitting=exam_world.sitting, actor=exam_world.staff)
    for aq in proctoring.marking_queue(exam_world.sitting):
        answer_mark(attempt_question=aq, points=6, actor=exam_world.staff)
    with pytest.raises(PermissionDenied):
        sitting_publish_results(sitting=exam_world.sitting, actor=exam_world.other_staff)
    sitting = sitting_publish_results(sitting=exam_world.sitting, actor=exam_world.staff)
    assert sitting.published_at is not None and sitting.status == sitting.Status.PUBLISHED
    assert ModelLogEntry.objects.filter(action="exams.sitting.publish").count() == 1
    # marks are frozen once published
    aq = exam_world.sitting.candidates.get().attempts.get().questions.filter(snapshot__type="short_answer").first()
    with pytest.raises(ValidationError, match="published"):
        answer_mark(attempt_question=aq, points=1, actor=exam_world.staff)


@pytest.mark.parametrize(
    ("policy", "closed", "answers"),
    [("never", True, False), ("after_publish", False, True), ("after_close", False, False),
     ("after_close", True, True)],
)  # fmt: skip
def test_the_review_policy_decides_what_candidates_see(policy, closed, answers):
    world = build_exam_world(review_policy=policy)
    attempt = _submitted(world)
    assert selectors.attempt_result(attempt)["score"] is None  # nothing before publication
    for aq in proctoring.marking_queue(world.sitting):
        answer_mark(attempt_question=aq, points=5, actor=world.staff)
    world.sitting.status = world.sitting.Status.CLOSED
    world.sitting.closes_at = timezone.now() + dt.timedelta(minutes=-1 if closed else 60)
    world.sitting.save()
    sitting_publish_results(sitting=world.sitting, actor=world.staff)
    attempt.refresh_from_db()
    result = selectors.attempt_result(attempt)
    assert result["score"] == Decimal("90.00") and result["passed"]
    assert (result["questions"] is not None) is answers
