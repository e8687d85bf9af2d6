"""Recording what learners do in lessons: heartbeats from players and readers, gate quizzes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.registry import audit

from .. import progress as rules
from ..choices import HoursSource
from ..models import CoursePage, Enrollment, LearnerClock, LessonPage, LessonProgress
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


def lesson_rule(lesson: LessonPage, course: CoursePage) -> rules.LessonRule:
    return rules.LessonRule(
        videos={str(media.pk): float(media.duration or 0) for media in lesson.videos},
        gates=tuple(block.id for block in lesson.gates),
        ratio=course.video_ratio,
        dwell_seconds=course.text_dwell_seconds,
    )


def _check(enrollment: Enrollment, lesson: LessonPage) -> None:
    if enrollment.status != Enrollment.Status.ACTIVE and enrollment.status != Enrollment.Status.COMPLETED:
        raise ValidationError(_("This enrollment is closed."))
    if not lesson.path.startswith(enrollment.course.path) or not lesson.live:
        raise ValidationError(_("This lesson is not part of the course."))


def _state(progress: LessonProgress, rule: rules.LessonRule, enrollment: Enrollment) -> LessonState:
    return LessonState(
        watched_percent={mid: rules.video_percent(progress.watched.get(mid, []), d) for mid, d in rule.videos.items()},
        position=dict(progress.position),
        dwell_seconds=progress.dwell_seconds,
        credited=progress.credited_at is not None,
        course_completed=enrollment.status == Enrollment.Status.COMPLETED,
    )


def _credit_if_done(progress: LessonProgress, rule, enrollment: Enrollment, lesson: LessonPage, now) -> None:
    if progress.credited_at is not None:
        return
    if not rules.lesson_done(
        rule, watched=progress.watched, dwell_seconds=progress.dwell_seconds, gates_passed=progress.gates_passed
    ):
        return
    progress.credited_at = now
    course = enrollment.course
    hours_credit(
        person_id=enrollment.person_id,
        key=f"lesson:{enrollment.pk}:{lesson.pk}",
        hours=lesson.hours,
        kind=course.kind,
        source=HoursSource.ONLINE,
        occurred_on=timezone.localdate(now),
        course_id=course.pk,
        note=lesson.title,
    )
    audit.record(enrollment, "learning.lesson.credit", lesson=lesson.pk, hours=str(lesson.hours))


@transaction.atomic
def heartbeat_record(
    *,
    enrollment: Enrollment,
    lesson: LessonPage,
    media_id: str | None,
    start: float = 0,
    end: float = 0,
    now: datetime | None = None,
    rule: rules.LessonRule | None = None,
) -> LessonState:
    """Apply one heartbeat (a played video segment, or reading time when ``media_id`` is None).

    ``rule``: the lesson's rule when the caller has it cached (``selectors.lesson_rule_cached``).
    """
    now = now or timezone.now()
    _check(enrollment, lesson)
    course = enrollment.course
    rule = rule or lesson_rule(lesson, course)
    if media_id is not None and str(media_id) not in rule.videos:
        raise ValidationError(_("This video is not part of the lesson."))

    # Every heartbeat of this learner, from any tab or device, queues on this one row.
    clock = LearnerClock.objects.select_for_update().filter(person_id=enrollment.person_id).first()
    if clock is None:  # the learner's first heartbeat ever
        LearnerClock.objects.get_or_create(person_id=enrollment.person_id)
        clock = LearnerClock.objects.select_for_update().get(person_id=enrollment.person_id)
    elapsed = (now - clock.last_seen_at).total_seconds() if clock.last_seen_at else None
    allowance = rules.budget(elapsed)
    progress, _created = LessonProgress.objects.select_for_update().get_or_create(enrollment=enrollment, lesson=lesson)
    if media_id is not None:
        mid = str(media_id)
        accepted = rules.apply_heartbeat(
            progress.watched.get(mid, []), start=start, end=end, duration=rule.videos[mid], allowance=allowance
        )
        progress.watched[mid] = accepted.intervals
        progress.position[mid] = accepted.position
    else:
        progress.dwell_seconds += int(allowance - rules.TOLERANCE_SECONDS)
    clock.last_seen_at = now
    clock.save(update_fields=["last_seen_at"])
    _credit_if_done(progress, rule, enrollment, lesson, now)
    progress.save(update_fields=["watched", "position", "dwell_seconds", "credited_at", "updated_at"])
    if enrollment.last_lesson_id != lesson.pk:
        Enrollment.objects.filter(pk=enrollment.pk).update(last_lesson=lesson)
    if progress.credited_at == now:
        completion_check(enrollment=enrollment, now=now)
        enrollment.refresh_from_db(fields=["status"])
    return _state(progress, rule, enrollment)


@transaction.atomic
def gate_submit(
    *, enrollment: Enrollment, lesson: LessonPage, block_id: str, answers: list[list[int]], now: datetime | None = None
) -> rules.QuizResult:
    """Grade a "check your understanding" gate on the server; a pass is recorded once."""
    now = now or timezone.now()
    _check(enrollment, lesson)
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
        _credit_if_done(progress, lesson_rule(lesson, enrollment.course), enrollment, lesson, now)
        progress.save()
        if progress.credited_at == now:
            completion_check(enrollment=enrollment, now=now)
    return result
