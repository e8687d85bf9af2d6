"""Reads of theory sittings, and who may see what of them.

* Back office: platform admins (superusers) see every sitting; provider staff only their providers' sittings
  (:func:`sittings_for`). Markers of a sitting's short answers are the staff of its provider (:func:`can_mark`).
* Candidates: their own candidacies (:func:`my_candidacies`), what they may start now (:func:`start_refusal`),
  their paper *without* answers (:func:`exam_paper`) and, once the review policy allows, their result
  (:func:`attempt_result`). Nothing here hands an answer, a reference answer, awarded points or a score to a
  candidate before :func:`may_see_score` / :func:`may_see_answers` say so.
* Proctors and markers: :mod:`.proctoring`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from lms.learning.models import CourseCompletion
from lms.registry.models import Person
from lms.registry.selectors import is_banned, user_scope

from ..choices import QuestionType, ReviewPolicy
from ..models import Attempt, AttemptQuestion, Candidate, ExamRoom, Sitting

MIN_PROCTORS_PER_ROOM = 2
MAX_CANDIDATES_PER_PROCTOR = 15
SHAPES_TTL = 12 * 3600  # a paper's shapes never change; the cache only has to outlive the attempt


# --- back-office scoping ---------------------------------------------------------------------------------------


def sittings_for(user) -> QuerySet:
    """Sittings the user manages: all for platform admins, their providers' for provider staff, else none."""
    scope = user_scope(user)
    qs = Sitting.objects.select_related("blueprint", "provider")
    if scope.is_platform_admin:
        return qs
    if scope.provider_ids:
        return qs.filter(provider_id__in=scope.provider_ids)
    return qs.none()


def can_manage_sittings(user) -> bool:
    scope = user_scope(user)
    return scope.is_platform_admin or bool(scope.provider_ids)


def can_manage_sitting(user, sitting: Sitting) -> bool:
    scope = user_scope(user)
    return scope.is_platform_admin or sitting.provider_id in scope.provider_ids


def can_mark(user, sitting: Sitting) -> bool:
    """Markers of a sitting's short answers: its provider's staff (and platform admins)."""
    return can_manage_sitting(user, sitting)


def proctored_sittings(user) -> QuerySet:
    """Sittings the user manages or proctors a room of (for the live view)."""
    scope = user_scope(user)
    if scope.is_platform_admin:
        return sittings_for(user)
    proctoring = ExamRoom.objects.filter(sitting=OuterRef("pk"), proctors=user)
    return Sitting.objects.select_related("blueprint", "provider").filter(
        Q(provider_id__in=scope.provider_ids) | Q(Exists(proctoring))
    )


def blueprints_for(user) -> QuerySet:
    """Blueprints a sitting of the user may use: platform blueprints and their providers' own."""
    from ..models import Blueprint

    scope = user_scope(user)
    if scope.is_platform_admin:
        return Blueprint.objects.all()
    return Blueprint.objects.filter(Q(provider__isnull=True) | Q(provider_id__in=scope.provider_ids))


def duration_minutes(sitting: Sitting) -> int:
    return sitting.duration_minutes or sitting.blueprint.duration_minutes


def sitting_candidates(sitting: Sitting) -> QuerySet:
    return sitting.candidates.select_related("person", "room").order_by("room__name", "person__name", "pk")


def ratio_warnings(sitting: Sitting) -> list[str]:
    """Rooms with fewer than 2 proctors or more than 15 approved candidates per proctor; unplaced candidates."""
    warnings = []
    rooms = sitting.rooms.annotate(
        n_proctors=Count("proctors", distinct=True),
        n_candidates=Count("candidates", filter=Q(candidates__status=Candidate.Status.APPROVED), distinct=True),
    ).order_by("name")
    for room in rooms:
        if room.n_proctors < MIN_PROCTORS_PER_ROOM:
            warnings.append(
                _("Room %(room)s has %(n)d proctor(s); at least %(min)d are required.")
                % {"room": room.name, "n": room.n_proctors, "min": MIN_PROCTORS_PER_ROOM}
            )
        if room.n_candidates > MAX_CANDIDATES_PER_PROCTOR * max(room.n_proctors, 1):
            warnings.append(
                _("Room %(room)s has %(c)d candidates for %(p)d proctor(s): more than %(max)d per proctor.")
                % {"room": room.name, "c": room.n_candidates, "p": room.n_proctors, "max": MAX_CANDIDATES_PER_PROCTOR}
            )
    unplaced = sitting.candidates.filter(status=Candidate.Status.APPROVED, room__isnull=True).count()
    if unplaced and sitting.rooms.exists():
        warnings.append(_("%(n)d approved candidate(s) have no room.") % {"n": unplaced})
    return warnings


# --- eligibility and starting ----------------------------------------------------------------------------------


