"""Attempts: start (draw, deadline, idempotence, eligibility, attempts and retake rules), autosave (ordering,
replays, deadline and grace, shape), submit (graded once), closing overdue attempts."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry

from lms.exams.models import Attempt, AttemptQuestion, Candidate, Sitting
from lms.exams.services.attempts import (
    AnswerRefused,
    AttemptNotFound,
    answer_save,
    attempt_start,
    attempt_submit,
    attempts_close_overdue,
)
from lms.exams.tasks import close_overdue_attempts_task
from tests import factories as f
from tests.lms.learning.conftest import build_course

from . import factories as xf
from .sittings_fixtures import *  # noqa: F403  (fixtures)
from .sittings_fixtures import complete_course, correct_response, overdue

pytestmark = pytest.mark.django_db


def _questions(attempt) -> list[AttemptQuestion]:
    return list(attempt.questions.order_by("position"))


def _save(world, attempt, position, response, seq, **kw):
    return answer_save(user=world.user, attempt_id=attempt.pk, position=position, response=response, seq=seq, **kw)


# --- start -----------------------------------------------------------------------------------------------------


def test_start_draws_the_blueprint_into_frozen_snapshots(exam_world):
    now = timezone.now()
    attempt = attempt_start(candidate=exam_world.candidate, now=now)
    questions = _questions(attempt)
    assert [q.position for q in questions] == list(range(1, 11))
    assert sorted(q.snapshot["type"] for q in questions) == sorted(
        ["true_false", "single", "multiple", "fill_blank", "short_answer"] * 2
    )
    assert len({q.question_id for q in questions}) == 10
    assert all(q.points == Decimal("10") for q in questions)
    assert attempt.deadline_at == now + dt.timedelta(minutes=90)
    # editing the bank afterwards changes nothing in the attempt
    q = questions[0]
    stem = q.snapshot["stem"]
    q.question.stem = "改过的题干"
    q.question.save()
    q.refresh_from_db()
    assert q.snapshot["stem"] == stem


def test_the_same_seed_draws_the_same_paper(exam_world):
    from lms.exams.services.attempts import _snapshots

    seed = "fixed-seed"
    first = [(q.pk, s["options"]) for q, s, _p in _snapshots(exam_world.blueprint, seed)]
    again = [(q.pk, s["options"]) for q, s, _p in _snapshots(exam_world.blueprint, seed)]
    assert first == again


def test_starting_again_returns_the_open_attempt(exam_world):
    first = attempt_start(candidate=exam_world.candidate)
    again = attempt_start(candidate=exam_world.candidate)
    assert again.pk == first.pk
    assert Attempt.objects.count() == 1 and AttemptQuestion.objects.count() == 10


def test_deadline_includes_extra_time_but_never_passes_the_close(exam_world):
    now = timezone.now()
    candidate = exam_world.candidate
    candidate.extra_minutes = 15
    candidate.save()
    assert attempt_start(candidate=candidate, now=now).deadline_at == now + dt.timedelta(minutes=105)

    sitting = xf.SittingFactory(blueprint=exam_world.blueprint, provider=exam_world.provider,
                                closes_at=now + dt.timedelta(minutes=30))  # fmt: skip
    late = xf.CandidateFactory(sitting=sitting, person=exam_world.person)
    assert attempt_start(candidate=late, now=now).deadline_at == sitting.closes_at


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"candidate_status": Candidate.Status.PENDING}, "not been approved"),
        ({"candidate_status": Candidate.Status.REFUSED}, "refused"),
        ({"opens_in": 60}, "opens at"),
        ({"closed_ago": 1}, "closed at"),
        ({"sitting_status": Sitting.Status.DRAFT}, "not open"),
    ],
)
def test_start_is_refused_with_the_reason(exam_world, english, change, message):
    sitting, candidate = exam_world.sitting, exam_world.candidate
    now = timezone.now()
    if "candidate_status" in change:
        candidate.status = change["candidate_status"]
        candidate.save()
    if "opens_in" in change:
        sitting.opens_at = now + dt.timedelta(minutes=change["opens_in"])
        sitting.closes_at = sitting.opens_at + dt.timedelta(hours=2)
    if "closed_ago" in change:
        sitting.opens_at = now - dt.timedelta(hours=3)
        sitting.closes_at = now - dt.timedelta(minutes=change["closed_ago"])
    if "sitting_status" in change:
        sitting.status = change["sitting_status"]
    sitting.save()
    with pytest.raises(ValidationError, match=message):
        attempt_start(candidate=candidate, now=now)
    assert not Attempt.objects.exists()


def test_course_completion_makes_a_candidate_eligible(exam_world, english):
    course = build_course(provider=exam_world.provider)
    sitting = exam_world.sitting
    sitting.eligibility, sitting.course = Sitting.Eligibility.COURSE_COMPLETED, course
    sitting.save()
    candidate = exam_world.candidate
    candidate.status = Candidate.Status.PENDING  # approval is not what counts here
    candidate.save()
    with pytest.raises(ValidationError, match="complete the course"):
        attempt_start(candidate=candidate)
    complete_course(exam_world.person, course)
    assert attempt_start(candidate=candidate).number == 1


def test_a_banned_person_cannot_start(exam_world, english):
    from lms.registry.models import Ban

    Ban.objects.create(person=exam_world.person, reason="虐童", decided_on=timezone.localdate(), decided_by="市卫健委")
    with pytest.raises(ValidationError, match="barred"):
        attempt_start(candidate=exam_world.candidate)


def test_attempts_allowed_and_the_wait_between_attempts(exam_world, english):
    sitting = exam_world.sitting
    sitting.attempts_allowed, sitting.retake_wait_days = 2, 1
    sitting.save()
    now = timezone.now()
    first = attempt_start(candidate=exam_world.candidate, now=now)
    attempt_submit(attempt=first, now=now + dt.timedelta(minutes=10))  # blank: short answers score 0, fails
    first.refresh_from_db()
    assert first.status == Attempt.Status.GRADED and first.passed is False
    with pytest.raises(ValidationError, match="try again from"):
        attempt_start(candidate=exam_world.candidate, now=now + dt.timedelta(hours=1))
    later = now + dt.timedelta(days=1, minutes=11)
    sitting.closes_at = later + dt.timedelta(hours=3)
    sitting.save()
    second = attempt_start(candidate=exam_world.candidate, now=later)
    assert second.number == 2 and second.seed != first.seed
    attempt_submit(attempt=second, now=later + dt.timedelta(minutes=5))
    with pytest.raises(ValidationError, match="used all your attempts"):
        attempt_start(candidate=exam_world.candidate, now=later + dt.timedelta(hours=1))


def test_an_overdue_open_attempt_is_closed_before_a_retake(exam_world):
    sitting = exam_world.sitting
    sitting.attempts_allowed = 2
    sitting.save()
    first = overdue(attempt_start(candidate=exam_world.candidate), 120)
    second = attempt_start(candidate=exam_world.candidate)
    first.refresh_from_db()
    assert first.auto_submitted and first.status == Attempt.Status.GRADED
    assert second.number == 2


# --- autosave --------------------------------------------------------------------------------------------------


def test_autosave_is_one_statement_and_ordered_by_sequence_number(exam_world):
    attempt = attempt_start(candidate=exam_world.candidate)
    single = next(q for q in _questions(attempt) if q.snapshot["type"] == "single")
    keys = [o["key"] for o in single.snapshot["options"]]
    _save(exam_world, attempt, single.position, [keys[0]], 5)  # warms the paper's shapes in the cache
    with CaptureQueriesContext(connection) as queries:
        saved = _save(exam_world, attempt, single.position, [keys[1]], 7)
    assert len(queries) == 1
    assert saved.applied and saved.seq == 7
    # an older save arriving late, and a replay of the last one: nothing changes, the stored seq is reported
    late = _save(exam_world, attempt, single.position, [keys[2]], 6)
    replay = _save(exam_world, attempt, single.position, [keys[1]], 7)
    assert (late.applied, late.seq) == (False, 7)
    assert (replay.applied, replay.seq) == (False, 7)
    single.refresh_from_db()
    assert single.response == [keys[1]] and single.client_seq == 7 and single.saved_at is not None


def test_the_first_save_of_a_started_attempt_is_one_statement_too(exam_world, django_capture_on_commit_callbacks):
    """A sitting's candidates all start at once: their first saves must not each load the paper."""
    with django_capture_on_commit_callbacks(execute=True):
        attempt = attempt_start(candidate=exam_world.candidate)
    single = next(q for q in _questions(attempt) if q.snapshot["type"] == "single")
    with CaptureQueriesContext(connection) as queries:
        saved = _save(exam_world, attempt, single.position, [single.snapshot["options"][0]["key"]], 1)
    assert len(queries) == 1 and saved.applied


