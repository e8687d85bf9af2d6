"""Taking a theory exam: start an attempt, autosave answers, submit, and close overdue attempts.

* :func:`attempt_start` — idempotent: a candidate with an open attempt gets it back. The candidate's row is
  locked and ``(candidate, number)`` is unique, so two tabs starting at once get one attempt. The paper is drawn
  by :mod:`lms.exams.draw` with a seed derived from the sitting's seed, the candidate and the attempt number (the
  same inputs always give the same paper) and frozen into ``AttemptQuestion`` snapshots in one bulk insert.
  Deadline: start + duration + the candidate's extra minutes, never past the sitting's close.
* :func:`answer_save` — the autosave, on the hot path: one conditional ``UPDATE … WHERE client_seq < %s`` that
  also checks, in the same statement, that the attempt is the user's, still in progress and within its
  deadline plus grace. A replayed or older save changes nothing and reports the sequence number already saved.
  Only a refused save costs a second query (to say why).
* :func:`attempt_submit` — grades objective questions with :mod:`lms.exams.grading` under the attempt's row
  lock; a second submit returns the attempt as it is (graded once). Short answers send the attempt to marking.
* :func:`attempts_close_overdue` — submits (``auto_submitted``) every attempt past its deadline plus grace;
  the scheduled task runs it every minute; running it again changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.registry import audit
from lms.registry.models import Person

from .. import draw, grading, responses
from ..choices import QuestionType
from ..models import Attempt, AttemptQuestion, Candidate, Question, Sitting
from ..selectors import sittings as selectors

AQ = AttemptQuestion._meta.db_table
ATTEMPT = Attempt._meta.db_table
CANDIDATE = Candidate._meta.db_table
SITTING = Sitting._meta.db_table
PERSON = Person._meta.db_table
CENT = Decimal("0.01")


class AnswerRefused(ValidationError):
    """An answer the server will not save: ``code`` is ``time_up``, ``submitted`` or ``bad_response``."""


class AttemptNotFound(Exception):
    """No such attempt or question for this user."""


@dataclass(frozen=True)
class Saved:
    seq: int  # the client sequence number now stored for the question
    applied: bool  # False: a newer (or the same) answer was already saved, nothing changed


# --- start -----------------------------------------------------------------------------------------------------


def attempt_seed(sitting: Sitting, candidate: Candidate, number: int) -> str:
    return hashlib.sha256(f"{sitting.seed}:{candidate.pk}:{number}".encode()).hexdigest()


def _snapshots(blueprint, seed: str) -> list[tuple[Question, dict, Decimal]]:
    """``(question, snapshot, points)`` per drawn question, in the candidate's order.

    The draw itself is :func:`lms.exams.draw.draw` over the bank's inputs (``selectors.bank.draw_inputs``); the
    snapshot freezes what the candidate sees (options relabelled in the candidate's order) and how it is marked.
    """
    from ..selectors.bank import draw_inputs

    sections, pool = draw_inputs(blueprint)
    try:
        papers = draw.draw(sections, pool, seed, level=blueprint.level, shuffle_options=blueprint.shuffle_options)
    except draw.DrawError as exc:
        raise ValidationError(
            _("The question bank cannot satisfy this exam's blueprint: %(detail)s") % {"detail": exc},
            code="draw_failed",
        ) from exc
    questions = Question.objects.select_related("knowledge_area").in_bulk([d.question_id for d in papers])
    drawn = []
    for d in papers:
        q = questions[d.question_id]
        options, answer = draw.shuffle_options(q.options or [], q.answer or [], d.option_order)
        snapshot = {
            "type": q.type,
            "stem": q.stem,
            "options": options,
            "answer": answer,
            "rule": q.multiple_rule,
            "knowledge_area": q.knowledge_area.code,
            "points": str(d.points),
            "reference_answer": q.reference_answer,
            "explanation": q.explanation,
        }
        drawn.append((q, snapshot, d.points))
    return drawn


@transaction.atomic
def attempt_start(*, candidate: Candidate, actor=None, now: datetime | None = None) -> Attempt:
    """Start (or resume) the candidate's attempt; ``ValidationError`` with the reason when refused."""
    now = now or timezone.now()
    candidate = Candidate.objects.select_for_update().select_related("sitting__blueprint").get(pk=candidate.pk)
    sitting = candidate.sitting
    current = selectors.open_attempt(candidate)
    if current is not None:
        current.candidate = candidate
        if now <= selectors.cutoff(current):
            return current
        _submit_locked(Attempt.objects.select_for_update().get(pk=current.pk), actor=None, now=now, auto=True)
    refusal = selectors.start_refusal(candidate, now=now)
    if refusal:
        raise ValidationError(refusal, code="start_refused")
    number = (candidate.attempts.aggregate(n=Max("number"))["n"] or 0) + 1
    seed = attempt_seed(sitting, candidate, number)
    drawn = _snapshots(sitting.blueprint, seed)
    minutes = selectors.duration_minutes(sitting) + candidate.extra_minutes
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                candidate=candidate,
                number=number,
                seed=seed,
                started_at=now,
                deadline_at=min(now + timedelta(minutes=minutes), sitting.closes_at),
            )
    except IntegrityError:  # started at the same moment elsewhere (databases without row locks)
        return Attempt.objects.get(candidate=candidate, number=number)
    AttemptQuestion.objects.bulk_create(
        [
            AttemptQuestion(attempt=attempt, position=i, question=question, snapshot=snapshot, points=points)
            for i, (question, snapshot, points) in enumerate(drawn, start=1)
        ]
    )
    audit.record(attempt, "exams.attempt.start", actor=actor, number=number, questions=len(drawn))
    shapes = [(i, snapshot) for i, (_question, snapshot, _points) in enumerate(drawn, start=1)]
    transaction.on_commit(lambda: selectors.remember_paper_shapes(attempt.pk, shapes))
    return attempt


