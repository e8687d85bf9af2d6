"""Recording what learners do in lessons: heartbeats from players and readers, gate quizzes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from lms.registry import audit

from .. import progress as rules
from .. import selectors
from ..choices import HoursSource
from ..models import Enrollment, LearnerClock, LessonPage, LessonProgress
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


# The heartbeat's locked read-modify-write, in three SQL statements written out by hand: every
# learner sends one every 10 s, and the ORM's query building cost several times the database's
# own work (docs/learning.md, "Heartbeat throughput"). Portable SQL (SQLite and PostgreSQL); row
# locks where the database has them (SQLite serializes writers anyway). Table names come from the
# models' meta, values are always parameters. Rare paths (first
# heartbeat, a credit) go through the ORM.


def _db_datetime(value) -> datetime | None:
    """A timestamp read by a raw cursor (SQLite gives text or naive UTC) as an aware datetime."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def _clock_tick(cursor, person_id: int, now: datetime) -> None:
    """Move the learner's clock to ``now``, keeping the time it replaces; holds the row lock.

    Every heartbeat of the learner, from any tab, device or lesson, queues on this one row until
    its transaction ends; ``_locked_progress`` reads back the replaced time.
    """
    sql = (
        f"UPDATE {LearnerClock._meta.db_table} SET previous_seen_at = last_seen_at, last_seen_at = %s "  # noqa: S608
        "WHERE person_id = %s"
    )
    params = [connection.ops.adapt_datetimefield_value(now), person_id]
    cursor.execute(sql, params)
    if cursor.rowcount == 0:  # the learner's first heartbeat ever
        LearnerClock.objects.get_or_create(person_id=person_id)
        cursor.execute(sql, params)


def _locked_progress(cursor, enrollment: Enrollment, lesson_id: int) -> tuple[LessonProgress, datetime | None]:
    """The learner's progress in the lesson, locked, and the clock's replaced time (one query)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    cursor.execute(
        f"SELECT p.id, p.watched, p.position, p.dwell_seconds, p.gates_passed, p.credited_at, "  # noqa: S608
        f"(SELECT c.previous_seen_at FROM {LearnerClock._meta.db_table} c WHERE c.person_id = %s) "
        f"FROM {LessonProgress._meta.db_table} p WHERE p.enrollment_id = %s AND p.lesson_id = %s{lock}",
        [enrollment.person_id, enrollment.pk, lesson_id],
    )
    row = cursor.fetchone()
    if row is None:  # the learner's first heartbeat in this lesson
        progress, _created = LessonProgress.objects.select_for_update().get_or_create(
            enrollment=enrollment, lesson_id=lesson_id
        )
        previous = LearnerClock.objects.filter(person_id=enrollment.person_id).values_list("previous_seen_at")
        return progress, previous[0][0]
    pk, watched, position, dwell, gates, credited_at, previous = row
    progress = LessonProgress(
        id=pk,
        enrollment_id=enrollment.pk,
        lesson_id=lesson_id,
        watched=json.loads(watched),
        position=json.loads(position),
        dwell_seconds=dwell,
        gates_passed=json.loads(gates),
        credited_at=_db_datetime(credited_at),
    )
    return progress, _db_datetime(previous)


def _progress_write(cursor, progress: LessonProgress, now: datetime) -> None:
    adapt = connection.ops.adapt_datetimefield_value
    cursor.execute(
        f"UPDATE {LessonProgress._meta.db_table} SET watched = %s, position = %s, dwell_seconds = %s, "  # noqa: S608
        "credited_at = %s, updated_at = %s WHERE id = %s",
        [
            json.dumps(progress.watched),
            json.dumps(progress.position),
            progress.dwell_seconds,
            adapt(progress.credited_at),
            adapt(now),
            progress.pk,
        ],
    )


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

    ``lesson``: the page, or its cached ``LessonTarget`` (``selectors.lesson_target``), which is
    what the heartbeat endpoint passes so that the hot path loads no page.
    """
    now = now or timezone.now()
    target = _target(lesson)
    _check(enrollment, target)
    rule = target.rule
    if media_id is not None and str(media_id) not in rule.videos:
        raise ValidationError(_("This video is not part of the lesson."))
    with connection.cursor() as cursor:
        _clock_tick(cursor, enrollment.person_id, now)
        progress, previous = _locked_progress(cursor, enrollment, target.lesson_id)
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
    with connection.cursor() as cursor:
        _progress_write(cursor, progress, now)
    if enrollment.last_lesson_id != target.lesson_id:
        Enrollment.objects.filter(pk=enrollment.pk).update(last_lesson_id=target.lesson_id)
        enrollment.last_lesson_id = target.lesson_id
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
