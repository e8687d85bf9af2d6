"""Recording what learners do in lessons: heartbeats from players and readers, gate quizzes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.registry import audit

from .. import progress as rules
from .. import selectors
from ..choices import HoursSource
from ..models import Enrollment, LessonPage, LessonProgress
from . import progress_sql as sql
from .completion import completion_check
from .ledger import hours_credit


@dataclass(frozen=True)
class LessonState:
    """What the player needs back: where to resume and whether the lesson now counts."""

    watched_percent: dict[str, int]
    position: dict[str, float]
    dwell_seconds: int
    credited: bool
    course_completed: bool


def _target(lesson: LessonPage | rules.LessonTarget) -> rules.LessonTarget:
    if isinstance(lesson, rules.LessonTarget):
        return lesson
    target = selectors.lesson_target(lesson.pk)
    if target is None:  # unpublished, or not under a course
        raise ValidationError(_("This lesson is not part of the course."))
    return target


def _check(enrollment: Enrollment, target: rules.LessonTarget) -> None:
    if enrollment.status != Enrollment.Status.ACTIVE and enrollment.status != Enrollment.Status.COMPLETED:
        raise ValidationError(_("This enrollment is closed."))
    if enrollment.course_id != target.course_id:
        raise ValidationError(_("This lesson is not part of the course."))


def _state(progress: LessonProgress, rule: rules.LessonRule, enrollment: Enrollment) -> LessonState:
    return LessonState(
        watched_percent={mid: rules.video_percent(progress.watched.get(mid, []), d) for mid, d in rule.videos.items()},
        position=dict(progress.position),
        dwell_seconds=progress.dwell_seconds,
        credited=progress.credited_at is not None,
        course_completed=enrollment.status == Enrollment.Status.COMPLETED,
    )


def _credit_if_done(progress: LessonProgress, target: rules.LessonTarget, enrollment: Enrollment, now) -> None:
    if progress.credited_at is not None:
        return
    if not rules.lesson_done(
        target.rule, watched=progress.watched, dwell_seconds=progress.dwell_seconds, gates_passed=progress.gates_passed
    ):
        return
    progress.credited_at = now
    hours_credit(
        person_id=enrollment.person_id,
        key=f"lesson:{enrollment.pk}:{target.lesson_id}",
        hours=target.hours,
        kind=target.course_kind,
        source=HoursSource.ONLINE,
        occurred_on=timezone.localdate(now),
        course_id=target.course_id,
        note=target.title,
    )
    audit.record(enrollment, "learning.lesson.credit", lesson=target.lesson_id, hours=str(target.hours))


def _media_check(target: rules.LessonTarget, media_id: str | None) -> None:
    if media_id is not None and str(media_id) not in target.rule.videos:
        raise ValidationError(_("This video is not part of the lesson."))


def _apply(
    *,
    enrollment: Enrollment,
    target: rules.LessonTarget,
    progress: LessonProgress,
    previous: datetime | None,
    media_id: str | None,
    start: float,
    end: float,
    now: datetime,
) -> LessonState:
    """The heartbeat's effect on the locked progress row, given the clock's previous time."""
    rule = target.rule
    allowance = rules.budget((now - previous).total_seconds() if previous else None)
    if media_id is not None:
        mid = str(media_id)
        accepted = rules.apply_heartbeat(
            progress.watched.get(mid, []), start=start, end=end, duration=rule.videos[mid], allowance=allowance
        )
        progress.watched[mid] = accepted.intervals
        progress.position[mid] = accepted.position
    else:
        progress.dwell_seconds += int(allowance - rules.TOLERANCE_SECONDS)
    _credit_if_done(progress, target, enrollment, now)
    sql.progress_write(progress, now)
    if enrollment.last_lesson_id != target.lesson_id:
        Enrollment.objects.filter(pk=enrollment.pk).update(last_lesson_id=target.lesson_id)
        enrollment.last_lesson_id = target.lesson_id
    if progress.credited_at == now:
        completion_check(enrollment=enrollment, now=now)
        enrollment.refresh_from_db(fields=["status"])
    return _state(progress, rule, enrollment)


@transaction.atomic
def heartbeat_record(
    *,
    enrollment: Enrollment,
    lesson: LessonPage | rules.LessonTarget,
    media_id: str | None,
    start: float = 0,
    end: float = 0,
    now: datetime | None = None,
) -> LessonState:
    """Apply one heartbeat (a played video segment, or reading time when ``media_id`` is None).

    ``lesson``: the page, or its cached ``LessonTarget`` (``selectors.lesson_target``).
    """
    now = now or timezone.now()
    target = _target(lesson)
    _check(enrollment, target)
    _media_check(target, media_id)
    sql.clock_tick(enrollment.person_id, now)
    progress, previous = sql.locked_progress(enrollment, target.lesson_id)
    return _apply(
        enrollment=enrollment, target=target, progress=progress, previous=previous,
        media_id=media_id, start=start, end=end, now=now,
    )  # fmt: skip


@transaction.atomic
def learner_heartbeat(
    *,
    user,
    lesson: rules.LessonTarget,
    media_id: str | None,
    start: float = 0,
    end: float = 0,
    now: datetime | None = None,
) -> LessonState:
    """``heartbeat_record`` for the signed-in user's open enrollment in the lesson's course.

    The heartbeat endpoint's hot path: the enrollment is found by the same locked statement that
    reads the progress, so a heartbeat costs three statements. Raises PermissionDenied when the
    user has no open enrollment in the course (nothing is written).
    """
    now = now or timezone.now()
    _media_check(lesson, media_id)
    ticked = sql.clock_tick_for_user(user.pk, now)
    found = sql.locked_enrollment_progress(user.pk, lesson) if ticked else None
    if found:
        enrollment, progress, previous = found
    else:  # the first heartbeat ever or in this lesson, or not enrolled
        enrollment = selectors.enrollment_in_course(user, lesson.course_id)
        if enrollment is None:
            raise PermissionDenied
        if not ticked:
            sql.clock_tick(enrollment.person_id, now)
        progress, previous = sql.locked_progress(enrollment, lesson.lesson_id)
    return _apply(
        enrollment=enrollment, target=lesson, progress=progress, previous=previous,
        media_id=media_id, start=start, end=end, now=now,
    )  # fmt: skip


@transaction.atomic
def gate_submit(
    *, enrollment: Enrollment, lesson: LessonPage, block_id: str, answers: list[list[int]], now: datetime | None = None
) -> rules.QuizResult:
    """Grade a "check your understanding" gate on the server; a pass is recorded once."""
    now = now or timezone.now()
    target = _target(lesson)
    _check(enrollment, target)
    block = next((b for b in lesson.gates if b.id == block_id), None)
    if block is None:
        raise ValidationError(_("This quiz is not part of the lesson."))
    result = rules.grade(block.value["questions"], answers, block.value["pass_ratio"])
    if result.passed:
        progress, _created = LessonProgress.objects.select_for_update().get_or_create(
            enrollment=enrollment, lesson=lesson
        )
        if block_id not in progress.gates_passed:
            progress.gates_passed = [*progress.gates_passed, block_id]
        _credit_if_done(progress, target, enrollment, now)
        progress.save()
        if progress.credited_at == now:
            completion_check(enrollment=enrollment, now=now)
    return result