# --- autosave (hot path) ---------------------------------------------------------------------------------------


def _cutoff_sql() -> str:
    """SQL for "the attempt's deadline plus the sitting's grace is not before %s" (a = attempt, s = sitting)."""
    if connection.vendor == "postgresql":
        return "a.deadline_at + s.grace_seconds * INTERVAL '1 second' >= %s"
    if connection.vendor == "sqlite":
        return "julianday(a.deadline_at) + s.grace_seconds / 86400.0 >= julianday(%s)"
    raise NotImplementedError(connection.vendor)


def _save_sql() -> str:
    # The share lock on the attempt row makes a save wait for a submit in progress, and fail after it.
    lock = " FOR SHARE OF a" if connection.vendor == "postgresql" else ""
    return (
        f"UPDATE {AQ} SET response = %s, client_seq = %s, saved_at = %s "  # noqa: S608
        f"WHERE attempt_id = %s AND position = %s AND client_seq < %s AND attempt_id IN ("
        f"SELECT a.id FROM {ATTEMPT} a JOIN {CANDIDATE} c ON c.id = a.candidate_id "
        f"JOIN {SITTING} s ON s.id = c.sitting_id JOIN {PERSON} p ON p.id = c.person_id "
        f"WHERE a.id = %s AND p.user_id = %s AND a.status = %s AND {_cutoff_sql()}{lock})"
    )


def answer_save(*, user, attempt_id: int, position: int, response, seq: int, now: datetime | None = None) -> Saved:
    """Save one answer if ``seq`` is newer than the one stored; idempotent and order-proof.

    Raises :class:`AttemptNotFound` (not the user's attempt, or no such question) and :class:`AnswerRefused`
    (time up, already submitted, or a response of the wrong shape).
    """
    shapes = selectors.paper_shapes(attempt_id)
    if shapes is None or position not in shapes:
        raise AttemptNotFound
    try:
        value = responses.clean(shapes[position], response)
    except responses.BadResponse as exc:
        raise AnswerRefused(_("This answer is not valid for the question."), code="bad_response") from exc
    now = now or timezone.now()
    at = connection.ops.adapt_datetimefield_value(now)
    params = [None if value is None else json.dumps(value, ensure_ascii=False), seq, at, attempt_id, position, seq,
              attempt_id, user.pk, Attempt.Status.IN_PROGRESS.value, at]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(_save_sql(), params)
        if cursor.rowcount == 1:
            return Saved(seq=seq, applied=True)
    return _why_not_saved(user=user, attempt_id=attempt_id, position=position, now=now)


