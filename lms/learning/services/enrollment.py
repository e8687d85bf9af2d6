"""Enrolling learners in courses."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.registry import audit
from lms.registry.models import Person
from lms.registry.selectors import is_banned

from .. import prerequisites
from ..models import CoursePage, Enrollment


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="enrollment_refused")


def enrollment_refusal(person: Person, course: CoursePage, *, today=None) -> str | None:
    """Why ``person`` may not enroll in ``course`` now (a user-facing message), or None."""
    today = today or timezone.localdate()
    if is_banned(person.pk):
        return _("You are barred from childcare work and cannot enroll.")
    if not course.live:
        return _("This course is not published.")
    if course.enrollment_opens and today < course.enrollment_opens:
        return _("Enrollment opens on %(date)s.") % {"date": course.enrollment_opens.isoformat()}
    if course.enrollment_closes and today > course.enrollment_closes:
        return _("Enrollment closed on %(date)s.") % {"date": course.enrollment_closes.isoformat()}
    if course.capacity is not None:
        taken = Enrollment.objects.filter(course=course, status__in=Enrollment.OPEN).count()
        if taken >= course.capacity:
            return _("The course is full.")
    return prerequisites.refusal(person, course)


@transaction.atomic
def enroll(*, person: Person, course: CoursePage, actor=None, source: str = Enrollment.Source.SELF) -> Enrollment:
    """Enroll a learner (idempotent: an open enrollment is returned as it is)."""
    CoursePage.objects.select_for_update().filter(pk=course.pk).first()  # serialize capacity checks
    existing = Enrollment.objects.filter(person=person, course=course, status__in=Enrollment.OPEN).first()
    if existing:
        return existing
    refusal = enrollment_refusal(person, course)
    if refusal:
        raise _refuse(refusal)
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                person=person, course=course, source=source, enrolled_by=actor if actor else None
            )
    except IntegrityError:  # enrolled concurrently
        return Enrollment.objects.get(person=person, course=course, status__in=Enrollment.OPEN)
    audit.record(enrollment, "learning.enrollment.create", actor=actor, source=source)
    return enrollment


def enroll_many(*, people, course: CoursePage, actor, source: str) -> tuple[list[Enrollment], dict[int, str]]:
    """Enroll several learners (institution admins, providers); returns (enrolled, refusals by person id).

    Each learner is enrolled in its own transaction, so one refusal does not undo the others.
    """
    if source == Enrollment.Source.SELF:
        raise PermissionDenied
    enrolled, refused = [], {}
    for person in people:
        try:
            enrolled.append(enroll(person=person, course=course, actor=actor, source=source))
        except ValidationError as exc:
            refused[person.pk] = " ".join(exc.messages)
    return enrolled, refused


@transaction.atomic
def enrollment_cancel(*, enrollment: Enrollment, actor=None) -> Enrollment:
    if enrollment.status == Enrollment.Status.ACTIVE:
        enrollment.status = Enrollment.Status.CANCELLED
        enrollment.save(update_fields=["status"])
        audit.record(enrollment, "learning.enrollment.cancel", actor=actor)
    return enrollment


@transaction.atomic
def enrollment_close_for_ban(*, person_id: int) -> int:
    """Close a banned person's open (active) enrollments; completed ones stay as history."""
    closed = 0
    for enrollment in Enrollment.objects.select_for_update().filter(
        person_id=person_id, status=Enrollment.Status.ACTIVE
    ):
        enrollment.status = Enrollment.Status.CLOSED
        enrollment.save(update_fields=["status"])
        audit.record(enrollment, "learning.enrollment.close_banned")
        closed += 1
    return closed
