"""Theory exam sittings: create and schedule, close, candidates (registration, approval, extra time), rooms.

A sitting is written in DRAFT, checked (window, course for "completed the course", the blueprint's arithmetic and
whether its banks can satisfy it) and SCHEDULED; candidates then start attempts inside the window. Closing ends
the window at once and submits the attempts still open. Every write is audited.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.registry import audit
from lms.registry.models import Person

from .. import draw
from ..models import Attempt, Candidate, ExamRoom, Sitting
from ..selectors import sittings as selectors
from .attempts import _submit_locked

MAX_EXTRA_MINUTES = 240


# --- the sitting ---------------------------------------------------------------------------------------------


def blueprint_refusal(blueprint) -> str | None:
    """Why the blueprint cannot be used for a sitting now (its arithmetic, or a bank that falls short), or None."""
    from ..selectors.bank import draw_inputs

    sections, pool = draw_inputs(blueprint)
    if draw.blueprint_problems(sections, total_points=blueprint.total_points, pass_mark=blueprint.pass_mark):
        return _("The blueprint “%(name)s” is incomplete: its sections must add up to its total points.") % {
            "name": blueprint
        }
    shortfalls = draw.check(sections, pool, level=blueprint.level)
    if shortfalls:
        detail = "; ".join(
            _("section %(n)d needs %(needed)d questions, %(available)d available")
            % {"n": s.section + 1, "needed": s.needed, "available": s.available}
            for s in shortfalls
        )
        return _("The question banks cannot satisfy the blueprint “%(name)s”: %(detail)s.") % {
            "name": blueprint,
            "detail": detail,
        }
    return None


def sitting_problems(sitting: Sitting) -> dict[str, list[str]]:
    """Field errors of a sitting's settings (empty when it may be saved)."""
    errors: dict[str, list[str]] = {}
    if sitting.opens_at and sitting.closes_at and sitting.closes_at <= sitting.opens_at:
        errors.setdefault("closes_at", []).append(_("The exam must close after it opens."))
    if sitting.eligibility == Sitting.Eligibility.COURSE_COMPLETED and not sitting.course_id:
        errors.setdefault("course", []).append(_("Choose the course whose completion makes a candidate eligible."))
    if sitting.attempts_allowed < 1:
        errors.setdefault("attempts_allowed", []).append(_("At least one attempt must be allowed."))
    if sitting.blueprint_id and sitting.pk:
        before = Sitting.objects.filter(pk=sitting.pk).values_list("blueprint_id", flat=True).first()
        if before != sitting.blueprint_id and Attempt.objects.filter(candidate__sitting=sitting).exists():
            errors.setdefault("blueprint", []).append(_("Candidates have started: the blueprint cannot change."))
    return errors


@transaction.atomic
def sitting_save(*, sitting: Sitting, actor) -> Sitting:
    """Create or update a sitting (the admin's form calls this); scheduled sittings are re-checked."""
    errors = sitting_problems(sitting)
    if errors:
        raise ValidationError(errors)
    if sitting.status == Sitting.Status.SCHEDULED:
        refusal = blueprint_refusal(sitting.blueprint)
        if refusal:
            raise ValidationError({"blueprint": [refusal]})
    created = sitting.pk is None
    if not sitting.seed:
        sitting.seed = secrets.token_hex(16)
    if created and actor is not None and actor.is_authenticated:
        sitting.created_by = actor
    sitting.save()
    audit.record(sitting, "exams.sitting.create" if created else "exams.sitting.update", actor=actor)
    return sitting


