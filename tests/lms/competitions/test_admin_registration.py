"""The registration pages of institution admins and provider staff: the competitions open to their unit, their
people registered into a track (an ineligible person's refusal shown with the reason, a full quota refused),
only their own entries listed (status, reason, never the codes), withdrawal."""

from __future__ import annotations

import pytest
from wagtail.models import ModelLogEntry

from lms.competitions import selectors
from lms.competitions.models import Competition, Entry
from lms.registry.models import Person, Post
from tests import factories as f

from . import test_admin_world as setup
from .factories import QuotaFactory, coded
from .test_admin_world import EN, REGISTRATION, login, messages_of

pytestmark = pytest.mark.django_db
world = setup.world  # the fixture


def page(world) -> str:
    return f"{REGISTRATION}{world.competition.pk}/"


def register(client, world, person, track=None, unit=None, **extra):
    track = track or world.staff_track
    data = {
        "action": "register",
        "track": track.pk,
        f"track{track.pk}-person": person.pk,
        f"track{track.pk}-unit": (unit or world.a.institution).pk,
    }
    return client.post(page(world), data, follow=True, **EN, **extra)


def test_units_see_the_competitions_open_to_them(client, world):
    c = login(client, world.institution_admin)
    html = c.get(REGISTRATION).content.decode()
    assert world.competition.title in html and world.other_competition.title not in html
    # a draft is not shown, nor reachable
    Competition.objects.filter(pk=world.competition.pk).update(status=Competition.Status.DRAFT)
    assert world.competition.title not in c.get(REGISTRATION).content.decode()
    assert c.get(page(world)).status_code == 404
    assert c.get(f"{REGISTRATION}{world.other_competition.pk}/").status_code == 404


def test_an_institution_admin_registers_a_person_of_the_roster(client, world):
    c = login(client, world.institution_admin)
    form = c.get(page(world)).context["sections"][0]["form"]
    people = set(form.fields["person"].queryset)
    assert world.a.person in people and world.b.person not in people
    response = register(c, world, world.a.person)
    assert any("awaits the organizer's approval" in m for m in messages_of(response))
    entry = Entry.objects.get(competition=world.competition, person=world.a.person)
    assert entry.status == Entry.Status.PENDING and entry.institution == world.a.institution
    assert ModelLogEntry.objects.filter(object_id=str(entry.pk), action="competitions.entry.register").exists()


def test_an_ineligible_person_is_refused_with_the_reason_shown(client, world):
    director = f.EmploymentFactory(institution=world.a.institution, post=Post.DIRECTOR).person
    c = login(client, world.institution_admin)
    response = register(c, world, director)
    warnings = [m for m in messages_of(response) if director.name in m]
    entry = Entry.objects.get(competition=world.competition, person=director)
    assert entry.status == Entry.Status.REFUSED and entry.refusal_reason
    assert warnings and entry.refusal_reason in warnings[0]
    # the reason stays on the unit's list of entries
    row = next(e for e in response.context["entries"] if e.pk == entry.pk)
    assert row.refusal_reason == entry.refusal_reason
    assert entry.refusal_reason in response.content.decode()


def test_a_full_quota_is_refused_on_the_form(client, world):
    QuotaFactory(track=world.staff_track, institution=world.a.institution, places=1)  # entry_a takes it
    c = login(client, world.institution_admin)
    response = register(c, world, world.a.person)
    assert response.status_code == 200
    errors = response.context["sections"][0]["form"].non_field_errors()
    assert errors
    assert not Entry.objects.filter(competition=world.competition, person=world.a.person).exists()


def test_registration_is_refused_when_not_open(client, world):
    Competition.objects.filter(pk=world.competition.pk).update(status=Competition.Status.RUNNING)
    c = login(client, world.institution_admin)
    html = c.get(page(world), **EN).content.decode()
    assert "Registration is not open." in html and 'data-testid="register-form"' not in html
    response = register(c, world, world.a.person)
    assert response.status_code == 200
    assert not Entry.objects.filter(competition=world.competition, person=world.a.person).exists()


def test_a_unit_sees_only_its_own_entries_without_codes(client, world):
    coded(world.entry_a, 1, "K7QX")
    c = login(client, world.institution_admin)
    response = c.get(page(world))
    assert list(response.context["entries"]) == [world.entry_a]
    html = response.content.decode()
    assert world.colleague.name in html and world.b.person.name not in html and "K7QX" not in html
    client.force_login(world.b_admin)
    assert list(client.get(page(world)).context["entries"]) == [world.entry_b]


def test_a_unit_withdraws_its_entry_but_not_another_units(client, world):
    c = login(client, world.institution_admin)
    response = c.post(page(world), {"action": "withdraw", "entry": world.entry_b.pk})
    assert response.status_code == 404
    response = c.post(page(world), {"action": "withdraw", "entry": world.entry_a.pk}, follow=True, **EN)
    assert any("entry withdrawn" in m for m in messages_of(response))
    assert Entry.objects.get(pk=world.entry_a.pk).status == Entry.Status.WITHDRAWN
    assert Entry.objects.get(pk=world.entry_b.pk).status == Entry.Status.PENDING


def test_provider_staff_register_students(client, world, monkeypatch):
    student = f.PersonFactory()
    # the provider's learners come from the learning app's enrolments (``selectors.registrable_people``); here one
    monkeypatch.setattr(selectors, "registrable_people", lambda user, track: Person.objects.filter(pk=student.pk))
    c = login(client, world.provider_staff)
    response = c.get(page(world))
    sections = {s["track"].pk: s for s in response.context["sections"]}
    assert sections[world.staff_track.pk]["form"] is None  # no institution: no staff entries
    form = sections[world.student_track.pk]["form"]
    assert list(form.fields["unit"].queryset) == [world.a.provider]
    assert list(response.context["entries"]) == []
    response = register(c, world, student, track=world.student_track, unit=world.a.provider)
    entry = Entry.objects.get(competition=world.competition, person=student)
    assert entry.provider == world.a.provider and entry.track == world.student_track
    assert entry.status == Entry.Status.PENDING
    assert list(response.context["entries"]) == [entry]
    client.force_login(world.institution_admin)
    assert entry not in client.get(page(world)).context["entries"]
