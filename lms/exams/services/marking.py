"""Marking short answers by hand, and publishing a sitting's results.

Markers are the staff of the sitting's provider (``selectors.sittings.can_mark``). Each mark is audited; an
attempt is graded (score, passed) as soon as its last short answer has its points, and marks may be corrected
until the results are published. Publishing needs every attempt submitted and marked; candidates see their
scores only after it, and the correct answers only as the blueprint's review policy allows.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.registry import audit

from ..choices import QuestionType
from ..models import Attempt, AttemptQuestion, Sitting
from ..selectors import sittings as selectors
from .attempts import CENT, attempt_finish_if_marked


@transaction.atomic
def answer_mark(*, attempt_question: AttemptQuestion, points, actor, comment: str = "") -> AttemptQuestion:
    """Give a short answer its points (0 to the question's points, two decimals); audited."""
    attempt = (
        Attempt.objects.select_for_update()
        .select_related("candidate__sitting__blueprint")
        .get(pk=attempt_question.attempt_id)
    )
    sitting = attempt.candidate.sitting
    if not selectors.can_mark(actor, sitting):
        raise PermissionDenied
    aq = AttemptQuestion.objects.select_for_update().get(pk=attempt_question.pk)
    if aq.snapshot.get("type") != QuestionType.SHORT_ANSWER:
        raise ValidationError(_("Only short answers are marked by hand."), code="not_short_answer")
    if attempt.status == Attempt.Status.IN_PROGRESS:
        raise ValidationError(_("The candidate has not submitted yet."), code="not_submitted")
    if sitting.published_at is not None:
        raise ValidationError(_("The results are published: marks can no longer change."), code="published")
    try:
        value = Decimal(str(points)).quantize(CENT)
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"points": [_("Enter a number of points.")]}) from exc
    if not Decimal("0") <= value <= aq.points:
        raise ValidationError({"points": [_("Points must be between 0 and %(max)s.") % {"max": aq.points}]})
    before = aq.awarded
    aq.awarded, aq.marked_by, aq.marked_at = value, actor, timezone.now()
    aq.marker_comment = (comment or "").strip()[:300]
    aq.save(update_fields=["awarded", "marked_by", "marked_at", "marker_comment"])
    audit.record(aq, "exams.answer.mark", actor=actor, attempt=attempt.pk, position=aq.position,
                 points=str(value), before=None if before is None else str(before))  # fmt: skip
    attempt_finish_if_marked(attempt)
    return aq


def publish_refusal(sitting: Sitting, *, now: datetime | None = None) -> str | None:
    """Why the sitting's results cannot be published now (user-facing), or None."""
    now = now or timezone.now()
    if sitting.status == Sitting.Status.DRAFT:
        return _("The sitting has not taken place.")
    if sitting.status == Sitting.Status.SCHEDULED and now < sitting.closes_at:
        return _("The sitting is still open: close it first.")
    attempts = Attempt.objects.filter(candidate__sitting=sitting)
    if attempts.filter(status=Attempt.Status.IN_PROGRESS).exists():
        return _("Some attempts are still in progress: close the sitting first.")
    marking = attempts.filter(status=Attempt.Status.MARKING).count()
    if marking:
        return _("%(n)d attempt(s) still await marking.") % {"n": marking}
    return None


@transaction.atomic
def sitting_publish_results(*, sitting: Sitting, actor, now: datetime | None = None) -> Sitting:
    """Publish the results (audited): only once nothing is in progress or awaits marking. Idempotent."""
    now = now or timezone.now()
    sitting = Sitting.objects.select_for_update().get(pk=sitting.pk)
    if not selectors.can_manage_sitting(actor, sitting):
        raise PermissionDenied
    if sitting.published_at is not None:
        return sitting
    refusal = publish_refusal(sitting, now=now)
    if refusal:
        raise ValidationError(refusal, code="not_publishable")
    sitting.published_at, sitting.status = now, Sitting.Status.PUBLISHED
    sitting.save(update_fields=["published_at", "status"])
    graded = Attempt.objects.filter(candidate__sitting=sitting, status=Attempt.Status.GRADED)
    audit.record(sitting, "exams.sitting.publish", actor=actor, attempts=graded.count(),
                 passed=graded.filter(passed=True).count())  # fmt: skip
    return sitting