@transaction.atomic
def sitting_schedule(*, sitting: Sitting, actor, now: datetime | None = None) -> Sitting:
    """DRAFT → SCHEDULED, once its settings hold, its window has not ended and its blueprint can be drawn."""
    sitting = Sitting.objects.select_for_update().select_related("blueprint").get(pk=sitting.pk)
    if sitting.status == Sitting.Status.SCHEDULED:
        return sitting
    if sitting.status != Sitting.Status.DRAFT:
        raise ValidationError(_("Only a draft sitting can be scheduled."), code="not_draft")
    errors = sitting_problems(sitting)
    if errors:
        raise ValidationError([m for messages in errors.values() for m in messages])
    if sitting.closes_at <= (now or timezone.now()):
        raise ValidationError(_("The exam's window has already ended."), code="window_past")
    refusal = blueprint_refusal(sitting.blueprint)
    if refusal:
        raise ValidationError(refusal, code="blueprint_unsatisfiable")
    sitting.status = Sitting.Status.SCHEDULED
    sitting.save(update_fields=["status"])
    audit.record(sitting, "exams.sitting.schedule", actor=actor)
    return sitting


@transaction.atomic
def sitting_close(*, sitting: Sitting, actor, now: datetime | None = None) -> Sitting:
    """End the sitting's window now (if still open) and submit every attempt still in progress."""
    now = now or timezone.now()
    sitting = Sitting.objects.select_for_update().get(pk=sitting.pk)
    if sitting.status in (Sitting.Status.CLOSED, Sitting.Status.PUBLISHED):
        return sitting
    if sitting.status != Sitting.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled sitting can be closed."), code="not_scheduled")
    sitting.status = Sitting.Status.CLOSED
    sitting.closes_at = min(sitting.closes_at, now)
    sitting.save(update_fields=["status", "closes_at"])
    submitted = 0
    open_attempts = Attempt.objects.select_for_update().filter(
        candidate__sitting=sitting, status=Attempt.Status.IN_PROGRESS
    )
    for attempt in open_attempts.select_related("candidate__sitting__blueprint"):
        submitted += _submit_locked(attempt, actor=actor, now=now, auto=True)
    audit.record(sitting, "exams.sitting.close", actor=actor, submitted=submitted)
    return sitting


# --- candidates ----------------------------------------------------------------------------------------------


def _manage(actor, sitting: Sitting) -> None:
    if actor is not None and not selectors.can_manage_sitting(actor, sitting):
        raise PermissionDenied


@transaction.atomic
def candidate_register(*, sitting: Sitting, person: Person, actor=None) -> Candidate:
    """Register a person for a sitting (idempotent). Registrations by the sitting's staff are approved at once;
    a person registering themselves waits for approval, unless the sitting is open to completers of a course
    they completed."""
    if sitting.status not in (Sitting.Status.DRAFT, Sitting.Status.SCHEDULED):
        raise ValidationError(_("Registration for this exam has closed."), code="registration_closed")
    by_staff = actor is not None and selectors.can_manage_sitting(actor, sitting)
    if not by_staff and sitting.status != Sitting.Status.SCHEDULED:
        raise ValidationError(_("Registration for this exam has not opened."), code="registration_closed")
    existing = Candidate.objects.filter(sitting=sitting, person=person).first()
    if existing:
        return existing
    status = Candidate.Status.PENDING
    if by_staff or (
        sitting.eligibility == Sitting.Eligibility.COURSE_COMPLETED
        and selectors.has_completed_course(person.pk, sitting.course_id)
    ):
        status = Candidate.Status.APPROVED
    try:
        with transaction.atomic():
            candidate = Candidate.objects.create(sitting=sitting, person=person, status=status)
    except IntegrityError:  # registered at the same moment elsewhere
        return Candidate.objects.get(sitting=sitting, person=person)
    audit.record(candidate, "exams.candidate.register", actor=actor, status=status)
    return candidate


@transaction.atomic
def candidates_add_completers(*, sitting: Sitting, actor) -> int:
    """Add, approved, everyone who completed the sitting's course and is not a candidate yet; returns how many."""
    _manage(actor, sitting)
    if sitting.eligibility != Sitting.Eligibility.COURSE_COMPLETED or not sitting.course_id:
        raise ValidationError(_("This sitting is not open to course completers."), code="not_course_sitting")
    people = (
        Person.objects.filter(course_completions__course_id=sitting.course_id)
        .exclude(exam_candidacies__sitting=sitting)
        .distinct()
    )
    added = 0
    for person in people:
        candidate_register(sitting=sitting, person=person, actor=actor)
        added += 1
    return added


