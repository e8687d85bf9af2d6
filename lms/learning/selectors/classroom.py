"""Classroom sessions: who may run which session, attendance reads."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from lms.registry.models import Role
from lms.registry.selectors import user_scope

from ..models import Attendance, ClassSession, CoursePage, Enrollment, ProviderCatalogue


def provider_id_of_course(course: CoursePage) -> int | None:
    """The training provider whose catalogue section holds ``course``."""
    return ProviderCatalogue.objects.ancestor_of(course).values_list("provider_id", flat=True).first()


def _paths_of_providers(provider_ids) -> list[str]:
    return list(ProviderCatalogue.objects.filter(provider_id__in=provider_ids).values_list("path", flat=True))


def _under(paths: list[str], field: str) -> Q:
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in paths), Q(pk__in=[]))


def courses_for_sessions(user) -> QuerySet:
    """Courses for which ``user`` may schedule classroom sessions (their own providers' courses)."""
    scope = user_scope(user)
    if scope.is_platform_admin:
        return CoursePage.objects.all()
    if not scope.provider_ids:
        return CoursePage.objects.none()
    return CoursePage.objects.filter(_under(_paths_of_providers(scope.provider_ids), "path"))


def class_sessions_for(user, action: str = "view") -> QuerySet:
    """Sessions ``user`` may take ``action`` on.

    Platform admins: all. Provider staff: sessions of courses under their own providers' catalogue
    sections. Instructors may also *view* (and run the check-in of) the sessions they teach.
    Deleting is left to platform admins (attendance and credited hours hang off a session).
    """
    scope = user_scope(user)
    qs = ClassSession.objects.select_related("course", "instructor")
    if scope.is_platform_admin:
        return qs
    if action == "delete":
        return qs.none()
    q = Q(pk__in=[])
    if scope.provider_ids:
        q |= _under(_paths_of_providers(scope.provider_ids), "course__path")
    if action == "view" and user.is_authenticated:
        q |= Q(instructor=user)
    return qs.filter(q)


def can_run_session(user, session: ClassSession) -> bool:
    """Whether ``user`` may show the session's check-in codes and correct its attendance."""
    if not user.is_authenticated or not user.is_active:
        return False
    scope = user_scope(user)
    if scope.is_platform_admin or session.instructor_id == user.pk:
        return True
    return bool(scope.provider_ids) and provider_id_of_course(session.course) in scope.provider_ids


def instructors_for(user) -> QuerySet:
    """Users who may be named instructor of a session by ``user``: staff of the same providers."""
    users = get_user_model().objects.filter(is_active=True)
    scope = user_scope(user)
    if scope.is_platform_admin:
        return users.order_by("username")
    return (
        users.filter(
            Q(pk=user.pk) | Q(role_grants__role=Role.PROVIDER_STAFF, role_grants__provider_id__in=scope.provider_ids)
        )
        .distinct()
        .order_by("username")
    )


def session_attendances(session: ClassSession) -> QuerySet:
    return session.attendances.select_related("person", "corrected_by").order_by("checked_in_at", "pk")


def session_checked_in_count(session: ClassSession) -> int:
    return session.attendances.filter(checked_in_at__isnull=False).count()


def attendance_of(session: ClassSession, person) -> Attendance | None:
    return Attendance.objects.filter(session=session, person=person).first()


def open_enrollment(person, course: CoursePage) -> Enrollment | None:
    """The learner's active or completed enrollment in ``course``."""
    return Enrollment.objects.filter(person=person, course=course, status__in=Enrollment.OPEN).first()


def session_learners(session: ClassSession) -> QuerySet:
    """People enrolled (active or completed) in the session's course: whose attendance can be corrected."""
    from lms.registry.models import Person

    return Person.objects.filter(
        enrollments__course_id=session.course_id, enrollments__status__in=Enrollment.OPEN
    ).order_by("name", "pk")
