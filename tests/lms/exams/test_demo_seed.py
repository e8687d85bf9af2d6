"""``manage.py seed_demo_exams``: a completed sitting with graded, published attempts, its practical assessment and
published level results (skill certificates for the passed), an open quiz the demo caregiver can start from
``/exams/``; idempotent, reset with the registry demo, wired into ``manage.py start``."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from certificates.models import Certificate, Kind
from lms.exams import demo_answers, grading, responses
from lms.exams.demo_reset import demo_exists
from lms.exams.demo_sittings import COMPLETED_TITLE, OPEN_TITLE, PRACTICAL_TITLE
from lms.exams.models import (
    Attempt,
    AttemptQuestion,
    Candidate,
    Examiner,
    LevelResult,
    MarkSheet,
    PracticalCandidate,
    PracticalSession,
    QuestionBank,
    Sitting,
)
from lms.exams.selectors import practical as practical_selectors
from lms.exams.selectors import sittings as sitting_selectors
from lms.registry.models import Person

AS_OF = date(2026, 6, 30)


@pytest.fixture
def registry_demo(db):
    call_command("seed_demo", "--institutions", "24", "--staff", "300", "--as-of", AS_OF.isoformat(), stdout=StringIO())


@pytest.fixture
def seed(django_capture_on_commit_callbacks):
    """Run the command; the on-commit work (skill certificates of the published results) runs too."""

    def run(*args: str, as_of: date = AS_OF) -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("seed_demo_exams", "--as-of", as_of.isoformat(), *args, stdout=out)
        return out.getvalue()

    return run


def state() -> dict[str, list]:
    return {
        "sittings": sorted(Sitting.objects.values_list("title", "status", "opens_at", "closes_at")),
        "candidates": sorted(Candidate.objects.values_list("sitting__title", "person__id_number_hash", "status")),
        "attempts": sorted(Attempt.objects.values_list("candidate__person__id_number_hash", "status", "score")),
        "answers": AttemptQuestion.objects.count(),
        "sheets": sorted(MarkSheet.objects.values_list("examiner__user__username", "total")),
        "results": sorted(LevelResult.objects.values_list("person__id_number_hash", "passed", "published_at")),
        "certificates": sorted(Certificate.objects.values_list("achievement_key", "number")),
    }


# --- the whole demo -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_completed_sitting_results_and_skill_certificates_then_nothing_new(registry_demo, seed):
    out = seed()
    assert "Seeded exam demo" in out
    assert demo_exists(at=timezone.make_aware(datetime.combine(AS_OF, time(12))))
    # once the quiz has closed, the demo counts as missing: start runs the seeding again (a new quiz)
    assert not demo_exists(at=timezone.make_aware(datetime.combine(AS_OF + timedelta(days=32), time(12))))
    assert QuestionBank.objects.count() == 2
    sitting = Sitting.objects.get(title=COMPLETED_TITLE)
    assert sitting.status == Sitting.Status.PUBLISHED and sitting.published_at is not None
    assert sitting.closes_at.date() < AS_OF and sitting.blueprint.level == 5
    assert sitting.provider.body_code == "YNPJ"
    assert sitting_selectors.ratio_warnings(sitting) == []  # one room, two proctors, ten candidates
    candidates = list(sitting.candidates.select_related("person__user"))
    assert 8 <= len(candidates) <= 12
    assert all(
        c.status == Candidate.Status.APPROVED and c.person.user.username.startswith("examinee") for c in candidates
    )

    attempts = Attempt.objects.filter(candidate__sitting=sitting)
    assert attempts.count() == len(candidates)
    assert all(a.status == Attempt.Status.GRADED and a.score is not None for a in attempts)
    assert attempts.filter(passed=True).exists() and attempts.filter(passed=False).exists()
    assert attempts.filter(auto_submitted=True).count() == 1  # the one who let the time run out
    answers = AttemptQuestion.objects.filter(attempt__candidate__sitting=sitting)
    objective = answers.exclude(snapshot__type="short_answer").exclude(response__isnull=True)
    assert objective.filter(awarded=0).exists() and objective.filter(awarded__gt=0).exists()  # right and wrong
    assert answers.filter(response__isnull=True).exists()  # some left blank
    shorts = answers.filter(snapshot__type="short_answer").exclude(response__isnull=True)
    assert shorts.exists() and all(aq.marked_by.username == "marker" for aq in shorts)
    assert ModelLogEntry.objects.filter(action="exams.answer.mark").count() == shorts.count()
    for attempt in attempts:  # each score is the sum of its marks
        assert attempt.score == sum(attempt.questions.values_list("awarded", flat=True), Decimal("0"))

    session = PracticalSession.objects.get(title=PRACTICAL_TITLE)
    panel = list(session.examiners.select_related("user"))
    assert sorted(e.user.username for e in panel) == ["examiner1", "examiner2", "examiner3"]
    assert [e.user.username for e in panel if e.is_chief] == ["examiner1"]
    assert session.status == PracticalSession.Status.FINISHED
    assert MarkSheet.objects.filter(candidate__session=session, submitted_at__isnull=False).count() == 3 * len(
        candidates
    )
    assert PracticalCandidate.objects.filter(session=session, disagreement=True).exists()
    examiner_places = set().union(*(practical_selectors.examiner_institution_ids(e) for e in panel))
    for scheduled in session.candidates.all():  # recusal
        assert not examiner_places & practical_selectors.candidate_institution_ids(scheduled)

    results = LevelResult.objects.filter(practical__session=session)
    assert results.count() == len(candidates)
    assert not results.filter(published_at__isnull=True).exists()
    passed = list(results.filter(passed=True))
    assert passed and results.filter(passed=False).exists()
    certificates = Certificate.objects.filter(achievement_key__startswith="skill-result:")
    assert sorted(c.achievement_key for c in certificates) == sorted(f"skill-result:{r.pk}" for r in passed)
    for certificate in certificates:
        assert certificate.type.kind == Kind.SKILL and certificate.level == 5
        assert len(certificate.number) == 22 and certificate.number.startswith("SYNPJ")

    before = state()
    out = seed()
    assert "0 accounts, 0 sittings, 0 candidates, 0 attempts" in out
    assert state() == before

    # once the caregiver's quiz has closed, the next run schedules a new one (and nothing else)
    later = AS_OF + timedelta(days=40)
    assert "0 accounts, 1 sittings, 1 candidates, 0 attempts" in seed(as_of=later)
    quizzes = Sitting.objects.filter(title=OPEN_TITLE).order_by("opens_at")
    assert [timezone.localdate(q.opens_at) for q in quizzes] == [AS_OF, later]
    assert quizzes[1].candidates.get().person.user.username == "caregiver"


@pytest.mark.django_db
def test_the_caregiver_can_start_the_open_quiz_from_my_exams(registry_demo, seed, client):
    today = timezone.localdate()
    seed(as_of=today)
    sitting = Sitting.objects.get(title=OPEN_TITLE)
    assert sitting.status == Sitting.Status.SCHEDULED
    assert sitting.opens_at <= timezone.now() and (sitting.closes_at - timezone.now()).days >= 29
    caregiver = Person.objects.get(user__username="caregiver")
    row = next(r for r in sitting_selectors.my_candidacies(caregiver) if r["sitting"] == sitting)
    assert row["candidate"].status == Candidate.Status.APPROVED
    assert row["refusal"] is None and row["open_attempt"] is None

    client.force_login(caregiver.user)
    page = client.get(reverse("exams:my_exams"))
    assert page.status_code == 200 and b'data-testid="start"' in page.content
    started = client.post(reverse("exams:start", args=[sitting.pk]))
    attempt = Attempt.objects.get(candidate__sitting=sitting, candidate__person=caregiver)
    assert started.status_code == 302 and started.url == reverse("exams:attempt", args=[attempt.pk])
    assert attempt.questions.count() == 20  # the quiz: 5 true/false, 10 single, 5 multiple choice
    assert client.get(started.url).status_code == 200

    # the providers' staff see their own sittings only
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    assert list(sitting_selectors.sittings_for(users.get(username="provider"))) == [sitting]
    assert set(sitting_selectors.sittings_for(users.get(username="assessment")).values_list("title", flat=True)) == {
        COMPLETED_TITLE
    }
    assert sitting_selectors.can_mark(users.get(username="marker"), Sitting.objects.get(title=COMPLETED_TITLE))


@pytest.mark.django_db
def test_registry_reset_deletes_the_exams_then_seeding_again_works_and_clear_deletes_them(registry_demo, seed):
    seed()
    people = sorted(Candidate.objects.values_list("sitting__title", "person__id_number_hash"))
    examiners = sorted(Examiner.objects.values_list("user__username", "user__person__id_number_hash"))
    call_command(
        "seed_demo",
        "--reset",
        "--institutions",
        "24",
        "--staff",
        "300",
        "--as-of",
        AS_OF.isoformat(),
        stdout=StringIO(),
    )
    assert not Sitting.objects.exists() and not LevelResult.objects.exists() and not QuestionBank.objects.exists()
    assert not Certificate.objects.exists()
    seed()
    assert sorted(Candidate.objects.values_list("sitting__title", "person__id_number_hash")) == people
    assert sorted(Examiner.objects.values_list("user__username", "user__person__id_number_hash")) == examiners
    assert not LevelResult.objects.filter(published_at__isnull=True).exists()
    passed = LevelResult.objects.filter(passed=True).count()
    assert passed and Certificate.objects.filter(achievement_key__startswith="skill-result:").count() == passed

    out = seed("--clear")
    assert "Deleted exams data" in out and "exams_attemptquestion" in out
    assert not Sitting.objects.exists() and not PracticalSession.objects.exists() and not QuestionBank.objects.exists()
    assert not demo_exists()


def test_needs_the_registry_demo(db):
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("seed_demo_exams", stdout=StringIO())


def test_refused_without_demo_data_allowed(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="DEMO_DATA_ALLOWED"):
        call_command("seed_demo_exams", stdout=StringIO())


@pytest.mark.parametrize("present", [False, True])
def test_start_seeds_the_exams_while_missing(db, monkeypatch, present):
    from cms.management.commands import start
    from lms.exams import demo_reset

    calls = []
    monkeypatch.setattr(start, "call_command", lambda name, *a, **kw: calls.append(name))
    monkeypatch.setattr(demo_reset, "demo_exists", lambda: present)
    call_command("start", "--no-serve", stdout=StringIO())
    expected = ["migrate", "seed_demo", "seed_demo_learning", "seed_demo_certificates"]
    after = ["seed_demo_reports", "seed_demo_subsidies", "seed_demo_competitions"]
    assert calls == ([*expected, *after] if present else [*expected, "seed_demo_exams", *after])


# --- how the demo candidates answer and the marker marks (pure) ---------------------------------------------------

SNAPSHOTS = [
    {"type": "single", "options": [{"key": k, "text": k} for k in "ABCD"], "answer": ["C"]},
    {"type": "multiple", "options": [{"key": k, "text": k} for k in "ABCDE"], "answer": ["A", "D"], "rule": "partial"},
    {"type": "true_false", "options": [], "answer": [False]},
    {"type": "fill_blank", "options": [], "answer": [["六", "6"], ["母乳"]]},
    {
        "type": "short_answer",
        "options": [],
        "answer": [],
        "reference_answer": "要点：\n1. 洗手；\n2. 消毒（1分）；\n3. 记录。",
    },
]


def _shape(snapshot: dict) -> tuple:
    blanks = len(snapshot["answer"]) if snapshot["type"] == "fill_blank" else 0
    return (snapshot["type"], tuple(o["key"] for o in snapshot["options"]), blanks)


@pytest.mark.parametrize("snapshot", SNAPSHOTS, ids=lambda s: s["type"])
def test_demo_answers_are_valid_responses_right_for_the_able_and_mixed_for_the_weak(snapshot):
    rng = random.Random(7)
    able = [demo_answers.response_for(snapshot, 1.0, rng) for _ in range(50)]
    weak = [demo_answers.response_for(snapshot, 0.4, rng) for _ in range(300)]
    for response in able + weak:
        assert responses.clean(_shape(snapshot), response) == response  # what the autosave would store
    if snapshot["type"] == "short_answer":
        marks = {
            who: [demo_answers.short_answer_points(r, snapshot["reference_answer"], Decimal(5)) for r in answers]
            for who, answers in (("able", able), ("weak", weak))
        }
        assert min(marks["able"]) >= Decimal("2.5") and sum(marks["able"]) / 50 > sum(marks["weak"]) / 300 + 1
        assert {m % Decimal("0.5") for m in marks["able"] + marks["weak"]} == {0}  # to the half point
        return
    full = Decimal("2.00")
    assert all(grading.score_snapshot(snapshot, r, 2) == full for r in able)
    weak_scores = {grading.score_snapshot(snapshot, r, 2) for r in weak}
    assert full in weak_scores and Decimal("0.00") in weak_scores
    assert None in weak  # the weak leave some blank


def test_key_points_and_the_markers_points():
    reference = "答出3点即可，每点1分：\n1. 甲；\n2. 乙（1分）；\n3. 丙；\n4. 丁。"
    assert demo_answers.key_points(reference) == ["甲", "乙", "丙", "丁"]
    assert demo_answers.key_points("先洗手；再消毒。") == ["先洗手", "再消毒"]
    assert demo_answers.short_answer_points(["甲；乙；丙。"], reference, Decimal(5)) == Decimal(5)
    assert demo_answers.short_answer_points(["甲。"], reference, Decimal(5)) == Decimal("1.5")
    assert demo_answers.short_answer_points(None, reference, Decimal(5)) == 0