@transaction.atomic
def candidate_decide(*, candidate: Candidate, approve: bool, actor) -> Candidate:
    """Approve or refuse a registration (audited). A candidate who has started cannot be refused."""
    candidate = Candidate.objects.select_for_update().select_related("sitting").get(pk=candidate.pk)
    _manage(actor, candidate.sitting)
    status = Candidate.Status.APPROVED if approve else Candidate.Status.REFUSED
    if candidate.status == status:
        return candidate
    if not approve and candidate.attempts.exists():
        raise ValidationError(_("This candidate has already started the exam."), code="started")
    candidate.status = status
    candidate.save(update_fields=["status"])
    audit.record(candidate, "exams.candidate.approve" if approve else "exams.candidate.refuse", actor=actor)
    return candidate


@transaction.atomic
def candidate_extend(*, candidate: Candidate, minutes: int, reason: str, actor) -> Candidate:
    """Give the candidate extra time (total extra minutes, with a reason; audited).

    An attempt in progress gets its deadline moved at once (never past the sitting's close).
    """
    candidate = Candidate.objects.select_for_update().select_related("sitting__blueprint").get(pk=candidate.pk)
    _manage(actor, candidate.sitting)
    reason = (reason or "").strip()
    if not 0 <= minutes <= MAX_EXTRA_MINUTES:
        raise ValidationError(
            {"minutes": [_("Extra time must be between 0 and %(max)d minutes.") % {"max": MAX_EXTRA_MINUTES}]}
        )
    if minutes and not reason:
        raise ValidationError({"reason": [_("Give the reason for the extra time.")]})
    before = candidate.extra_minutes
    candidate.extra_minutes, candidate.extension_reason = minutes, reason
    candidate.save(update_fields=["extra_minutes", "extension_reason"])
    sitting = candidate.sitting
    for attempt in candidate.attempts.select_for_update().filter(status=Attempt.Status.IN_PROGRESS):
        total = timedelta(minutes=selectors.duration_minutes(sitting) + minutes)
        attempt.deadline_at = min(attempt.started_at + total, sitting.closes_at)
        attempt.save(update_fields=["deadline_at"])
    audit.record(candidate, "exams.candidate.extend", actor=actor, before=before, minutes=minutes, reason=reason)
    return candidate


# --- rooms and proctors --------------------------------------------------------------------------------------


@transaction.atomic
def room_save(*, sitting: Sitting, name: str, proctors, actor, room: ExamRoom | None = None) -> ExamRoom:
    """Create or rename a room and set its proctors (audited). Ratio warnings: ``selectors.ratio_warnings``."""
    _manage(actor, sitting)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Give the room a name.")]})
    if ExamRoom.objects.filter(sitting=sitting, name=name).exclude(pk=getattr(room, "pk", None)).exists():
        raise ValidationError({"name": [_("This sitting already has a room of that name.")]})
    room = room or ExamRoom(sitting=sitting)
    room.name = name
    room.save()
    room.proctors.set(proctors)
    audit.record(room, "exams.room.save", actor=actor, proctors=[p.pk for p in proctors])
    return room


@transaction.atomic
def candidate_place(*, candidate: Candidate, room: ExamRoom | None, actor) -> Candidate:
    _manage(actor, candidate.sitting)
    if room is not None and room.sitting_id != candidate.sitting_id:
        raise ValidationError(_("The room belongs to another sitting."), code="wrong_room")
    candidate.room = room
    candidate.save(update_fields=["room"])
    audit.record(candidate, "exams.candidate.place", actor=actor, room=room.name if room else None)
    return candidate
