"""``manage.py seed_demo_learning``: every training kind published with real content, varied progress, idempotent."""

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from lms.learning.choices import TrainingKind
from lms.learning.models import (
    AnnualHoursRequirement,
    Attendance,
    ClassSession,
    CourseCompletion,
    CoursePage,
    Enrollment,
    HoursEntry,
    LessonPage,
    LessonProgress,
    ProviderCatalogue,
)
from lms.registry.models import Person, TrainingProvider

AS_OF = date(2026, 6, 30)
pytestmark = pytest.mark.django_db


@pytest.fixture
def registry_demo():
    call_command("seed_demo", "--institutions", "24", "--staff", "400", "--as-of", AS_OF.isoformat(), stdout=StringIO())


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo_learning", "--no-ffmpeg", "--as-of", AS_OF.isoformat(), *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "courses": list(CoursePage.objects.order_by("path").values_list("slug", "title", "kind", "live")),
        "enrollments": sorted(Enrollment.objects.values_list("person__id_number_hash", "course__slug", "status")),
        "hours": sorted(
            (h, str(x), str(d), s)
            for h, x, d, s in HoursEntry.objects.values_list("person__id_number_hash", "hours", "occurred_on", "source")
        ),
    }


def test_every_kind_is_published_with_lessons_and_real_text(registry_demo):
    out = seed()
    assert "Seeded learning demo" in out
    courses = CoursePage.objects.live()
    assert {c.kind for c in courses} == set(TrainingKind.values)
    assert ProviderCatalogue.objects.count() == TrainingProvider.objects.count()
    for course in courses:
        lessons = LessonPage.objects.live().descendant_of(course)
        assert 2 <= lessons.count() <= 4, course.title
    bodies = [lesson.body for lesson in LessonPage.objects.all()]
    assert any(b.block_type == "video" for body in bodies for b in body)
    assert any(b.block_type == "gate" for body in bodies for b in body)
    assert any(b.block_type == "practice_quiz" for body in bodies for b in body)
    text = " ".join(str(b.value) for body in bodies for b in body if b.block_type == "text")
    assert not re.search(r"lorem|ipsum|TODO|xxx", text, re.IGNORECASE)
    assert "回应性照护" in text and "窒息" in text and len(text) > 5000
    for lesson in LessonPage.objects.all():
        for media in lesson.videos:
            assert media.duration > 0 and media.file.size < 200_000


def test_caregiver_has_one_completed_one_half_way(registry_demo):
    seed()
    person = Person.objects.get(user__username="caregiver")
    enrollments = {e.course.slug: e for e in Enrollment.objects.filter(person=person)}
    assert len(enrollments) == 3
    done = enrollments["pre-job-care-safety"]
    assert done.status == Enrollment.Status.COMPLETED
    assert CourseCompletion.objects.get(enrollment=done).hours == done.course.required_hours
    half = enrollments["in-service-2026"]
    assert half.status == Enrollment.Status.ACTIVE
    progress = LessonProgress.objects.filter(enrollment=half)
    assert progress.filter(credited_at__isnull=False).count() == 1
    assert progress.filter(credited_at__isnull=True).count() == 1
    assert not LessonProgress.objects.filter(enrollment=enrollments["skill-upgrade-observation"]).exists()
    assert HoursEntry.objects.filter(person=person).exists()


def test_staff_progress_sessions_ledger_and_requirements(registry_demo):
    seed()
    statuses = set(Enrollment.objects.values_list("status", flat=True))
    assert {Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED} <= statuses
    started = set(LessonProgress.objects.values_list("enrollment_id", flat=True))
    assert Enrollment.objects.exclude(pk__in=started).exists()  # some have not started
    assert LessonProgress.objects.filter(credited_at__isnull=True).exists()  # some are part-way
    years = set(HoursEntry.objects.values_list("year", flat=True))
    assert {2024, 2025, 2026} <= years
    sessions = ClassSession.objects.all()
    assert sessions.filter(starts_at__date__lt=AS_OF).exists() and sessions.filter(starts_at__date__gt=AS_OF).exists()
    assert all(s.instructor.username == "provider" for s in sessions)
    assert Attendance.objects.filter(credited_at__isnull=False).exists()
    director = CoursePage.objects.get(slug="director-duties")
    assert CourseCompletion.objects.filter(course=director).exists()  # online + classroom hours
    assert AnnualHoursRequirement.objects.exists()
    # every credited lesson has exactly one ledger entry, and a completion's hours are in the ledger
    credited = LessonProgress.objects.filter(credited_at__isnull=False).count()
    assert HoursEntry.objects.filter(key__startswith="lesson:").count() == credited


def test_idempotent_and_deterministic(registry_demo):
    seed()
    first = snapshot()
    assert "nothing done" in seed()
    assert snapshot() == first
    seed("--reset")
    assert snapshot() == first


def test_needs_the_registry_demo():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="seed_demo"):
        seed()


def test_registry_reset_clears_learning_first(registry_demo):
    """``seed_demo --reset`` works while learning records point at the people it deletes."""
    seed()
    assert HoursEntry.objects.exists()
    call_command("seed_demo", "--reset", "--institutions", "24", "--staff", "400", "--as-of", AS_OF.isoformat(),
                 stdout=StringIO())  # fmt: skip
    assert not (Enrollment.objects.exists() or HoursEntry.objects.exists() or CoursePage.objects.exists())
    assert Person.objects.exists()
    seed()  # and the learning demo can be seeded again on the new people
    assert CoursePage.objects.filter(live=True).exists() and HoursEntry.objects.exists()
