"""Theory round service: the contestants enrolled in the exam sitting, their best graded attempts imported."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from lms.competitions.models import Entry, Judge, StationScore
from lms.competitions.services import theory as theory_svc
from lms.exams.models import Attempt, Candidate
from tests import factories as f
from tests.lms.exams.factories import AttemptFactory, CandidateFactory, SittingFactory

from .factories import (
    EntryFactory,
    StationFactory,
    coded,
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


def entries(track, n, *, start=1, **fields):
    return [coded(EntryFactory(track=track, **fields), start + i, f"C{start + i:03d}") for i in range(n)]


def judges(station) -> list[Judge]:
    return list(station.judges.order_by("pk"))


def codes_of(exc) -> list[str]:
    return [e.code for e in exc.value.error_list]


# --- the theory round -------------------------------------------------------------------------------------------


def graded(candidate, *, number, score, minutes):
    started = timezone.now() - dt.timedelta(hours=2)
    return AttemptFactory(
        candidate=candidate,
        number=number,
        status=Attempt.Status.GRADED,
        score=D(score),
        started_at=started,
        submitted_at=started + dt.timedelta(minutes=minutes),
    )


def test_theory_import_takes_the_best_graded_attempt(organizer):
    competition, track, theory, practical = competition_with_rounds()
    sitting = SittingFactory(attempts_allowed=2)
    station = StationFactory(round=theory, track=track, rubric=None, sitting=sitting)
    a, b, c = entries(track, 3)
    candidate = CandidateFactory(sitting=sitting, person=a.person)
    graded(candidate, number=1, score="70", minutes=50)
    graded(candidate, number=2, score="85.5", minutes=40)
    AttemptFactory(candidate=CandidateFactory(sitting=sitting, person=b.person))  # still in progress
    graded(CandidateFactory(sitting=SittingFactory(), person=c.person), number=1, score="99", minutes=10)  # elsewhere
    assert theory_svc.theory_import(station=station, actor=organizer) == 1
    score = StationScore.objects.get(station=station)
    assert (score.entry, score.score, score.time_seconds, score.judges) == (a, D("85.50"), 2400, 0)
    assert ModelLogEntry.objects.filter(action="competitions.station.theory_import").count() == 1
    Attempt.objects.filter(candidate=candidate, number=1).update(score=D("90"))
    assert theory_svc.theory_import(station=station, actor=organizer) == 1  # idempotent: updated
    score = StationScore.objects.get(station=station)
    assert score.score == D("90.00") and score.time_seconds == 3000


def test_theory_enrol_registers_approved_candidates(organizer):
    competition, track, theory, practical = competition_with_rounds()
    sitting = SittingFactory()
    station = StationFactory(round=theory, track=track, rubric=None, sitting=sitting)
    a, b = entries(track, 2)
    EntryFactory(track=track, status=Entry.Status.REFUSED)
    CandidateFactory(sitting=sitting, person=b.person)  # already there
    officer = f.RoleGrantFactory(hr_officer=True, region=competition.region).user  # not the sitting's staff
    assert theory_svc.theory_enrol(station=station, actor=officer) == 1
    assert Candidate.objects.get(sitting=sitting, person=a.person).status == Candidate.Status.APPROVED
    assert Candidate.objects.filter(sitting=sitting).count() == 2
    assert theory_svc.theory_enrol(station=station, actor=organizer) == 0


def test_theory_needs_a_sitting(organizer):
    competition, track, theory, practical = competition_with_rounds()
    station = practical_station(track, practical, judges=3)
    with pytest.raises(ValidationError) as exc:
        theory_svc.theory_import(station=station, actor=organizer)
    assert codes_of(exc) == ["no_sitting"]
