"""Course completion: written once when every rule holds, then announced to other apps."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from lms.registry import audit

from ..choices import HoursSource
from ..events import course_completed
from ..models import CourseCompletion, Enrollment, HoursEntry, LessonPage, LessonProgress


def _classroom_hours(enrollment: Enrollment) -> Decimal:
    total = HoursEntry.objects.filter(
        person_id=enrollment.person_id, course_id=enrollment.course_id, source=HoursSource.CLASSROOM
    ).aggregate(total=Sum("hours"))["total"]
    return total or Decimal("0")


@transaction.atomic
def completion_check(*, enrollment: Enrollment, now: datetime | None = None) -> CourseCompletion | None:
    """Complete the enrollment if all its lessons are credited and enough classroom hours attended.

    Idempotent: a completion is written at most once per enrollment (one-to-one), and the
    ``course_completed`` event is sent only by the call that wrote it, after commit.
    """
    now = now or timezone.now()
    enrollment = Enrollment.objects.select_for_update().select_related("course").get(pk=enrollment.pk)
    if enrollment.status != Enrollment.Status.ACTIVE:
        return CourseCompletion.objects.filter(enrollment=enrollment).first()
    course = enrollment.course
    lessons = LessonPage.objects.live().descendant_of(course).values_list("pk", flat=True)
    credited = LessonProgress.objects.filter(
        enrollment=enrollment, lesson_id__in=lessons, credited_at__isnull=False
    ).count()
    if credited < len(lessons) or _classroom_hours(enrollment) < course.classroom_hours_required:
        return None
    hours = HoursEntry.objects.filter(person_id=enrollment.person_id, course_id=course.pk).aggregate(
        total=Sum("hours")
    )["total"] or Decimal("0")
    completion, created = CourseCompletion.objects.get_or_create(
        enrollment=enrollment,
        defaults={"person_id": enrollment.person_id, "course": course, "hours": hours, "completed_at": now},
    )
    if created:
        enrollment.status = Enrollment.Status.COMPLETED
        enrollment.completed_at = now
        enrollment.save(update_fields=["status", "completed_at"])
        audit.record(enrollment, "learning.course.complete", hours=str(hours))
        transaction.on_commit(
            lambda: course_completed.send(
                sender=CourseCompletion,
                completion_id=completion.pk,
                person_id=enrollment.person_id,
                course_id=course.pk,
            )
        )
    return completion