def _why_not_saved(*, user, attempt_id: int, position: int, now: datetime) -> Saved:
    row = (
        AttemptQuestion.objects.filter(attempt_id=attempt_id, position=position, attempt__candidate__person__user=user)
        .values_list(
            "client_seq", "attempt__status", "attempt__deadline_at", "attempt__candidate__sitting__grace_seconds"
        )
        .first()
    )
    if row is None:
        raise AttemptNotFound
    stored, status, deadline, grace = row
    if status != Attempt.Status.IN_PROGRESS:
        raise AnswerRefused(_("This exam has been submitted: answers can no longer be changed."), code="submitted")
    if now > deadline + timedelta(seconds=grace):
        raise AnswerRefused(_("Time is up: answers are no longer accepted."), code="time_up")
    return Saved(seq=stored, applied=False)  # a replay, or older than what is saved


# --- submit and grading ----------------------------------------------------------------------------------------


def _award(snapshot: dict, response, points: Decimal) -> Decimal | None:
    """Points for one answer (``lms.exams.grading``); None for a short answer to mark by hand."""
    return grading.score_snapshot(snapshot, response, points)


def _total(attempt: Attempt) -> None:
    """Score, pass and GRADED from the awarded points of every question (all must be marked)."""
    awarded = list(attempt.questions.values_list("awarded", flat=True))
    attempt.score = sum((a or Decimal("0") for a in awarded), Decimal("0")).quantize(CENT)
    attempt.passed = attempt.score >= attempt.candidate.sitting.blueprint.pass_mark
    attempt.status = Attempt.Status.GRADED


def attempt_finish_if_marked(attempt: Attempt) -> bool:
    """Grade an attempt awaiting marking once every short answer has its points (caller holds the row lock)."""
    if attempt.status == Attempt.Status.IN_PROGRESS:
        return False
    if attempt.questions.filter(awarded__isnull=True).exists():
        return False
    _total(attempt)
    attempt.save(update_fields=["score", "passed", "status"])
    return True


def _submit_locked(attempt: Attempt, *, actor, now: datetime, auto: bool) -> bool:
    """Submit and grade an attempt whose row the caller has locked; False if it was no longer in progress."""
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return False
    questions = list(attempt.questions.all())
    for aq in questions:
        if aq.snapshot.get("type") == QuestionType.SHORT_ANSWER:
            aq.awarded = Decimal("0") if aq.response is None else None  # a blank answer needs no marker
        else:
            aq.awarded = Decimal("0") if aq.response is None else _award(aq.snapshot, aq.response, aq.points)
    AttemptQuestion.objects.bulk_update(questions, ["awarded"])
    attempt.submitted_at = now
    attempt.auto_submitted = auto or now > selectors.cutoff(attempt)
    attempt.answered_count = sum(1 for aq in questions if aq.response is not None)
    if any(aq.awarded is None for aq in questions):
        attempt.status = Attempt.Status.MARKING
    else:
        _total(attempt)
    attempt.save(update_fields=["submitted_at", "auto_submitted", "answered_count", "status", "score", "passed"])
    audit.record(attempt, "exams.attempt.submit", actor=actor, auto=attempt.auto_submitted,
                 answered=attempt.answered_count, status=attempt.status)  # fmt: skip
    return True


@transaction.atomic
def attempt_submit(*, attempt: Attempt, actor=None, now: datetime | None = None, auto: bool = False) -> Attempt:
    """Submit the attempt and grade what can be graded; submitting again returns it unchanged."""
    locked = Attempt.objects.select_for_update().select_related("candidate__sitting__blueprint").get(pk=attempt.pk)
    _submit_locked(locked, actor=actor, now=now or timezone.now(), auto=auto)
    return locked


def attempts_close_overdue(*, now: datetime | None = None) -> int:
    """Submit every attempt whose deadline plus grace has passed (auto-submitted); returns how many."""
    now = now or timezone.now()
    overdue = Attempt.objects.filter(status=Attempt.Status.IN_PROGRESS, deadline_at__lt=now).values_list(
        "pk", "deadline_at", "candidate__sitting__grace_seconds"
    )
    closed = 0
    for pk, deadline, grace in overdue:
        if deadline + timedelta(seconds=grace) >= now:
            continue
        with transaction.atomic():
            locked = Attempt.objects.select_for_update().select_related("candidate__sitting__blueprint").get(pk=pk)
            closed += _submit_locked(locked, actor=None, now=now, auto=True)
    return closed
