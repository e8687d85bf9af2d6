"""Reads for proctors and markers of a theory sitting: who is in, answered counts and time left (the live
view), and the short answers awaiting a mark."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ..choices import QuestionType
from ..models import Attempt, AttemptQuestion, Candidate, Sitting
from .sittings import can_manage_sitting


def live_rows(sitting: Sitting, *, now: datetime | None = None, user=None) -> list[dict]:
    """One row per approved candidate: room, state, answered count and time left of the latest attempt.

    Proctors who do not manage the sitting see only their own rooms' candidates. Three queries whatever the size.
    """
    now = now or timezone.now()
    candidates = sitting.candidates.filter(status=Candidate.Status.APPROVED).select_related("person", "room")
    if user is not None and not can_manage_sitting(user, sitting):
        candidates = candidates.filter(room__proctors=user)
    latest: dict[int, Attempt] = {}
    for attempt in Attempt.objects.filter(candidate__sitting=sitting).order_by("number"):
        latest[attempt.candidate_id] = attempt
    live_ids = [a.pk for a in latest.values() if a.status == Attempt.Status.IN_PROGRESS]
    counts = (
        AttemptQuestion.objects.filter(attempt_id__in=live_ids)
        .values("attempt_id")
        .annotate(total=Count("pk"), answered=Count("pk", filter=Q(response__isnull=False)))
    )
    answered = {c["attempt_id"]: c["answered"] for c in counts}
    totals = {c["attempt_id"]: c["total"] for c in counts}
    rows = []
    for candidate in candidates.order_by("room__name", "person__name", "pk"):
        attempt = latest.get(candidate.pk)
        row = {"candidate": candidate, "attempt": attempt, "state": "absent", "answered": None, "total": None,
               "seconds_left": None}  # fmt: skip
        if attempt is not None and attempt.status == Attempt.Status.IN_PROGRESS:
            left = (attempt.deadline_at - now).total_seconds()
            row.update(
                state="in" if left > -sitting.grace_seconds else "overdue",
                answered=answered.get(attempt.pk, 0),
                total=totals.get(attempt.pk, 0),
                seconds_left=max(0, int(left)),
            )
        elif attempt is not None:
            row.update(state="submitted", answered=attempt.answered_count)
        rows.append(row)
    return rows


def marking_queue(sitting: Sitting) -> QuerySet:
    """Short answers of submitted attempts awaiting a mark, oldest submission first (no candidate names)."""
    return (
        AttemptQuestion.objects.filter(
            attempt__candidate__sitting=sitting,
            attempt__status=Attempt.Status.MARKING,
            snapshot__type=QuestionType.SHORT_ANSWER,
            awarded__isnull=True,
        )
        .select_related("attempt")
        .order_by("attempt__submitted_at", "attempt_id", "position")
    )


def awaiting_marking_count(sitting: Sitting) -> int:
    return Attempt.objects.filter(candidate__sitting=sitting, status=Attempt.Status.MARKING).count()
