"""``manage.py seed_demo_competitions``: a finished competition with published results, prizes and award
certificates, and one under way with the practical station half marked (``judge1`` has contestants to mark);
idempotent, reset with the registry demo, wired into ``manage.py start``."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from certificates.models import Certificate, Kind
from lms.competitions.demo_plan import FINISHED_TITLE, RUNNING_TITLE
from lms.competitions.demo_reset import demo_exists
from lms.competitions.models import (
    Competition,
    Entry,
    Judge,
    OrganizationAward,
    RoundScore,
    Sheet,
    StationScore,
    UpgradeRecommendation,
)

AS_OF = date(2026, 11, 22)
pytestmark = pytest.mark.django_db


def registry(*args: str) -> None:
    call_command(
        "seed_demo", *args, "--institutions", "30", "--staff", "400", "--as-of", AS_OF.isoformat(), stdout=StringIO()
    )


@pytest.fixture
def registry_demo(db):
    registry()


@pytest.fixture
def seed(django_capture_on_commit_callbacks):
    """Run the command; the on-commit work (the award certificates of the published results) runs too."""

    def run(*args: str) -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("seed_demo_competitions", "--as-of", AS_OF.isoformat(), *args, stdout=out)
        return out.getvalue()

    return run


def state() -> dict[str, list]:
    return {
        "competitions": sorted(Competition.objects.values_list("title", "status", "published_at")),
        "entries": sorted(Entry.objects.values_list("person__id_number_hash", "status", "code", "rank", "award")),
        "sheets": sorted(Sheet.objects.values_list("judge__user__username", "entry__code", "total", "submitted_at")),
        "station_scores": sorted(StationScore.objects.values_list("entry__code", "score")),
        "round_scores": RoundScore.objects.count(),
        "certificates": sorted(Certificate.objects.values_list("achievement_key", "number")),
    }


def test_finished_and_running_competitions_then_nothing_new(registry_demo, seed):
    out = seed()
    assert "Seeded competitions demo" in out
    assert demo_exists()

    finished = Competition.objects.get(title=FINISHED_TITLE)
    assert finished.status == Competition.Status.PUBLISHED and finished.published_at.date() == date(2026, 10, 28)
    assert [t.name for t in finished.tracks.order_by("sort_order")] == ["保育师（职工组）", "育婴员（职工组）"]
    assert [(r.kind, r.weight) for r in finished.rounds.order_by("sort_order")] == [
        ("theory", 20),
        ("practical", 80),
    ]
    approved = finished.entries.filter(status=Entry.Status.APPROVED)
    for track in finished.tracks.all():
        assert 8 <= approved.filter(track=track).count() <= 16
    assert finished.entries.filter(status=Entry.Status.REFUSED).exclude(refusal_reason="").exists()
    assert not approved.filter(code="").exists()
    assert not Sheet.objects.filter(station__round__competition=finished, submitted_at__isnull=True).exists()
    assert Sheet.objects.filter(station__round__competition=finished, outlier=True).exists()
    assert approved.filter(stopped_after__kind="theory").exists()  # theory below the pass mark: no final
    for judge in Judge.objects.filter(station__round__competition=finished):  # recusal
        assert not Sheet.objects.filter(judge=judge, entry__institution_id=judge.institution_id).exists()
    assert {j.user.username for j in Judge.objects.filter(station__round__competition=finished)} == {
        f"judge{n}" for n in range(1, 6)
    }
    winners = approved.exclude(award="")
    assert set(winners.values_list("award", flat=True)) == {"first", "second", "third"}
    assert OrganizationAward.objects.filter(competition=finished).exists()
    assert UpgradeRecommendation.objects.filter(competition=finished).exists()
    certificates = Certificate.objects.filter(achievement_key__startswith="competition-entry:")
    assert sorted(c.achievement_key for c in certificates) == sorted(f"competition-entry:{e.pk}" for e in winners)
    for certificate in certificates:
        assert certificate.type.kind == Kind.AWARD and certificate.issued_on == date(2026, 10, 28)
        assert certificate.snapshot["competition_title"] == FINISHED_TITLE
    assert Certificate.objects.filter(
        holder__user__username="winner", achievement_key__startswith="competition-entry:"
    ).exists()

    running = Competition.objects.get(title=RUNNING_TITLE)
    assert running.status == Competition.Status.RUNNING and running.starts_on <= AS_OF <= running.ends_on
    assert not running.entries.filter(status=Entry.Status.APPROVED, code="").exists()
    theory = StationScore.objects.filter(station__round__competition=running, station__sitting__isnull=False)
    assert theory.count() == running.entries.filter(status=Entry.Status.APPROVED).count()
    sheets = Sheet.objects.filter(station__round__competition=running)
    assert sheets.filter(submitted_at__isnull=False).exists()
    todo = sheets.filter(judge__user__username="judge1", submitted_at__isnull=True)
    assert todo.exists() and todo.exclude(marks={}).exists()  # to mark, one of them a draft
    assert StationScore.objects.filter(station__round__competition=running, station__rubric__isnull=False).exists()

    before = state()
    out = seed()
    assert "0 accounts, 0 competitions, 0 entries" in out
    assert state() == before


def test_registry_reset_deletes_the_competitions_then_seeding_again_works_and_clear_deletes_them(registry_demo, seed):
    seed()
    people = sorted(Entry.objects.values_list("competition__title", "person__id_number_hash", "status"))
    registry("--reset")
    assert not Competition.objects.exists() and not Entry.objects.exists() and not Certificate.objects.exists()
    seed()
    assert sorted(Entry.objects.values_list("competition__title", "person__id_number_hash", "status")) == people
    seed("--clear")
    assert not Competition.objects.exists() and not Sheet.objects.exists()


def test_the_exams_reset_deletes_the_competitions_first(registry_demo, seed):
    from lms.exams.demo_reset import reset_exams
    from lms.exams.models import Rubric, Sitting

    seed()
    deleted = reset_exams()
    assert deleted["competitions_station"] > 0 and deleted["competitions_entry"] > 0
    assert not Competition.objects.exists() and not Rubric.objects.exists() and not Sitting.objects.exists()


def test_without_the_registry_demo_it_says_so(db):
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("seed_demo_competitions", stdout=StringIO())


def test_refused_without_demo_data_allowed(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="DEMO_DATA_ALLOWED"):
        call_command("seed_demo_competitions", stdout=StringIO())


@pytest.mark.parametrize("present", [False, True])
def test_start_seeds_the_competitions_last_while_missing(db, monkeypatch, present):
    from cms.management.commands import start
    from lms.competitions import demo_reset

    calls = []
    monkeypatch.setattr(start, "call_command", lambda name, *a, **kw: calls.append(name))
    monkeypatch.setattr(demo_reset, "demo_exists", lambda: present)
    call_command("start", "--no-serve", stdout=StringIO())
    assert ("seed_demo_competitions" in calls) is not present
    if not present:
        assert calls[-2:] == ["seed_demo_subsidies", "seed_demo_competitions"]
