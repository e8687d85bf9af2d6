"""Entries service: registration (status, dates, unit, region, quotas, eligibility), decisions, withdrawal, the draw."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from wagtail.models import ModelLogEntry

from lms.competitions.choices import Group
from lms.competitions.models import Competition, Entry
from lms.competitions.services import entries as svc
from lms.registry.models import Ban, Post
from tests import factories as f

from .factories import CompetitionFactory, EntryFactory, QuotaFactory, TrackFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 9, 10)  # inside the factories' registration window (1–30 September 2026)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def organizer():
    return f.UserFactory(is_superuser=True)


def open_track(**fields):
    competition = CompetitionFactory(status=Competition.Status.OPEN)
    return TrackFactory(competition=competition, **fields)


def unit_in(competition):
    return f.InstitutionFactory(region=f.CountyFactory(parent=competition.region))


def staff(institution, *, start=dt.date(2015, 3, 1), end=None, post=Post.CAREGIVER, **person):
    return f.EmploymentFactory(
        institution=institution, start_date=start, end_date=end, post=post, person=f.PersonFactory(**person)
    ).person


def register(track, person, institution=None, *, actor=None, today=DAY, provider=None):
    return svc.entry_register(
        track=track, person=person, actor=actor, institution=institution, provider=provider, today=today
    )


def codes_of(exc) -> list[str]:
    return [e.code for e in exc.value.error_list]


def actions(instance) -> list[str]:
    return list(ModelLogEntry.objects.for_instance(instance).order_by("pk").values_list("action", flat=True))


# --- registration -----------------------------------------------------------------------------------------------


def test_register_pending_by_the_unit_admin_and_audited():
    track = open_track()
    unit = unit_in(track.competition)
    admin = f.RoleGrantFactory(institution_admin=True, institution=unit).user
    entry = register(track, staff(unit), unit, actor=admin)
    assert entry.status == Entry.Status.PENDING
    assert entry.refusal_reason == ""
    assert entry.registered_by == admin
    assert entry.competition == track.competition
    assert actions(entry) == ["competitions.entry.register"]


def test_admin_of_another_unit_may_not_register():
    track = open_track()
    unit = unit_in(track.competition)
    other_admin = f.RoleGrantFactory(institution_admin=True, institution=unit_in(track.competition)).user
    with pytest.raises(PermissionDenied):
        register(track, staff(unit), unit, actor=other_admin)
    assert not Entry.objects.exists()


def test_quota_default_per_unit_refuses_the_third_registration():
    track = open_track(quota_per_unit=2)
    unit = unit_in(track.competition)
    register(track, staff(unit), unit)
    register(track, staff(unit), unit)
    with pytest.raises(ValidationError) as exc:
        register(track, staff(unit), unit)
    assert codes_of(exc) == ["quota"]
    assert "has used all its 2 places" in exc.value.messages[0]
    assert Entry.objects.count() == 2
    # another unit has its own places
    other = unit_in(track.competition)
    assert register(track, staff(other), other).status == Entry.Status.PENDING


def test_quota_override_for_one_unit():
    track = open_track(quota_per_unit=1)
    unit = unit_in(track.competition)
    QuotaFactory(track=track, institution=unit, places=3)
    assert svc.unit_quota(track, institution=unit) == 3
    assert svc.unit_quota(track, institution=unit_in(track.competition)) == 1
    for _ in range(3):
        register(track, staff(unit), unit)
    with pytest.raises(ValidationError) as exc:
        register(track, staff(unit), unit)
    assert codes_of(exc) == ["quota"]


def test_pending_and_approved_entries_take_places(organizer):
    track = open_track(quota_per_unit=2)
    unit = unit_in(track.competition)
    first = register(track, staff(unit), unit)
    svc.entry_decide(entry=first, approve=True, actor=organizer)
    register(track, staff(unit), unit)  # pending
    assert svc.places_taken(track, institution=unit) == 2
    with pytest.raises(ValidationError):
        register(track, staff(unit), unit)


def test_refused_and_withdrawn_entries_free_their_places(organizer):
    track = open_track(quota_per_unit=2)
    unit = unit_in(track.competition)
    first = register(track, staff(unit), unit)
    second = register(track, staff(unit), unit)
    svc.entry_withdraw(entry=first, actor=None)
    svc.entry_decide(entry=second, approve=False, actor=organizer, reason="材料不全")
    assert svc.places_taken(track, institution=unit) == 0
    register(track, staff(unit), unit)
    register(track, staff(unit), unit)
    assert svc.places_taken(track, institution=unit) == 2


@pytest.mark.parametrize("today", [dt.date(2026, 8, 31), dt.date(2026, 10, 1)])
def test_registration_outside_the_window_is_refused(today):
    track = open_track()
    unit = unit_in(track.competition)
    with pytest.raises(ValidationError) as exc:
        register(track, staff(unit), unit, today=today)
    assert codes_of(exc) == ["outside_window"]
    assert "2026-09-01" in exc.value.messages[0] and "2026-09-30" in exc.value.messages[0]


def test_the_window_includes_its_first_and_last_day():
    track = open_track()
    unit = unit_in(track.competition)
    assert register(track, staff(unit), unit, today=dt.date(2026, 9, 1)).status == Entry.Status.PENDING
    assert register(track, staff(unit), unit, today=dt.date(2026, 9, 30)).status == Entry.Status.PENDING


@pytest.mark.parametrize("status", [Competition.Status.DRAFT, Competition.Status.RUNNING, Competition.Status.PUBLISHED])
def test_registration_needs_an_open_competition(status):
    track = TrackFactory(competition=CompetitionFactory(status=status))
    unit = unit_in(track.competition)
    with pytest.raises(ValidationError) as exc:
        register(track, staff(unit), unit)
    assert codes_of(exc) == ["not_open"]


def test_unit_outside_the_region_is_refused():
    track = open_track()
    elsewhere = f.InstitutionFactory(region=f.CountyFactory(parent=f.CityFactory()))
    with pytest.raises(ValidationError) as exc:
        register(track, staff(elsewhere), elsewhere)
    assert codes_of(exc) == ["outside_region"]
    assert not Entry.objects.exists()


def test_staff_track_needs_an_institution_and_student_track_a_provider():
    track = open_track()
    provider = f.TrainingProviderFactory(region=f.CountyFactory(parent=track.competition.region))
    with pytest.raises(ValidationError) as exc:
        register(track, f.PersonFactory(), provider=provider)
    assert codes_of(exc) == ["wrong_unit"]
    students = TrackFactory(competition=track.competition, group=Group.STUDENT)
    unit = unit_in(track.competition)
    with pytest.raises(ValidationError) as exc:
        register(students, staff(unit), unit)
    assert codes_of(exc) == ["wrong_unit"]
    entry = register(students, f.PersonFactory(), provider=provider)  # students: no employment needed
    assert entry.status == Entry.Status.PENDING
    assert entry.unit_key == ("provider", provider.pk)


def test_a_person_enters_a_competition_once():
    track = open_track()
    unit = unit_in(track.competition)
    person = staff(unit)
    register(track, person, unit)
    other_track = TrackFactory(competition=track.competition)
    with pytest.raises(ValidationError) as exc:
        register(other_track, person, unit)
    assert codes_of(exc) == ["already_registered"]


# --- eligibility ------------------------------------------------------------------------------------------------


def test_ineligible_registration_is_saved_refused_with_the_reasons():
    track = open_track(min_age=25)
    unit = unit_in(track.competition)
    young = f.EmploymentFactory(
        institution=unit_in(track.competition), person=f.PersonFactory(born=dt.date(2005, 6, 1))
    )
    entry = register(track, young.person, unit)
    assert entry.pk and entry.status == Entry.Status.REFUSED
    assert entry.refusal_reason == "not on duty at the registering institution；aged 21, the track requires at least 25"
    assert actions(entry) == ["competitions.entry.register", "competitions.entry.refuse"]
    refuse = ModelLogEntry.objects.for_instance(entry).get(action="competitions.entry.refuse")
    assert refuse.data["reasons"] == ["not_on_duty", "too_young"]


def test_refusal_reasons_for_post_years_age_and_ban():
    track = open_track(min_years_of_work=5, max_age=40)
    unit = unit_in(track.competition)
    person = staff(unit, start=dt.date(2024, 3, 1), post=Post.HEALTH, born=dt.date(1980, 1, 1))
    Ban.objects.create(person=person, reason="虐童", decided_on=dt.date(2025, 1, 1), decided_by="测试市卫健委")
    entry = register(track, person, unit)
    reasons = entry.refusal_reason.split("；")
    assert reasons[0] == "under a lifetime ban (终身禁入)"
    assert reasons[1].endswith("does not practise this occupation")
    assert reasons[2] == "2.6 years of work, the track requires 5"
    assert reasons[3] == "aged 46, the track allows at most 40"


def test_a_refused_entry_takes_no_place():
    track = open_track(quota_per_unit=1)
    unit = unit_in(track.competition)
    assert register(track, f.PersonFactory(), unit).status == Entry.Status.REFUSED  # not on the roster
    assert register(track, staff(unit), unit).status == Entry.Status.PENDING


def test_re_registration_after_refusal_reuses_the_row():
    track = open_track()
    unit = unit_in(track.competition)
    person = f.PersonFactory()
    refused = register(track, person, unit)
    assert refused.status == Entry.Status.REFUSED
    f.EmploymentFactory(person=person, institution=unit, start_date=dt.date(2019, 1, 1))
    again = register(track, person, unit)
    assert again.pk == refused.pk
    assert again.status == Entry.Status.PENDING and again.refusal_reason == ""
    assert Entry.objects.filter(person=person).count() == 1


def test_re_registration_after_withdrawal_reuses_the_row():
    track = open_track()
    unit = unit_in(track.competition)
    person = staff(unit)
    entry = register(track, person, unit)
    svc.entry_withdraw(entry=entry, actor=None)
    assert register(track, person, unit).pk == entry.pk


# --- decisions --------------------------------------------------------------------------------------------------


def test_approve(organizer):
    track = open_track()
    unit = unit_in(track.competition)
    entry = svc.entry_decide(entry=register(track, staff(unit), unit), approve=True, actor=organizer)
    assert entry.status == Entry.Status.APPROVED
    assert entry.decided_by == organizer and entry.decided_at
    assert "competitions.entry.approve" in actions(entry)


def test_approving_checks_eligibility_again(organizer):
    track = open_track()
    unit = unit_in(track.competition)
    person = staff(unit)
    entry = register(track, person, unit)
    person.employments.update(end_date=dt.date(2026, 9, 15))  # leaves before the competition
    entry = svc.entry_decide(entry=entry, approve=True, actor=organizer)
    assert entry.status == Entry.Status.REFUSED
    assert entry.refusal_reason == "not on duty at the registering institution"
    assert actions(entry)[-1] == "competitions.entry.refuse"


def test_refusing_needs_a_reason(organizer):
    track = open_track()
    unit = unit_in(track.competition)
    entry = register(track, staff(unit), unit)
    with pytest.raises(ValidationError) as exc:
        svc.entry_decide(entry=entry, approve=False, actor=organizer, reason="  ")
    assert "reason" in exc.value.message_dict
    entry.refresh_from_db()
    assert entry.status == Entry.Status.PENDING
    entry = svc.entry_decide(entry=entry, approve=False, actor=organizer, reason="未提供工作证明")
    assert entry.status == Entry.Status.REFUSED and entry.refusal_reason == "未提供工作证明"


def test_only_the_organizer_decides():
    track = open_track()
    unit = unit_in(track.competition)
    entry = register(track, staff(unit), unit)
    unit_admin = f.RoleGrantFactory(institution_admin=True, institution=unit).user
    with pytest.raises(PermissionDenied):
        svc.entry_decide(entry=entry, approve=True, actor=unit_admin)
    city_officer = f.RoleGrantFactory(hr_officer=True, region=track.competition.region).user
    assert svc.entry_decide(entry=entry, approve=True, actor=city_officer).status == Entry.Status.APPROVED


def test_approving_a_refused_entry_needs_a_free_place(organizer):
    track = open_track(quota_per_unit=1)
    unit = unit_in(track.competition)
    refused = svc.entry_decide(entry=register(track, staff(unit), unit), approve=False, actor=organizer, reason="x")
    register(track, staff(unit), unit)
    with pytest.raises(ValidationError) as exc:
        svc.entry_decide(entry=refused, approve=True, actor=organizer)
    assert codes_of(exc) == ["quota"]


# --- withdrawal -------------------------------------------------------------------------------------------------


def test_withdraw_by_the_unit():
    track = open_track()
    unit = unit_in(track.competition)
    admin = f.RoleGrantFactory(institution_admin=True, institution=unit).user
    entry = register(track, staff(unit), unit, actor=admin)
    other_admin = f.RoleGrantFactory(institution_admin=True, institution=unit_in(track.competition)).user
    with pytest.raises(PermissionDenied):
        svc.entry_withdraw(entry=entry, actor=other_admin)
    entry = svc.entry_withdraw(entry=entry, actor=admin)
    assert entry.status == Entry.Status.WITHDRAWN
    assert actions(entry)[-1] == "competitions.entry.withdraw"
    with pytest.raises(ValidationError) as exc:
        svc.entry_withdraw(entry=entry, actor=admin)
    assert codes_of(exc) == ["not_active"]


def test_no_withdrawal_once_the_code_is_drawn(organizer):
    entry = EntryFactory()
    svc.codes_draw(competition=entry.competition, actor=organizer, rng=random.Random(3))
    with pytest.raises(ValidationError) as exc:
        svc.entry_withdraw(entry=entry, actor=None)
    assert codes_of(exc) == ["coded"]
