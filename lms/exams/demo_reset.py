"""Finding and removing the exam demo (``seed_demo_exams``, ``manage.py start`` and ``seed_demo --reset``)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .demo_sittings import COMPLETED_TITLE, open_sitting_exists
from .events import exams_demo_resetting
from .models import (
    Attempt,
    AttemptQuestion,
    Blueprint,
    BlueprintSection,
    Candidate,
    Examiner,
    ExamRoom,
    LevelResult,
    MarkChange,
    MarkSheet,
    PracticalCandidate,
    PracticalSession,
    Question,
    QuestionBank,
    Rubric,
    RubricCriterion,
    Sitting,
)

# children before parents: results, marks, attempts and sittings PROTECT what they point at
ORDER = (
    LevelResult,
    MarkChange,
    MarkSheet,
    PracticalCandidate,
    Examiner,
    PracticalSession,
    AttemptQuestion,
    Attempt,
    Candidate,
    ExamRoom,
    Sitting,
    BlueprintSection,
    Blueprint,
    Question,
    QuestionBank,
    RubricCriterion,
    Rubric,
)


def demo_exists(*, at: datetime | None = None) -> bool:
    """The completed demo sitting is there and the caregiver's quiz is open at ``at`` (now)."""
    return Sitting.objects.filter(title=COMPLETED_TITLE).exists() and open_sitting_exists(at or timezone.now())


@transaction.atomic
def reset_exams() -> dict[str, int]:
    """Delete every exams row (knowledge areas stay: data of a migration); returns ``{table: rows deleted}``.

    The skill certificates of level results belong to the certificates app: ``seed_demo --reset`` deletes them too
    (its own ``demo_resetting`` receiver); otherwise run ``seed_demo_certificates --clear`` first, or the re-seeded
    results get a second certificate each."""
    deleted = {}
    for _receiver, counts in exams_demo_resetting.send(sender=Sitting):
        deleted.update(counts or {})
    for model in ORDER:
        _total, by_model = model.objects.all().delete()
        deleted[f"exams_{model._meta.model_name}"] = by_model.get(model._meta.label, 0)
    return deleted
