"""The set-up of the competitions admin tests (the ``world`` fixture, imported by the other ``test_admin_*``
modules), and the menu: who sees which item.

曲靖市 (registry_world's city) organizes a competition open for registration with a staff and a student track,
a theory round (20%) and a practical round (80%). ``city_hr`` is an HR officer of the city (the organizer),
``other_hr`` one of another city; registry_world's ``institution_admin`` (institution A) and ``provider_staff``
(provider A) register; ``b_admin`` is the admin of institution B. Institutions A and B each have a pending entry.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from lms.competitions.choices import Group, RoundKind
from lms.competitions.models import Competition, Entry
from tests import factories as f

from .factories import CompetitionFactory, EntryFactory, RoundFactory, TrackFactory

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"
COMPETITIONS = "/admin/competitions/"
REGISTRATION = "/admin/competition-registration/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def login(client, user):
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def world(registry_world):
    w = registry_world
    today = timezone.localdate()
    w.organizer = f.RoleGrantFactory(hr_officer=True, region=w.city, user__username="city_hr").user
    other_city = f.CityFactory(parent=w.province, code="530400", name="玉溪市")
    w.other_hr = f.RoleGrantFactory(hr_officer=True, region=other_city, user__username="other_hr").user
    w.institution_admin = w.users["institution_admin"]
    w.provider_staff = w.users["provider_staff"]
    w.b_admin = f.RoleGrantFactory(institution_admin=True, institution=w.b.institution, user__username="b_admin").user
    w.competition = CompetitionFactory(
        region=w.city,
        title="曲靖市托育职业技能大赛",
        status=Competition.Status.OPEN,
        registration_opens_on=today - dt.timedelta(days=5),
        registration_closes_on=today + dt.timedelta(days=10),
        starts_on=today + dt.timedelta(days=20),
        ends_on=today + dt.timedelta(days=21),
    )
    w.staff_track = TrackFactory(competition=w.competition, name="保育师（职工组）")
    w.student_track = TrackFactory(competition=w.competition, name="保育师（学生组）", group=Group.STUDENT)
    w.theory = RoundFactory(
        competition=w.competition, name="理论知识", kind=RoundKind.THEORY, weight=Decimal("20"), pass_mark=Decimal("60")
    )
    w.practical = RoundFactory(
        competition=w.competition, name="技能操作", kind=RoundKind.PRACTICAL, weight=Decimal("80")
    )
    w.entry_a = EntryFactory(
        track=w.staff_track,
        person=w.colleague,
        institution=w.a.institution,
        status=Entry.Status.PENDING,
        employed=False,
    )
    w.entry_b = EntryFactory(
        track=w.staff_track, person=w.b.person, institution=w.b.institution, status=Entry.Status.PENDING, employed=False
    )
    w.other_competition = CompetitionFactory(region=other_city, title="玉溪市托育职业技能大赛")
    return w


def _menu(client, user) -> str:
    return login(client, user).get(ADMIN, **EN).content.decode()


def test_organizers_see_the_competitions_item_and_units_the_registration_item(client, world):
    html = _menu(client, world.organizer)
    assert COMPETITIONS in html and REGISTRATION not in html
    for user in (world.institution_admin, world.provider_staff):
        client.logout()
        html = _menu(client, user)
        assert REGISTRATION in html and COMPETITIONS not in html
    client.logout()
    html = _menu(client, world.users["inspector"])
    assert REGISTRATION not in html and COMPETITIONS not in html


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    pk = world.competition.pk
    for url in (
        COMPETITIONS,
        f"{COMPETITIONS}{pk}/run/",
        f"{COMPETITIONS}{pk}/entries/",
        f"{COMPETITIONS}{pk}/mapping/",
        f"{COMPETITIONS}{pk}/stations/",
        f"{COMPETITIONS}{pk}/quotas/",
        REGISTRATION,
        f"{REGISTRATION}{pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