def test_an_empty_answer_is_stored_as_unanswered(exam_world):
    attempt = attempt_start(candidate=exam_world.candidate)
    fill = next(q for q in _questions(attempt) if q.snapshot["type"] == "fill_blank")
    _save(exam_world, attempt, fill.position, ["二", "体育"], 1)
    _save(exam_world, attempt, fill.position, ["", " "], 2)
    fill.refresh_from_db()
    assert fill.response is None and fill.client_seq == 2


@pytest.mark.parametrize(
    ("qtype", "response"),
    [("single", ["Z"]), ("single", ["A", "B"]), ("multiple", ["A", 3]), ("true_false", ["yes"]),
     ("fill_blank", ["only one"]), ("short_answer", [{"x": 1}])],
)  # fmt: skip
def test_a_response_of_the_wrong_shape_is_refused(exam_world, qtype, response):
    attempt = attempt_start(candidate=exam_world.candidate)
    q = next(q for q in _questions(attempt) if q.snapshot["type"] == qtype)
    with pytest.raises(AnswerRefused) as exc:
        _save(exam_world, attempt, q.position, response, 1)
    assert exc.value.code == "bad_response"
    q.refresh_from_db()
    assert q.response is None and q.client_seq == 0


def test_answers_are_accepted_in_the_grace_period_and_refused_after(exam_world, english):
    attempt = attempt_start(candidate=exam_world.candidate)
    q = _questions(attempt)[0]
    now = attempt.deadline_at + dt.timedelta(seconds=30)  # grace is 60 s
    assert _save(exam_world, attempt, q.position, correct_response(q), 1, now=now).applied
    late = attempt.deadline_at + dt.timedelta(seconds=61)
    with pytest.raises(AnswerRefused, match="Time is up") as exc:
        _save(exam_world, attempt, q.position, correct_response(q), 2, now=late)
    assert exc.value.code == "time_up"
    q.refresh_from_db()
    assert q.client_seq == 1


