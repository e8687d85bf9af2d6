"""The stations and quotas pages of a competition: stations with a rubric or a sitting, judges added and
removed, sheets assigned (a recusal that leaves a contestant short of judges is refused, naming the code),
theory enrolment and scores, unit quotas."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from lms.competitions.models import Competition, Entry, Judge, Quota, RoundScore, Sheet, Station, StationScore
from lms.exams.models import Attempt, Candidate
from tests import factories as f
from tests.lms.exams.factories import AttemptFactory, SittingFactory
from tests.lms.exams.practical_factories import rubric_with_criteria

from . import test_admin_world as setup
from .factories import coded, practical_station
from .test_admin_world import COMPETITIONS, EN, login, messages_of

pytestmark = pytest.mark.django_db
world = setup.world  # the fixture


def stations_url(world) -> str:
    return f"{COMPETITIONS}{world.competition.pk}/stations/"


def quotas_url(world) -> str:
    return f"{COMPETITIONS}{world.competition.pk}/quotas/"


@pytest.fixture
def running(world):
    """Under way: both entries approved and coded, both through the theory round."""
    Competition.objects.filter(pk=world.competition.pk).update(status=Competition.Status.RUNNING)
    world.competition.refresh_from_db()
    Entry.objects.filter(pk__in=[world.entry_a.pk, world.entry_b.pk]).update(status=Entry.Status.APPROVED)
    coded(world.entry_a, 1, "AAAA")
    coded(world.entry_b, 2, "BBBB")
    for entry in (world.entry_a, world.entry_b):
        RoundScore.objects.create(round=world.theory, entry=entry, score=Decimal("80"), goes_on=True)
    return world


def station_post(world, round_, **fields) -> dict:
    data = {
        "action": "add_station",
        "station-round": round_.pk,
        "station-track": world.staff_track.pk,
        "station-name": "赛位一",
        "station-place": "实训室",
        "station-rubric": "",
        "station-sitting": "",
        "station-weight": "1",
    }
    data.update({f"station-{k}": v for k, v in fields.items()})
    return data


def test_a_practical_station_needs_a_rubric_and_a_theory_station_a_sitting(client, world):
    c = login(client, world.organizer)
    response = c.post(stations_url(world), station_post(world, world.practical), **EN)
    assert response.status_code == 200 and "A practical station needs a rubric." in response.content.decode()
    response = c.post(stations_url(world), station_post(world, world.theory), **EN)
    assert response.status_code == 200 and "A theory station needs an exam sitting." in response.content.decode()
    assert not Station.objects.exists()
    rubric = rubric_with_criteria()
    response = c.post(stations_url(world), station_post(world, world.practical, rubric=rubric.pk))
    assert response.status_code == 302
    sitting = SittingFactory()
    response = c.post(stations_url(world), station_post(world, world.theory, name="理论", sitting=sitting.pk))
    assert response.status_code == 302
    assert set(Station.objects.values_list("name", "round_id")) == {
        ("赛位一", world.practical.pk),
        ("理论", world.theory.pk),
    }
    assert ModelLogEntry.objects.filter(
        object_id=str(world.competition.pk), action="competitions.competition.update", user=world.organizer
    ).exists()


def test_add_and_remove_judges(client, world):
    c = login(client, world.organizer)
    station = Station.objects.create(
        round=world.practical, track=world.staff_track, name="赛位一", rubric=rubric_with_criteria()
    )
    judge_user = f.UserFactory(username="judge-li")
    data = {"action": "add_judge", "judge-station": station.pk, "judge-username": "nobody", "judge-is_chief": "on"}
    response = c.post(stations_url(world), data, **EN)
    assert response.status_code == 200 and "There is no active user with this user name." in response.content.decode()
    data.update({"judge-username": "judge-li", "judge-institution": world.a.institution.pk})
    response = c.post(stations_url(world), data, follow=True, **EN)
    assert "Judge added." in messages_of(response)
    judge = Judge.objects.get(station=station, user=judge_user)
    assert judge.is_chief and judge.institution == world.a.institution
    assert "judge-li" in response.content.decode()
    response = c.post(stations_url(world), {"action": "remove_judge", "judge": judge.pk}, follow=True, **EN)
    assert "Judge removed." in messages_of(response)
    assert not Judge.objects.filter(pk=judge.pk).exists()


def test_assigning_sheets_shows_the_recusal_refusal(client, running):
    world = running
    c = login(client, world.organizer)
    station = practical_station(world.staff_track, world.practical, judges=3)
    Judge.objects.filter(pk=station.judges.order_by("pk").last().pk).update(institution=world.a.institution)
    response = c.post(stations_url(world), {"action": "assign", "station": station.pk}, follow=True, **EN)
    refusals = [m for m in messages_of(response) if "AAAA" in m]
    assert refusals and "only 2 judges" in refusals[0]
    assert not Sheet.objects.exists()
    f.UserFactory(username="judge-four")
    c.post(stations_url(world), {"action": "add_judge", "judge-station": station.pk, "judge-username": "judge-four"})
    response = c.post(stations_url(world), {"action": "assign", "station": station.pk}, follow=True, **EN)
    assert "7 sheets created." in messages_of(response)
    assert Sheet.objects.filter(entry=world.entry_a).count() == 3
    assert Sheet.objects.filter(entry=world.entry_b).count() == 4


def test_theory_enrolment_and_scores(client, running):
    world = running
    c = login(client, world.organizer)
    sitting = SittingFactory()
    station = Station.objects.create(round=world.theory, track=world.staff_track, name="理论", sitting=sitting)
    response = c.post(stations_url(world), {"action": "theory_enrol", "station": station.pk}, follow=True, **EN)
    assert "2 contestants enrolled." in messages_of(response)
    candidates = Candidate.objects.filter(sitting=sitting, status=Candidate.Status.APPROVED)
    assert set(candidates.values_list("person_id", flat=True)) == {world.colleague.pk, world.b.person.pk}
    now = timezone.now()
    for candidate, score in zip(candidates.order_by("pk"), ("88", "75"), strict=True):
        AttemptFactory(
            candidate=candidate,
            status=Attempt.Status.GRADED,
            started_at=now - dt.timedelta(minutes=50),
            submitted_at=now - dt.timedelta(minutes=5),
            score=Decimal(score),
        )
    response = c.post(stations_url(world), {"action": "theory_import", "station": station.pk}, follow=True, **EN)
    assert "2 scores imported." in messages_of(response)
    assert StationScore.objects.filter(station=station).count() == 2


def test_station_actions_on_another_competitions_station_are_404(client, running):
    world = running
    c = login(client, world.other_hr)
    station = practical_station(world.staff_track, world.practical, judges=3)
    assert c.post(stations_url(world), {"action": "assign", "station": station.pk}).status_code == 404
    c = login(client, world.organizer)
    other_url = f"{COMPETITIONS}{world.other_competition.pk}/stations/"
    assert c.post(other_url, {"action": "assign", "station": station.pk}).status_code == 404
    assert not Sheet.objects.exists()


def test_unit_quotas_are_added_edited_and_removed(client, world):
    c = login(client, world.organizer)
    data = {"action": "save", "track": world.staff_track.pk, "institution": world.a.institution.pk, "places": "4"}
    assert c.post(quotas_url(world), data).status_code == 302
    quota = Quota.objects.get(track=world.staff_track, institution=world.a.institution)
    assert quota.places == 4
    html = c.get(quotas_url(world), {"edit": quota.pk}).content.decode()
    assert 'value="4"' in html
    assert c.post(quotas_url(world), {**data, "places": "1"}).status_code == 302
    quota.refresh_from_db()
    assert quota.places == 1 and Quota.objects.count() == 1
    response = c.post(quotas_url(world), {**data, "provider": world.a.provider.pk}, **EN)
    assert response.status_code == 200
    assert "Choose either an institution or a school / training provider." in response.content.decode()
    assert c.post(quotas_url(world), {"action": "delete", "quota": quota.pk}).status_code == 302
    assert not Quota.objects.exists()
    # a unit of another city is no choice
    other = f.InstitutionFactory(region=f.CountyFactory(parent=world.other_competition.region))
    response = c.post(quotas_url(world), {**data, "institution": other.pk})
    assert response.status_code == 200 and "institution" in response.context["form"].errors


def test_a_station_without_marks_can_be_removed_with_its_panel(client, running):
    world = running
    c = login(client, world.organizer)
    station = practical_station(world.staff_track, world.practical, judges=3)
    c.post(stations_url(world), {"action": "assign", "station": station.pk})
    assert Sheet.objects.filter(station=station).exists()
    response = c.post(stations_url(world), {"action": "remove_station", "station": station.pk}, follow=True, **EN)
    assert f"Station “{station.name}” removed." in messages_of(response)
    assert not Station.objects.filter(pk=station.pk).exists() and not Judge.objects.exists()
    log = ModelLogEntry.objects.get(object_id=str(world.competition.pk), action="competitions.station.remove")
    assert log.data["station"] == station.name


def test_a_station_with_marks_is_not_removed(client, running):
    world = running
    c = login(client, world.organizer)
    station = practical_station(world.staff_track, world.practical, judges=3)
    c.post(stations_url(world), {"action": "assign", "station": station.pk})
    Sheet.objects.filter(station=station).update(marks={"1": "5"})
    response = c.post(stations_url(world), {"action": "remove_station", "station": station.pk}, follow=True, **EN)
    assert any("cannot be removed" in m for m in messages_of(response))
    assert Station.objects.filter(pk=station.pk).exists()
    assert 'data-testid="remove-station"' in response.content.decode()  # no marks submitted: still offered
