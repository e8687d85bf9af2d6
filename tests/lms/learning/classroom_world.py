"""Helpers shared by the classroom tests: a course with a session, its instructor and an enrolled learner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from lms.learning import services
from lms.learning.models import ClassSession, CoursePage
from lms.learning.services.classroom import checkin_token
from lms.registry.models import Role
from tests import factories as f

from .conftest import build_course

START = timezone.make_aware(datetime(2025, 3, 10, 9, 0))


@dataclass
class Classroom:
    course: CoursePage
    session: ClassSession
    instructor: object  # a user: provider staff of the course's provider
    learner: object  # a person enrolled in the course
    learner_user: object
    provider: object


def make_session(course: CoursePage, instructor, **fields) -> ClassSession:
    values = {
        "title": "婴幼儿急救实操课",
        "place": "曲靖市托育培训中心 3 楼",
        "starts_at": START,
        "ends_at": START + timedelta(hours=3),
        "capacity": 30,
        "hours": Decimal("3.0"),
        **fields,
    }
    return ClassSession.objects.create(course=course, instructor=instructor, **values)


def make_classroom(**session_fields) -> Classroom:
    provider = f.TrainingProviderFactory()
    course = build_course(provider=provider)
    instructor = f.RoleGrantFactory(role=Role.PROVIDER_STAFF, region=None, provider=provider).user
    learner_user = f.UserFactory()
    learner = f.PersonFactory(user=learner_user)
    services.enroll(person=learner, course=course)
    session = make_session(course, instructor, **session_fields)
    return Classroom(course, session, instructor, learner, learner_user, provider)


def token(session: ClassSession, at: datetime, kind: str = "in") -> str:
    return checkin_token(session=session, kind=kind, now=at)