def has_completed_course(person_id: int, course_id: int | None) -> bool:
    return course_id is not None and CourseCompletion.objects.filter(person_id=person_id, course_id=course_id).exists()


def eligibility_refusal(candidate: Candidate) -> str | None:
    """Why the candidate may not sit the exam at all (a user-facing message), or None."""
    sitting = candidate.sitting
    if is_banned(candidate.person_id):
        return _("You are barred from childcare work and cannot sit this exam.")
    if candidate.status == Candidate.Status.REFUSED:
        return _("Your registration for this exam was refused.")
    if sitting.eligibility == Sitting.Eligibility.COURSE_COMPLETED:
        if not has_completed_course(candidate.person_id, sitting.course_id):
            return _("You must complete the course “%(course)s” first.") % {"course": sitting.course}
        return None
    if candidate.status != Candidate.Status.APPROVED:
        return _("Your registration has not been approved yet.")
    return None


def open_attempt(candidate: Candidate) -> Attempt | None:
    return candidate.attempts.filter(status=Attempt.Status.IN_PROGRESS).order_by("-number").first()


def _local(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i")


def start_refusal(candidate: Candidate, *, now: datetime | None = None) -> str | None:
    """Why the candidate may not start a new attempt now (user-facing), or None. An open attempt is resumed
    instead (check :func:`open_attempt` first)."""
    now = now or timezone.now()
    sitting = candidate.sitting
    if sitting.status != Sitting.Status.SCHEDULED:
        return _("This exam is not open.")
    if now < sitting.opens_at:
        return _("The exam opens at %(time)s.") % {"time": _local(sitting.opens_at)}
    if now >= sitting.closes_at:
        return _("The exam closed at %(time)s.") % {"time": _local(sitting.closes_at)}
    refusal = eligibility_refusal(candidate)
    if refusal:
        return refusal
    previous = list(candidate.attempts.order_by("-number"))
    if len(previous) >= sitting.attempts_allowed:
        return _("You have used all your attempts at this exam.")
    if previous:
        last = previous[0]
        if last.status == Attempt.Status.MARKING:
            return _("Your previous attempt is still being marked.")
        if last.passed:
            return _("You have already passed this exam.")
        wait_until = (last.submitted_at or last.deadline_at) + timedelta(days=sitting.retake_wait_days)
        if now < wait_until:
            return _("You may try again from %(time)s.") % {"time": _local(wait_until)}
    return None


# --- candidates' pages -----------------------------------------------------------------------------------------


def candidate_for(person: Person, sitting_id: int) -> Candidate | None:
    return (
        Candidate.objects.select_related("sitting", "sitting__blueprint")
        .filter(person=person, sitting_id=sitting_id)
        .first()
    )


def my_candidacies(person: Person, *, now: datetime | None = None) -> list[dict]:
    """The person's sittings, newest first, each with its attempts, what may be started and the result state."""
    now = now or timezone.now()
    candidates = (
        Candidate.objects.filter(person=person)
        .exclude(sitting__status=Sitting.Status.DRAFT)
        .select_related("sitting", "sitting__blueprint", "room")
        .prefetch_related("attempts")
        .order_by("-sitting__opens_at")
    )
    rows = []
    for candidate in candidates:
        attempts = sorted(candidate.attempts.all(), key=lambda a: a.number)
        current = next((a for a in attempts if a.status == Attempt.Status.IN_PROGRESS), None)
        rows.append(
            {
                "candidate": candidate,
                "sitting": candidate.sitting,
                "attempts": attempts,
                "open_attempt": current,
                "refusal": None if current else start_refusal(candidate, now=now),
                "published": candidate.sitting.published_at is not None,
            }
        )
    return rows


def registrable_sittings(person: Person, *, now: datetime | None = None) -> QuerySet:
    """Scheduled sittings still open that the person is not a candidate of and may register for: those open to
    approved registrations, and those open to completers of a course the person completed."""
    now = now or timezone.now()
    completed = CourseCompletion.objects.filter(person=person, course_id=OuterRef("course_id"))
    return (
        Sitting.objects.filter(status=Sitting.Status.SCHEDULED, closes_at__gt=now)
        .exclude(candidates__person=person)
        .filter(Q(eligibility=Sitting.Eligibility.REGISTERED) | Q(Exists(completed)))
        .select_related("blueprint", "provider")
        .order_by("opens_at")
    )


def attempt_for_user(user, attempt_id: int) -> Attempt | None:
    """The attempt if it belongs to the signed-in person, with its candidate, sitting and blueprint."""
    if not user.is_authenticated:
        return None
    return (
        Attempt.objects.select_related("candidate__sitting__blueprint", "candidate__person")
        .filter(pk=attempt_id, candidate__person__user=user)
        .first()
    )


def cutoff(attempt: Attempt) -> datetime:
    """The last moment an answer is accepted: the deadline plus the sitting's grace."""
    return attempt.deadline_at + timedelta(seconds=attempt.candidate.sitting.grace_seconds)


def exam_paper(attempt: Attempt) -> list[dict]:
    """The questions as the candidate sees them, in order, with the saved responses and sequence numbers.

    Built field by field from the snapshot: the answer, the explanation, the reference answer and any awarded
    points are never part of it.
    """
    rows = AttemptQuestion.objects.filter(attempt=attempt).order_by("position")
    paper = []
    for position, snapshot, points, response, seq in rows.values_list(
        "position", "snapshot", "points", "response", "client_seq"
    ):
        qtype = snapshot["type"]
        blanks = len(snapshot.get("answer") or []) if qtype == QuestionType.FILL_BLANK else 0
        paper.append(
            {
                "position": position,
                "type": qtype,
                "stem": snapshot["stem"],
                "options": [{"key": o["key"], "text": o["text"]} for o in snapshot.get("options") or []],
                "blanks": blanks,
                "blank_values": (response or [""] * blanks) if blanks else [],
                "points": str(points),
                "response": response,
                "seq": seq,
            }
        )
    return paper


def _shape(snapshot: dict) -> tuple:
    qtype = snapshot["type"]
    keys = tuple(o["key"] for o in snapshot.get("options") or [])
    blanks = len(snapshot.get("answer") or []) if qtype == QuestionType.FILL_BLANK else 0
    return (qtype, keys, blanks)


def paper_shapes(attempt_id: int) -> dict[int, tuple] | None:
    """What a valid response to each position looks like: ``{position: (type, option keys, blanks)}``.

    Cached (the snapshot of an attempt never changes): the autosave path validates against it without loading
    the attempt. Filled when the attempt starts (:func:`remember_paper_shapes`), so the first saves of a
    sitting's candidates, who all start at once, do not each load their paper. None for an attempt without
    questions.
    """
    key = f"exams:shapes:{attempt_id}"
    shapes = cache.get(key)
    if shapes is None:
        shapes = {
            position: _shape(snapshot)
            for position, snapshot in AttemptQuestion.objects.filter(attempt_id=attempt_id).values_list(
                "position", "snapshot"
            )
        }
        if not shapes:
            return None
        cache.set(key, shapes, SHAPES_TTL)
    return shapes


def remember_paper_shapes(attempt_id: int, snapshots: Iterable[tuple[int, dict]]) -> None:
    """Cache the shapes of a just-drawn paper (``(position, snapshot)`` pairs), as :func:`paper_shapes` would."""
    shapes = {position: _shape(snapshot) for position, snapshot in snapshots}
    if shapes:
        cache.set(f"exams:shapes:{attempt_id}", shapes, SHAPES_TTL)


# --- results and the review policy -----------------------------------------------------------------------------


def may_see_score(attempt: Attempt) -> bool:
    """Scores reach candidates only once the sitting's results are published and the attempt is graded."""
    return attempt.candidate.sitting.published_at is not None and attempt.status == Attempt.Status.GRADED


def may_see_answers(attempt: Attempt, *, now: datetime | None = None) -> bool:
    """Correct answers as the blueprint's review policy allows: never, after publication, or after publication
    once the sitting's window has closed."""
    if not may_see_score(attempt):
        return False
    sitting = attempt.candidate.sitting
    policy = sitting.blueprint.review_policy
    if policy == ReviewPolicy.NEVER:
        return False
    if policy == ReviewPolicy.AFTER_CLOSE:
        return (now or timezone.now()) >= sitting.closes_at
    return True


def attempt_result(attempt: Attempt, *, now: datetime | None = None) -> dict:
    """What the candidate may see of a finished attempt: always the state, the score once published, and the
    questions with the correct answers and marks only as the review policy allows."""
    result = {"attempt": attempt, "score": None, "passed": None, "questions": None, "published": False}
    if not may_see_score(attempt):
        return result
    result.update(published=True, score=attempt.score, passed=attempt.passed)
    if may_see_answers(attempt, now=now):
        questions = []
        for aq in AttemptQuestion.objects.filter(attempt=attempt).order_by("position"):
            snap = aq.snapshot
            questions.append(
                {
                    "position": aq.position,
                    "type": snap["type"],
                    "stem": snap["stem"],
                    "options": snap.get("options") or [],
                    "answer": snap.get("answer"),
                    "reference_answer": snap.get("reference_answer", ""),
                    "explanation": snap.get("explanation", ""),
                    "response": aq.response,
                    "points": aq.points,
                    "awarded": aq.awarded,
                    "comment": aq.marker_comment,
                }
            )
        result["questions"] = questions
    return result
