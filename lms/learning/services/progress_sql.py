"""The heartbeat's locked read-modify-write, in SQL written out by hand.

Every learner sends a heartbeat every 10 s; building these statements with the ORM cost several
times the database's own work (docs/learning.md, "Heartbeat throughput"). The SQL is portable
(SQLite and PostgreSQL); rows are locked where the database has row locks (SQLite serializes
writers anyway). Table names come from the models' meta, values are always parameters. The rare
paths (a learner's first heartbeat, the first in a lesson) go through the ORM.

Lock order, the same for every heartbeat: the learner's clock, then the lesson's progress row.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from lms.registry.models import Person

from .. import progress as rules
from ..models import Enrollment, LearnerClock, LessonProgress

CLOCK = LearnerClock._meta.db_table
PROGRESS = LessonProgress._meta.db_table
ENROLLMENT = Enrollment._meta.db_table
PERSON = Person._meta.db_table
ENROLLMENT_FIELDS = ("id", "person_id", "course_id", "status", "last_lesson_id")
OPEN_STATUSES = [status.value for status in Enrollment.OPEN]
PROGRESS_COLUMNS = "p.id, p.watched, p.position, p.dwell_seconds, p.gates_passed, p.credited_at"

TICK = "UPDATE {clock} SET previous_seen_at = last_seen_at, last_seen_at = %s WHERE person_id = {who}"


def _lock(of: str) -> str:
    if not connection.features.has_select_for_update:
        return ""
    return f" FOR UPDATE OF {of}" if connection.features.has_select_for_update_of else " FOR UPDATE"


def _datetime(value) -> datetime | None:
    """A timestamp read by a raw cursor (SQLite gives text or naive UTC) as an aware datetime."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def _progress(row, enrollment_id: int, lesson_id: int) -> LessonProgress:
    pk, watched, position, dwell, gates, credited_at = row
    return LessonProgress(
        id=pk,
        enrollment_id=enrollment_id,
        lesson_id=lesson_id,
        watched=json.loads(watched),
        position=json.loads(position),
        dwell_seconds=dwell,
        gates_passed=json.loads(gates),
        credited_at=_datetime(credited_at),
    )


def clock_tick(person_id: int, now: datetime) -> None:
    """Move the learner's clock to ``now``, keeping the time it replaces; holds the row lock.

    Every heartbeat of the learner, from any tab, device or lesson, queues on this one row until
    its transaction ends; the progress reads below return the replaced time.
    """
    sql = TICK.format(clock=CLOCK, who="%s")
    params = [connection.ops.adapt_datetimefield_value(now), person_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.rowcount:
            return
    LearnerClock.objects.get_or_create(person_id=person_id)  # the learner's first heartbeat ever
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def clock_tick_for_user(user_id: int, now: datetime) -> bool:
    """``clock_tick`` for the person signed in as ``user_id``; False when that person has no clock yet."""
    sql = TICK.format(clock=CLOCK, who=f"(SELECT id FROM {PERSON} WHERE user_id = %s)")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(now), user_id])
        return cursor.rowcount > 0


def locked_progress(enrollment: Enrollment, lesson_id: int) -> tuple[LessonProgress, datetime | None]:
    """The progress row of the enrollment in the lesson, locked, and the clock's replaced time."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {PROGRESS_COLUMNS}, c.previous_seen_at FROM {PROGRESS} p "  # noqa: S608
            f"JOIN {CLOCK} c ON c.person_id = %s WHERE p.enrollment_id = %s AND p.lesson_id = %s{_lock('p')}",
            [enrollment.person_id, enrollment.pk, lesson_id],
        )
        row = cursor.fetchone()
    if row is not None:
        return _progress(row[:6], enrollment.pk, lesson_id), _datetime(row[6])
    progress, _created = LessonProgress.objects.select_for_update().get_or_create(  # the first in this lesson
        enrollment=enrollment, lesson_id=lesson_id
    )
    previous = LearnerClock.objects.filter(person_id=enrollment.person_id).values_list("previous_seen_at")
    return progress, previous[0][0]


def locked_enrollment_progress(
    user_id: int, target: rules.LessonTarget
) -> tuple[Enrollment, LessonProgress, datetime | None] | None:
    """The user's open enrollment in the target's course with its locked progress in the lesson and
    the clock's replaced time, in one statement; None if any of them is missing.

    The person is found by a scalar subquery so that every lookup is by a unique index whatever the
    planner's statistics (a join on the user let PostgreSQL scan all the course's enrollments on fresh tables).
    """
    statuses = ", ".join(["%s"] * len(OPEN_STATUSES))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.id, e.person_id, e.course_id, e.status, e.last_lesson_id, {PROGRESS_COLUMNS}, "  # noqa: S608
            f"c.previous_seen_at FROM {ENROLLMENT} e "
            f"JOIN {PROGRESS} p ON p.enrollment_id = e.id AND p.lesson_id = %s "
            f"JOIN {CLOCK} c ON c.person_id = e.person_id "
            f"WHERE e.person_id = (SELECT id FROM {PERSON} WHERE user_id = %s) "
            f"AND e.course_id = %s AND e.status IN ({statuses}){_lock('p')}",
            [target.lesson_id, user_id, target.course_id, *OPEN_STATUSES],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    enrollment = Enrollment.from_db(connection.alias, ENROLLMENT_FIELDS, row[:5])
    return enrollment, _progress(row[5:11], enrollment.pk, target.lesson_id), _datetime(row[11])


def progress_write(progress: LessonProgress, now: datetime) -> None:
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {PROGRESS} SET watched = %s, position = %s, dwell_seconds = %s, "  # noqa: S608
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
