"""Competition award certificates (竞赛获奖证书): one per prize winner of a published competition, issued when the
competitions app announces the publication (event → task after commit), idempotent, never for a banned contestant."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from certificates.models import Certificate, Kind
from certificates.services.awards import award_certificates_for_competition, entry_certificate, entry_key
from certificates.services.issue import BannedHolder
from certificates.tasks import issue_for_competition_task
from lms.competitions.events import competition_results_published
from lms.competitions.models import Competition
from lms.competitions.services.results import results_publish
from lms.learning.choices import Occupation
from lms.registry.services import person_ban
from tests import factories as f
from tests.lms.competitions.factories import (
    CompetitionFactory,
    EntryFactory,
    StationFactory,
    StationScoreFactory,
    TrackFactory,
    coded,
    competition_with_rounds,
)

from .factories import certificate_type

pytestmark = pytest.mark.django_db

PUBLISHED_AT = dt.datetime(2026, 10, 25, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def competition():
    certificate_type("award")
    return CompetitionFactory(
        title="2026年曲靖市托育服务职业技能竞赛",
        organizer="曲靖市人力资源和社会保障局 曲靖市卫生健康委员会",
        status=Competition.Status.PUBLISHED,
        published_at=PUBLISHED_AT,
    )


@pytest.fixture
def winners(competition):
    """A 保育师 track with first, second, third prize winners and one ranked contestant without a prize."""
    track = TrackFactory(competition=competition, name="保育师（职工组）", occupation=Occupation.CHILDCARE_WORKER)
    awards = ["first", "second", "third", ""]
    return [
        EntryFactory(track=track, person=f.PersonFactory(name=name), rank=rank, award=award)
        for rank, (name, award) in enumerate(zip(["张丽华", "李芳", "王秀英", "赵敏"], awards, strict=True), start=1)
    ]


def test_each_prize_winner_gets_one_award_certificate(competition, winners):
    assert award_certificates_for_competition(competition_id=competition.pk) == 3
    certificates = {c.achievement_key: c for c in Certificate.objects.select_related("type")}
    assert set(certificates) == {entry_key(e.pk) for e in winners[:3]}
    for entry, label in zip(winners, ["一等奖", "二等奖", "三等奖"], strict=False):
        certificate = certificates[f"competition-entry:{entry.pk}"]
        assert certificate.holder == entry.person and certificate.type.kind == Kind.AWARD
        assert certificate.issued_on == timezone.localdate(PUBLISHED_AT) and certificate.expires_on is None
        assert re.fullmatch(r"HJ2026\d+", certificate.number), certificate.number
        snapshot = certificate.snapshot
        assert snapshot["kind"] == "award" and snapshot["award"] == entry.award
        assert snapshot["award_label"] == label  # frozen data, in the platform language
        assert snapshot["competition_title"] == "2026年曲靖市托育服务职业技能竞赛"
        assert snapshot["track"] == "保育师（职工组）" and snapshot["occupation"] == Occupation.CHILDCARE_WORKER
        assert snapshot["issuer"] == competition.organizer


def test_issuance_is_idempotent(competition, winners):
    assert award_certificates_for_competition(competition_id=competition.pk) == 3
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert award_certificates_for_competition(competition_id=competition.pk) == 0
    certificate, created = entry_certificate(entry=winners[0], render=False)
    assert not created and certificate.achievement_key == entry_key(winners[0].pk)
    assert issue_for_competition_task.delay(competition.pk).get() == 0
    assert sorted(Certificate.objects.values_list("number", flat=True)) == numbers


def test_issue_certificates_catches_up_the_missing_award_certificates(competition, winners):
    from io import StringIO

    from django.core.management import call_command

    entry_certificate(entry=winners[0], render=False)
    out = StringIO()
    call_command("issue_certificates", "--no-pdf", stdout=out, stderr=StringIO())
    assert "Issued 2 award certificates." in out.getvalue()
    assert Certificate.objects.filter(type__kind=Kind.AWARD).count() == 3


def test_an_entry_without_a_prize_is_refused(competition, winners):
    with pytest.raises(ValidationError):
        entry_certificate(entry=winners[3], render=False)
    assert not Certificate.objects.exists()


@pytest.mark.parametrize("status", [Competition.Status.RUNNING, Competition.Status.OPEN, Competition.Status.DRAFT])
def test_an_unpublished_competition_issues_nothing(competition, winners, status):
    Competition.objects.filter(pk=competition.pk).update(status=status, published_at=None)
    winners[0].competition.refresh_from_db()
    with pytest.raises(ValidationError):
        entry_certificate(entry=winners[0], render=False)
    assert award_certificates_for_competition(competition_id=competition.pk) == 0
    assert award_certificates_for_competition(competition_id=competition.pk + 1000) == 0
    assert not Certificate.objects.exists()


def test_publication_event_issues_after_commit(competition, winners, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        competition_results_published.send(sender=Competition, competition_id=competition.pk)
    assert len(callbacks) == 1 and not Certificate.objects.exists()  # nothing before the commit
    callbacks[0]()
    assert Certificate.objects.filter(achievement_key__startswith="competition-entry:").count() == 3
    with django_capture_on_commit_callbacks(execute=True):  # sent again: nothing new
        competition_results_published.send(sender=Competition, competition_id=competition.pk)
    assert Certificate.objects.count() == 3


def test_a_banned_winner_gets_no_certificate_the_others_do(competition, winners, django_capture_on_commit_callbacks):
    banned = winners[0]
    with django_capture_on_commit_callbacks(execute=True):
        person_ban(person=banned.person, reason="虐待儿童", decided_on=dt.date(2026, 1, 1), decided_by="卫健委")
    with pytest.raises(BannedHolder):
        entry_certificate(entry=banned, render=False)
    with django_capture_on_commit_callbacks(execute=True):
        competition_results_published.send(sender=Competition, competition_id=competition.pk)
    assert set(Certificate.objects.values_list("achievement_key", flat=True)) == {entry_key(e.pk) for e in winners[1:3]}


def test_publishing_the_results_issues_the_winners_certificates(django_capture_on_commit_callbacks):
    """The whole path: results_publish → competition_results_published after commit → task → certificates."""
    certificate_type("award")
    competition, track, theory, practical = competition_with_rounds(first_prize_percent=25)
    theory_station = StationFactory(round=theory, track=track, rubric=None)
    practical_station = StationFactory(round=practical, track=track)
    entries = [coded(EntryFactory(track=track), n, f"C{n:03d}") for n in range(1, 5)]
    for entry, score in zip(entries, [95, 90, 85, 80], strict=True):
        StationScoreFactory(station=theory_station, entry=entry, score=score)
        StationScoreFactory(station=practical_station, entry=entry, score=score)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        results_publish(competition=competition, actor=None)
    assert callbacks and not Certificate.objects.exists()  # nothing before the commit
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    awarded = {e.pk: e.award for e in competition.entries.all()}
    assert sorted(awarded.values()) == ["", "first", "second", "third"]
    labels = dict(Certificate.objects.values_list("achievement_key", "snapshot__award_label"))
    expected = {"first": "一等奖", "second": "二等奖", "third": "三等奖"}
    assert labels == {entry_key(pk): expected[award] for pk, award in awarded.items() if award}
