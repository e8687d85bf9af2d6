"""Publishing a competition's results: refused while anything is missing, audited, the event sent once after commit."""

from __future__ import annotations

from decimal import Decimal as D
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from lms.competitions.models import (
    Competition,
    RoundScore,
    StationScore,
)
from lms.competitions.services import results as svc
from tests import factories as f

from .factories import (
    EntryFactory,
    SheetFactory,
    StationFactory,
    StationScoreFactory,
    coded,
    competition_with_rounds,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def actor():
    return f.UserFactory(is_superuser=True)


def score(station, entry, points, time=None):
    return StationScoreFactory(station=station, entry=entry, score=D(str(points)), time_seconds=time)


def entries(track, n, **fields):
    return [coded(EntryFactory(track=track, **fields), i, f"C{i:03d}") for i in range(1, n + 1)]


@pytest.fixture
def two_rounds():
    """Theory (20%, pass 60) with one station, practical (80%) with one station."""
    competition, track, theory, practical = competition_with_rounds()
    t = StationFactory(round=theory, track=track, rubric=None, name="理论")
    p = StationFactory(round=practical, track=track, name="操作")
    return competition, track, theory, practical, t, p


def fresh(*objs):
    for obj in objs:
        obj.refresh_from_db()


# --- publication ------------------------------------------------------------------------------------------------


@pytest.fixture
def finished(two_rounds):
    competition, track, theory, practical, t, p = two_rounds
    a, b, c = entries(track, 3)
    for entry, theory_points, practical_points in ((a, 80, 90), (b, 50, None), (c, 70, 85)):
        score(t, entry, theory_points)
        if practical_points:
            score(p, entry, practical_points)
    return competition, (a, b, c), p


def test_publish_refuses_while_sheets_are_open(finished, actor):
    competition, (a, b, c), p = finished
    SheetFactory(station=p, entry=a)  # never submitted
    with pytest.raises(ValidationError) as raised:
        svc.results_publish(competition=competition, actor=actor)
    assert raised.value.messages == ["1 judge's sheet is not submitted yet."]
    competition.refresh_from_db()
    assert competition.status == Competition.Status.RUNNING and competition.published_at is None
    assert svc.results_problems(competition) == ["1 judge's sheet is not submitted yet."]


def test_publish_refuses_with_missing_scores_and_nothing_is_written(finished, actor):
    competition, (a, b, c), p = finished
    StationScore.objects.filter(station=p, entry=c).delete()
    with pytest.raises(ValidationError) as raised:
        svc.results_publish(competition=competition, actor=actor)
    assert "C003" in raised.value.messages[0]
    assert not RoundScore.objects.exists()
    competition.refresh_from_db()
    assert competition.status == Competition.Status.RUNNING


def test_a_round_without_a_station_stops_publication(actor):
    competition, track, theory, practical = competition_with_rounds()
    t = StationFactory(round=theory, track=track, rubric=None)
    (a,) = entries(track, 1)
    score(t, a, 80)
    problems = svc.results_problems(competition)
    assert problems == [f"{track.name}: the round “{practical.name}” has no station, so nobody has a score in it."]


def test_nothing_to_publish_without_contestants(actor):
    competition, track, theory, practical = competition_with_rounds()
    assert svc.results_problems(competition) == [
        "Nobody has finished the competition: there are no results to publish."
    ]


def test_publish_computes_audits_and_sends_the_event_once_after_commit(
    finished, actor, django_capture_on_commit_callbacks
):
    competition, (a, b, c), p = finished
    with django_capture_on_commit_callbacks() as callbacks:
        published = svc.results_publish(competition=competition, actor=actor)
    assert published.status == Competition.Status.PUBLISHED and published.published_at <= timezone.now()
    competition.refresh_from_db()
    assert competition.status == Competition.Status.PUBLISHED
    fresh(a, b, c)
    assert (a.rank, c.rank, b.rank) == (1, 2, None) and b.stopped_after_id is not None
    assert (
        ModelLogEntry.objects.filter(action="competitions.competition.publish", object_id=str(competition.pk)).count()
        == 1
    )

    assert callbacks  # nothing is sent before the commit
    with mock.patch.object(svc.competition_results_published, "send") as send:
        for callback in callbacks:
            callback()
    send.assert_called_once_with(sender=Competition, competition_id=competition.pk)


def test_published_results_no_longer_change(finished, actor, django_capture_on_commit_callbacks):
    competition, (a, b, c), p = finished
    with (
        mock.patch.object(svc.competition_results_published, "send"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        svc.results_publish(competition=competition, actor=actor)
    with pytest.raises(ValidationError):
        svc.results_compute(competition=competition, actor=actor)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError):
        svc.results_publish(competition=competition, actor=actor)
    assert callbacks == []


def test_only_a_competition_under_way_is_published(finished, actor):
    competition = finished[0]
    Competition.objects.filter(pk=competition.pk).update(status=Competition.Status.OPEN)
    with pytest.raises(ValidationError):
        svc.results_publish(competition=competition, actor=actor)
    with pytest.raises(PermissionDenied):
        svc.results_publish(competition=competition, actor=f.UserFactory())
