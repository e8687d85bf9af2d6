"""The theory round: contestants sit the exam engine's sitting of the station, and the station takes their scores.

* ``theory_enrol`` registers the round's contestants as approved candidates of the sitting;
* ``theory_import`` takes each contestant's best graded attempt as the station score (time = submitted − started).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lms.exams import scoring
from lms.exams.models import Attempt, Candidate
from lms.exams.selectors.sittings import can_manage_sitting
from lms.exams.services import sittings as exam_sittings
from lms.registry import audit

from ..models import Station, StationScore
from ..selectors import round_entries
from .guards import check_organizer, refuse_unless_running
from .judging import locked_station


def _theory_station(station: Station, actor) -> Station:
    station = locked_station(station)
    competition = station.round.competition
    check_organizer(actor, competition)
    refuse_unless_running(competition)
    if not station.sitting_id:
        raise ValidationError(_("This station has no exam sitting."), code="no_sitting")
    return station


@transaction.atomic
def theory_import(*, station: Station, actor) -> int:
    """Take the theory scores from the sitting: per contestant of the round, the best graded attempt of the
    contestant's person (time = submitted − started). Idempotent (scores are updated); returns how many."""
    station = _theory_station(station, actor)
    entries = {e.person_id: e for e in round_entries(station.round, station.track_id)}
    attempts = (
        Attempt.objects.filter(
            candidate__sitting_id=station.sitting_id,
            candidate__person_id__in=list(entries),
            status=Attempt.Status.GRADED,
            score__isnull=False,
        )
        .select_related("candidate")
        .order_by("-score", "submitted_at", "pk")
    )
    best: dict[int, Attempt] = {}
    for attempt in attempts:
        best.setdefault(attempt.candidate.person_id, attempt)
    for person_id, attempt in best.items():
        seconds = None
        if attempt.submitted_at and attempt.started_at:
            seconds = max(int((attempt.submitted_at - attempt.started_at).total_seconds()), 0)
        StationScore.objects.update_or_create(
            station=station,
            entry=entries[person_id],
            defaults={
                "score": scoring.quantize(attempt.score),
                "judges": 0,
                "time_seconds": seconds,
                "outliers": 0,
            },
        )
    audit.record(station, "competitions.station.theory_import", actor=actor, scored=len(best), entries=len(entries))
    return len(best)


@transaction.atomic
def theory_enrol(*, station: Station, actor) -> int:
    """Register the round's contestants as approved candidates of the station's sitting (those already there
    are left alone, pending ones approved); returns how many were enrolled or approved."""
    station = _theory_station(station, actor)
    sitting = station.sitting
    manages_sitting = actor is not None and can_manage_sitting(actor, sitting)
    existing = {c.person_id: c for c in Candidate.objects.filter(sitting=sitting)}
    enrolled = 0
    for entry in round_entries(station.round, station.track_id).select_related("person").order_by("pk"):
        candidate = existing.get(entry.person_id)
        if candidate is not None and candidate.status != Candidate.Status.PENDING:
            continue
        if candidate is None:
            candidate = exam_sittings.candidate_register(sitting=sitting, person=entry.person, actor=actor)
        if candidate.status == Candidate.Status.PENDING:
            exam_sittings.candidate_decide(candidate=candidate, approve=True, actor=actor if manages_sitting else None)
        enrolled += 1
    if enrolled:
        audit.record(station, "competitions.station.theory_enrol", actor=actor, enrolled=enrolled)
    return enrolled
