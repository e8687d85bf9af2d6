"""Institution admins enroll their staff in a course and see their staff's hours against the requirement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from lms.learning.choices import HoursSource, TrainingKind
from lms.learning.models import AnnualHoursRequirement, Enrollment, HoursEntry
from lms.registry.models import Post, Role
from lms.registry.selectors import CAREGIVER

from .conftest import build_course

pytestmark = pytest.mark.django_db

URL = "/admin/learning/staff-enroll/"


def test_institution_admin_enrolls_staff_and_sees_refusals(client, registry_world, zh):
    world = registry_world
    course = build_course(capacity=1)
    client.force_login(world.users[Role.INSTITUTION_ADMIN.value])
    page = client.get(URL).content.decode()
    assert world.a.person.name in page and world.colleague.name in page
    assert world.b.person.name not in page  # not on this admin's roster
    response = client.post(URL, {"course": course.pk, "people": [world.a.person.pk, world.colleague.pk]})
    html = response.content.decode()
    enrolled = Enrollment.objects.filter(course=course)
    assert enrolled.count() == 1 and enrolled.get().source == Enrollment.Source.INSTITUTION
    assert 'data-testid="enroll-refusals"' in html and gettext("The course is full.") in html


def test_someone_elses_staff_cannot_be_enrolled(client, registry_world):
    world = registry_world
    course = build_course()
    client.force_login(world.users[Role.INSTITUTION_ADMIN.value])
    response = client.post(URL, {"course": course.pk, "people": [world.b.person.pk]})
    assert response.status_code == 200
    assert not Enrollment.objects.filter(course=course).exists()


@pytest.mark.parametrize("role", [CAREGIVER, Role.PROVIDER_STAFF.value, Role.INSPECTOR.value])
def test_others_may_not_use_the_staff_pages(client, registry_world, role):
    client.force_login(registry_world.users[role])
    for url in (URL, "/admin/learning/staff-hours/"):
        assert client.get(url).status_code in (302, 403)


def test_staff_hours_against_the_requirement(client, registry_world):
    world = registry_world
    AnnualHoursRequirement.objects.create(post=Post.CAREGIVER, kind=TrainingKind.IN_SERVICE, hours=Decimal("72"))
    year = timezone.localdate().year
    HoursEntry.objects.create(
        person=world.a.person,
        key="k1",
        hours=Decimal("72"),
        kind=TrainingKind.IN_SERVICE,
        source=HoursSource.ONLINE,
        occurred_on=dt.date(year, 2, 1),
        year=year,
    )
    HoursEntry.objects.create(
        person=world.colleague,
        key="k2",
        hours=Decimal("12.5"),
        kind=TrainingKind.IN_SERVICE,
        source=HoursSource.CLASSROOM,
        occurred_on=dt.date(year, 2, 1),
        year=year,
    )
    client.force_login(world.users[Role.INSTITUTION_ADMIN.value])
    html = client.get("/admin/learning/staff-hours/").content.decode()
    table = html.split('data-testid="staff-hours"')[1]
    assert world.a.person.name in table and world.colleague.name in table and world.b.person.name not in table
    assert "72.0" in table and "12.5" in table
    last_year = client.get("/admin/learning/staff-hours/", {"year": year - 1}).content.decode()
    assert "12.5" not in last_year.split('data-testid="staff-hours"')[1]
    assert client.get("/admin/learning/staff-hours/", {"year": "abc"}).status_code == 200


def test_staff_hours_costs_the_same_queries_for_any_roster_size(registry_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lms.learning import selectors
    from tests.factories import EmploymentFactory

    world = registry_world
    admin = world.users[Role.INSTITUTION_ADMIN.value]
    AnnualHoursRequirement.objects.create(post=Post.CAREGIVER, kind=TrainingKind.IN_SERVICE, hours=Decimal("72"))
    year = timezone.localdate().year

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            selectors.staff_hours(admin, year)
        return len(queries)

    count()  # the user's scope is resolved once and cached on the user
    before = count()
    for _ in range(5):
        EmploymentFactory(institution=world.a.institution, post=Post.CAREGIVER)
    assert count() == before
