"""Competition set-up service: configuration problems, opening registration, starting the event."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from wagtail.models import ModelLogEntry

from lms.competitions.choices import RoundKind
from lms.competitions.models import Competition, Entry
from lms.competitions.services import competitions as svc
from tests import factories as f
from tests.lms.exams.factories import SittingFactory

from .factories import (
    CompetitionFactory,
    EntryFactory,
    JudgeFactory,
    RoundFactory,
    StationFactory,
    TrackFactory,
    competition_with_rounds,
    practical_station,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def organizer():
    return f.UserFactory(is_superuser=True)


def draft(**fields):
    competition, track, theory, practical = competition_with_rounds(status=Competition.Status.DRAFT, **fields)
    return competition


def actions(instance) -> list[str]:
    return list(ModelLogEntry.objects.for_instance(instance).values_list("action", flat=True))


# --- configuration problems -------------------------------------------------------------------------------------


def test_a_complete_competition_has_no_problem():
    competition, track, theory, practical = competition_with_rounds()
    StationFactory(round=theory, track=track, rubric=None, sitting=SittingFactory())
    practical_station(track, practical, judges=3)
    assert svc.config_problems(competition) == []


def test_no_track_and_no_round():
    problems = svc.config_problems(CompetitionFactory())
    assert problems == ["The competition has no track.", "The competition has no round."]


def test_weights_must_add_up_to_100():
    competition = CompetitionFactory()
    TrackFactory(competition=competition)
    RoundFactory(competition=competition, kind=RoundKind.THEORY, weight=D("20"))
    RoundFactory(competition=competition, weight=D("70"))
    assert svc.config_problems(competition) == ["The rounds' weights add up to 90%; they must add up to 100%."]


def test_prize_percents_over_100():
    competition, *_ = competition_with_rounds(
        first_prize_percent=D("50"), second_prize_percent=D("40"), third_prize_percent=D("30")
    )
    assert svc.config_problems(competition) == [
        "First, second and third prizes add up to 120% of the contestants, more than 100%."
    ]


def test_station_problems():
    competition, track, theory, practical = competition_with_rounds()
    StationFactory(round=theory, track=track, rubric=None, sitting=None, name="笔试")
    no_rubric = StationFactory(round=practical, track=track, rubric=None, name="A")
    for _ in range(3):
        JudgeFactory(station=no_rubric)
    two = StationFactory(round=practical, track=track, name="B")
    JudgeFactory(station=two)
    JudgeFactory(station=two)
    problems = svc.config_problems(competition)
    assert len(problems) == 3
    assert "笔试" in problems[0] and "has no exam sitting" in problems[0]
    assert "“保育师（职工组） · 技能操作 · A” of a practical round has no rubric" in problems[1]
    assert problems[2].endswith("· B” has 2 judges; it needs at least 3.")


# --- opening ----------------------------------------------------------------------------------------------------


def test_open(organizer):
    competition = draft()
    competition = svc.competition_open(competition=competition, actor=organizer)
    assert competition.status == Competition.Status.OPEN
    assert Competition.objects.get(pk=competition.pk).status == Competition.Status.OPEN
    assert actions(competition) == ["competitions.competition.open"]


def test_open_refused_with_the_problems(organizer):
    competition = CompetitionFactory(status=Competition.Status.DRAFT)
    with pytest.raises(ValidationError) as exc:
        svc.competition_open(competition=competition, actor=organizer)
    assert exc.value.messages == ["The competition has no track.", "The competition has no round."]
    assert Competition.objects.get(pk=competition.pk).status == Competition.Status.DRAFT


def test_open_does_not_wait_for_stations(organizer):
    competition = draft()
    StationFactory(round=competition.rounds.get(kind=RoundKind.PRACTICAL), track=competition.tracks.get())
    assert svc.competition_open(competition=competition, actor=organizer).status == Competition.Status.OPEN


def test_open_only_a_draft(organizer):
    competition, *_ = competition_with_rounds(status=Competition.Status.OPEN)
    with pytest.raises(ValidationError) as exc:
        svc.competition_open(competition=competition, actor=organizer)
    assert exc.value.error_list[0].code == "not_draft"


def test_only_organizers_open():
    competition = draft()
    other_city = f.RoleGrantFactory(hr_officer=True, region=f.CityFactory()).user
    with pytest.raises(PermissionDenied):
        svc.competition_open(competition=competition, actor=other_city)
    officer = f.RoleGrantFactory(health_officer=True, region=competition.region).user
    assert svc.competition_open(competition=competition, actor=officer).status == Competition.Status.OPEN


# --- starting ---------------------------------------------------------------------------------------------------


def test_start_refused_while_entries_await_approval(organizer):
    competition, track, *_ = competition_with_rounds(status=Competition.Status.OPEN)
    pending = EntryFactory(track=track, status=Entry.Status.PENDING)
    EntryFactory(track=track)
    with pytest.raises(ValidationError) as exc:
        svc.competition_start(competition=competition, actor=organizer)
    assert exc.value.error_list[0].code == "pending_entries"
    assert exc.value.messages == ["1 entry still awaits approval: approve or refuse it first."]
    pending.status = Entry.Status.REFUSED
    pending.save()
    competition = svc.competition_start(competition=competition, actor=organizer)
    assert competition.status == Competition.Status.RUNNING
    log = ModelLogEntry.objects.for_instance(competition).get(action="competitions.competition.start")
    assert log.data == {"approved": 1}


def test_start_only_an_open_competition(organizer):
    for status in (Competition.Status.DRAFT, Competition.Status.RUNNING):
        competition, *_ = competition_with_rounds(status=status)
        with pytest.raises(ValidationError) as exc:
            svc.competition_start(competition=competition, actor=organizer)
        assert exc.value.error_list[0].code == "not_open"
