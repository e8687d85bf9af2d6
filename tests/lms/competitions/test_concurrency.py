"""Two people acting at the same moment (PostgreSQL: real row locks): two registrations for a unit's last place,
and two judges submitting the last two sheets of a contestant."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from lms.competitions.models import Competition, Entry, StationScore
from lms.competitions.services import entries as entries_svc
from lms.competitions.services import judging as judging_svc
from lms.registry.models import Post
from tests import factories as f
from tests.concurrency import race

from .factories import (
    CompetitionFactory,
    EntryFactory,
    SheetFactory,
    TrackFactory,
    coded,
    competition_with_rounds,
    marks_for,
    practical_station,
)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent transactions (PostgreSQL); SQLite serialises writers",
    ),
    pytest.mark.django_db(transaction=True),
]

DAY = dt.date(2026, 9, 10)  # inside the factories' registration window


def test_two_registrations_for_the_last_place_take_it_once():
    track = TrackFactory(competition=CompetitionFactory(status=Competition.Status.OPEN), quota_per_unit=1)
    institution = f.InstitutionFactory(region=f.CountyFactory(parent=track.competition.region))
    people = [
        f.EmploymentFactory(institution=institution, post=Post.CAREGIVER, start_date=dt.date(2015, 3, 1)).person
        for _ in range(2)
    ]

    def register(person):
        return lambda: (
            entries_svc.entry_register(
                track=track, person=person, actor=None, institution=institution, today=DAY
            ).status
        )

    results, errors = race([register(p) for p in people])
    assert results == [Entry.Status.PENDING]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError) and errors[0].error_list[0].code == "quota"
    assert Entry.objects.filter(track=track).count() == 1


def test_two_judges_submitting_the_last_two_sheets_at_once_give_the_station_score():
    competition, track, _theory, practical = competition_with_rounds()
    station = practical_station(track, practical, judges=3)
    entry = coded(EntryFactory(track=track), 1, "K7QM")
    judges = list(station.judges.order_by("pk"))
    sheets = [SheetFactory(station=station, entry=entry, judge=j, marks=marks_for(station, 20, 25, 30)) for j in judges]
    judging_svc.sheet_submit(sheet=sheets[0], actor=judges[0].user)

    def submit(sheet, judge):
        return lambda: judging_svc.sheet_submit(sheet=sheet, actor=judge.user).pk

    _results, errors = race([submit(sheets[1], judges[1]), submit(sheets[2], judges[2])])
    assert not errors, errors
    score = StationScore.objects.get(station=station, entry=entry)
    assert (score.score, score.judges) == (75, 3)