def test_answers_are_refused_after_submission(exam_world):
    attempt = attempt_start(candidate=exam_world.candidate)
    attempt_submit(attempt=attempt)
    with pytest.raises(AnswerRefused) as exc:
        _save(exam_world, attempt, 1, None, 3)
    assert exc.value.code == "submitted"


def test_nobody_else_can_save_into_an_attempt(exam_world):
    attempt = attempt_start(candidate=exam_world.candidate)
    intruder = f.UserFactory()
    f.PersonFactory(user=intruder)
    with pytest.raises(AttemptNotFound):
        answer_save(user=intruder, attempt_id=attempt.pk, position=1, response=None, seq=1)
    with pytest.raises(AttemptNotFound):
        _save(exam_world, attempt, 99, None, 1)
    assert not AttemptQuestion.objects.filter(attempt=attempt, client_seq__gt=0).exists()


# --- submit and close ------------------------------------------------------------------------------------------


def test_submit_grades_objective_questions_and_sends_short_answers_to_marking(exam_world):
    attempt = attempt_start(candidate=exam_world.candidate)
    for seq, q in enumerate(_questions(attempt), start=1):
        _save(exam_world, attempt, q.position, correct_response(q), seq)
    attempt_submit(attempt=attempt, actor=exam_world.user)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.MARKING and attempt.score is None
    assert attempt.answered_count == 10 and not attempt.auto_submitted
    awarded = {q.snapshot["type"]: q.awarded for q in _questions(attempt)}
    assert awarded["short_answer"] is None
    assert all(awarded[t] == Decimal("10") for t in ("single", "multiple", "true_false", "fill_blank"))


def test_double_submit_grades_once(exam_world):
    blueprint_only_objective = xf.blueprint_with_sections(
        banks=[exam_world.bank], sections=(("single", 2, "30"), ("true_false", 2, "20")), provider=exam_world.provider
    )
    sitting = xf.SittingFactory(blueprint=blueprint_only_objective, provider=exam_world.provider)
    candidate = xf.CandidateFactory(sitting=sitting, person=exam_world.person)
    attempt = attempt_start(candidate=candidate)
    questions = _questions(attempt)
    for seq, q in enumerate(questions[:3], start=1):
        _save(exam_world, attempt, q.position, correct_response(q), seq)
    first = attempt_submit(attempt=attempt)
    second = attempt_submit(attempt=attempt, now=timezone.now() + dt.timedelta(minutes=1))
    assert first.status == second.status == Attempt.Status.GRADED
    assert second.submitted_at == first.submitted_at
    assert first.score == second.score and first.passed is True and first.score >= Decimal("60")
    assert ModelLogEntry.objects.filter(action="exams.attempt.submit", object_id=str(attempt.pk)).count() == 1


def test_close_overdue_submits_after_grace_only_and_is_idempotent(exam_world):
    in_grace = overdue(attempt_start(candidate=exam_world.candidate), 30)
    other = xf.CandidateFactory(sitting=exam_world.sitting)
    late = overdue(attempt_start(candidate=other), 61)
    assert attempts_close_overdue() == 1
    assert close_overdue_attempts_task() == 0
    in_grace.refresh_from_db()
    late.refresh_from_db()
    assert in_grace.status == Attempt.Status.IN_PROGRESS
    assert late.status == Attempt.Status.GRADED and late.auto_submitted and late.score == Decimal("0")
    assert ModelLogEntry.objects.filter(action="exams.attempt.submit").count() == 1


# --- concurrency (PostgreSQL) ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs row locks")
def test_two_tabs_starting_at_once_get_one_attempt():
    """Both requests race past the check for an open attempt; the candidate's row lock serializes them."""
    import threading

    from django.db import connections

    from .sittings_fixtures import build_exam_world

    world = build_exam_world()
    barrier, results, errors = threading.Barrier(4), [], []

    def tab():
        try:
            barrier.wait(timeout=10)
            results.append(attempt_start(candidate=world.candidate).pk)
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tab) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert len(set(results)) == 1 and len(results) == 4
    assert Attempt.objects.count() == 1 and AttemptQuestion.objects.count() == 10
