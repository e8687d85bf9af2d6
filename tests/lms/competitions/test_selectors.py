"""Who sees what: the permission matrix of the competitions selectors.

Roles: platform admin, the organizing city's HR officer, the province's health officer, another city's HR officer,
an institution admin and a provider's staff in the city, a judge, a caregiver and an anonymous visitor.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from lms.competitions import selectors as sel
from lms.competitions.choices import Group
from lms.competitions.models import Competition, Entry
from tests import factories as f

from .factories import (
    CompetitionFactory,
    EntryFactory,
    JudgeFactory,
    RoundFactory,
    SheetFactory,
    StationFactory,
    TrackFactory,
    coded,
    practical_station,
)

pytestmark = pytest.mark.django_db

ROLES = (
    "admin",
    "city_hr",
    "province_health",
    "other_city_hr",
    "institution_admin",
    "provider_staff",
    "judge",
    "caregiver",
    "anonymous",
)


@pytest.fixture
def world():
    province = f.ProvinceFactory()
    city = f.CityFactory(parent=province)
    other_city = f.CityFactory(parent=province)
    county = f.CountyFactory(parent=city)
    institution = f.InstitutionFactory(region=f.TownshipFactory(parent=county))
    neighbour = f.InstitutionFactory(region=county)
    provider = f.TrainingProviderFactory(region=county)

    w = SimpleNamespace(province=province, city=city, institution=institution, neighbour=neighbour, provider=provider)
    w.running = CompetitionFactory(region=city, title="city running", status=Competition.Status.RUNNING)
    w.draft = CompetitionFactory(region=city, title="city draft", status=Competition.Status.DRAFT)
    w.provincial = CompetitionFactory(region=province, title="province open", status=Competition.Status.OPEN)
    w.elsewhere = CompetitionFactory(region=other_city, title="other city open", status=Competition.Status.OPEN)

    staff_track = TrackFactory(competition=w.running)
    student_track = TrackFactory(competition=w.running, group=Group.STUDENT)
    w.staff_track, w.student_track = staff_track, student_track
    w.own = coded(EntryFactory(track=staff_track, institution=institution), 1, "OWN1")
    w.neighbours = coded(EntryFactory(track=staff_track, institution=neighbour), 2, "NBR2")
    w.students = coded(
        EntryFactory(track=student_track, institution=None, provider=provider, employed=False), 1, "STU1"
    )
    w.pending = EntryFactory(track=staff_track, institution=institution, status=Entry.Status.PENDING)

    w.station = practical_station(staff_track, RoundFactory(competition=w.running, weight=100))
    w.draft_station = StationFactory(round=RoundFactory(competition=w.draft, weight=100))

    caregiver = f.EmploymentFactory(institution=institution, start_date=dt.date(2019, 1, 1)).person
    caregiver.user = f.UserFactory(username="caregiver")
    caregiver.save(update_fields=["user"])
    judge = f.UserFactory(username="judge")
    w.judge = JudgeFactory(station=w.station, user=judge)
    JudgeFactory(station=w.draft_station, user=judge)
    w.sheet = SheetFactory(station=w.station, entry=w.neighbours, judge=w.judge)
    w.chief = w.station.judges.get(is_chief=True)
    w.chief_sheet = SheetFactory(station=w.station, entry=w.own, judge=w.chief)

    w.users = {
        "admin": f.UserFactory(is_superuser=True),
        "city_hr": f.RoleGrantFactory(hr_officer=True, region=city).user,
        "province_health": f.RoleGrantFactory(health_officer=True, region=province).user,
        "other_city_hr": f.RoleGrantFactory(hr_officer=True, region=other_city).user,
        "institution_admin": f.RoleGrantFactory(institution_admin=True, institution=institution).user,
        "provider_staff": f.RoleGrantFactory(provider_staff=True, provider=provider).user,
        "judge": judge,
        "caregiver": caregiver.user,
        "anonymous": AnonymousUser(),
    }
    return w


def matrix(world, read) -> dict:
    return {role: read(world.users[role]) for role in ROLES}


def titles(qs) -> set[str]:
    return set(qs.values_list("title", flat=True))


ALL = {"city running", "city draft", "province open", "other city open"}
CITY = {"city running", "city draft"}
UNIT_VIEW = {"city running", "province open"}


def test_competitions_for_view(world):
    assert matrix(world, lambda u: titles(sel.competitions_for(u))) == {
        "admin": ALL,
        "city_hr": CITY,
        "province_health": ALL,
        "other_city_hr": {"other city open"},
        "institution_admin": UNIT_VIEW,
        "provider_staff": UNIT_VIEW,
        "judge": set(),
        "caregiver": set(),
        "anonymous": set(),
    }


def test_competitions_for_change(world):
    assert matrix(world, lambda u: titles(sel.competitions_for(u, "change"))) == {
        "admin": ALL,
        "city_hr": CITY,
        "province_health": ALL,
        "other_city_hr": {"other city open"},
        "institution_admin": set(),
        "provider_staff": set(),
        "judge": set(),
        "caregiver": set(),
        "anonymous": set(),
    }


def test_can_manage(world):
    organizers = {"admin", "city_hr", "province_health"}
    assert matrix(world, lambda u: sel.can_manage(u, world.running)) == {r: r in organizers for r in ROLES}
    assert matrix(world, lambda u: sel.can_manage(u, world.provincial)) == {
        r: r in {"admin", "province_health"} for r in ROLES
    }


def test_entries_for(world):
    def codes(user):
        return {e.code or "pending" for e in sel.entries_for(user, world.running)}

    everything = {"OWN1", "NBR2", "STU1", "pending"}
    assert matrix(world, codes) == {
        "admin": everything,
        "city_hr": everything,
        "province_health": everything,
        "other_city_hr": set(),
        "institution_admin": {"OWN1", "pending"},
        "provider_staff": {"STU1"},
        "judge": set(),
        "caregiver": set(),
        "anonymous": set(),
    }


def test_judge_stations(world):
    def stations(user):
        return [s.pk for s in sel.judge_stations(user)]

    result = matrix(world, stations)
    assert result["judge"] == [world.station.pk]  # not the draft competition's station
    assert all(result[r] == [] for r in ROLES if r != "judge")
    (station,) = sel.judge_stations(world.users["judge"])
    assert (station.sheet_count, station.submitted_count, station.is_chief) == (1, 0, False)


def test_sheet_for(world):
    assert matrix(world, lambda u: sel.sheet_for(u, world.sheet.pk)) == {
        r: (world.sheet if r == "judge" else None) for r in ROLES
    }
    assert sel.sheet_for(world.chief.user, world.sheet.pk) is None  # the chief's own sheets only


def test_sheet_for_chief(world):
    assert sel.sheet_for_chief(world.chief.user, world.sheet.pk) == world.sheet
    assert matrix(world, lambda u: sel.sheet_for_chief(u, world.sheet.pk)) == {
        r: (world.sheet if r == "admin" else None) for r in ROLES
    }


def test_code_mapping_is_for_organizers_only(world):
    # the mapping has no user argument: the views show it to those who manage the competition
    may_see = matrix(world, lambda u: sel.can_manage(u, world.running))
    assert {r for r, ok in may_see.items() if ok} == {"admin", "city_hr", "province_health"}
    rows = sel.code_mapping(world.running)
    assert [r["code"] for r in rows] == ["OWN1", "NBR2", "STU1"]  # coded entries only, by track and number
    own = rows[0]
    assert own["name"] == world.own.person.name
    assert own["id_number_masked"] == world.own.person.id_number_masked and "*" in own["id_number_masked"]
    assert own["unit"] == str(world.institution) and own["track"] == world.staff_track.name
    assert own["draw_number"] == 1


def test_judge_pages_show_codes_not_names(world):
    rows = sel.judge_rows(world.station, world.judge)
    assert [(r.code, r.draw_number, r.state, r.total) for r in rows] == [("NBR2", 2, "todo", None)]
    judges, chief_rows = sel.chief_rows(world.station)
    assert judges[0] == world.chief
    assert [r.code for r in chief_rows] == ["OWN1", "NBR2"]
    assert chief_rows[0].cells[0] == world.chief_sheet
    assert not hasattr(chief_rows[0], "name")


def test_units_for(world):
    def units(user):
        institutions, providers = sel.units_for(user)
        return set(institutions.values_list("pk", flat=True)), set(providers.values_list("pk", flat=True))

    result = matrix(world, units)
    assert result["institution_admin"] == ({world.institution.pk}, set())
    assert result["provider_staff"] == (set(), {world.provider.pk})
    assert world.neighbour.pk in result["admin"][0]
    for role in ("city_hr", "judge", "caregiver", "anonymous"):
        assert result[role] == (set(), set())


def test_registrable_people(world):
    gone = f.EmploymentFactory(
        institution=world.institution, start_date=dt.date(2015, 1, 1), end_date=dt.date(2020, 1, 1)
    ).person
    people = set(sel.registrable_people(world.users["institution_admin"], world.staff_track))
    assert world.own.person in people and world.neighbours.person not in people
    assert gone not in people
    assert not sel.registrable_people(world.users["caregiver"], world.staff_track).exists()
    assert not sel.registrable_people(world.users["anonymous"], world.student_track).exists()
    assert world.students.person in set(sel.registrable_people(world.users["admin"], world.student_track))
