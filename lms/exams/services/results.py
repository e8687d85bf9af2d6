"""Skill level results (职业技能等级认定结果): decide from a graded theory attempt and a scored practical, publish.

A result passes when the theory score reaches the blueprint's pass mark, the practical score reaches the
rubric's pass mark and, at the levels that need it (setting ``EXAMS_REVIEW_LEVELS``, by default 二级 and 一级),
the comprehensive review (综合评审) score reaches ``EXAMS_REVIEW_PASS_MARK`` (60). Candidates see their results
once published; publishing sends ``events.level_result_passed`` after commit for each newly published pass
(the certificates app issues the 职业技能等级证书). Retakes: ``selectors.practical.retake_plan``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.registry import audit
from lms.registry.masking import mask_name
from lms.registry.models import TrainingProvider

from .. import scoring
from ..events import level_result_passed
from ..models import Attempt, LevelResult, PracticalCandidate
from ..selectors import practical as sel


def _check_pair(attempt: Attempt, practical: PracticalCandidate) -> None:
    blueprint = attempt.candidate.sitting.blueprint
    rubric = practical.session.rubric
    if attempt.candidate.person_id != practical.person_id:
        raise ValidationError(_("The theory attempt and the practical assessment are not the same person's."))
    if attempt.status != Attempt.Status.GRADED or attempt.score is None:
        raise ValidationError(_("The theory attempt is not graded yet."))
    if practical.score is None:
        raise ValidationError(_("The practical assessment has no final score yet (marks are missing)."))
    if blueprint.occupation != rubric.occupation or blueprint.level not in (None, rubric.level):
        raise ValidationError(_("The theory exam and the practical assessment are for different skill levels."))
    provider = practical.session.provider
    if provider.kind != TrainingProvider.Kind.ASSESSMENT or not provider.body_code:
        raise ValidationError(
            _("Only a skill assessment body (社会培训评价组织) with a body code can decide skill level results.")
        )


@transaction.atomic
def level_result_decide(
    *, attempt: Attempt, practical: PracticalCandidate, review_score: Decimal | None = None, actor
) -> LevelResult:
    """Decide (or, while unpublished, decide again) the level result of a theory attempt and a practical.

    At levels that need the comprehensive review a review score (0..100) is required unless the theory or the
    practical already failed. Refused when the attempt or the practical belongs to another result, and once
    the result is published."""
    attempt = Attempt.objects.select_related("candidate__sitting__blueprint").get(pk=attempt.pk)
    practical = PracticalCandidate.objects.select_related("person", "session__rubric", "session__provider").get(
        pk=practical.pk
    )
    _check_pair(attempt, practical)
    rubric = practical.session.rubric
    existing = (
        LevelResult.objects.select_for_update().filter(attempt=attempt).first()
        or LevelResult.objects.select_for_update().filter(practical=practical).first()
    )
    if existing is not None and (existing.attempt_id != attempt.pk or existing.practical_id != practical.pk):
        raise ValidationError(_("This theory attempt or practical assessment already counts for another result."))
    if existing is not None and existing.published_at is not None:
        raise ValidationError(_("This result is published and can no longer change."))
    theory_ok = attempt.score >= attempt.candidate.sitting.blueprint.pass_mark
    practical_ok = practical.score >= rubric.pass_mark
    needs_review = rubric.level in sel.review_levels()
    if review_score is not None:
        review_score = scoring.to_points(review_score)
        if review_score is None or not Decimal("0") <= review_score <= scoring.FULL_SCORE:
            raise ValidationError({"review_score": _("Give a review score from 0 to 100.")})
    if needs_review and review_score is None and theory_ok and practical_ok:
        raise ValidationError(
            {"review_score": _("This level needs the comprehensive review (综合评审) score to be decided.")}
        )
    passed = theory_ok and practical_ok and (not needs_review or review_score >= sel.review_pass_mark())
    result = existing or LevelResult(attempt=attempt, practical=practical)
    result.person_id = practical.person_id
    result.occupation = rubric.occupation
    result.level = rubric.level
    result.provider = practical.session.provider
    result.theory_score = attempt.score
    result.practical_score = practical.score
    result.review_score = review_score if needs_review else None
    result.passed = passed
    result.save()
    audit.record(
        result,
        "exams.result.decide",
        actor=actor,
        theory=str(result.theory_score),
        practical=str(result.practical_score),
        review=None if result.review_score is None else str(result.review_score),
        passed=passed,
    )
    return result


def _send_passed(result_id: int) -> None:
    level_result_passed.send(sender=LevelResult, result_id=result_id)


@transaction.atomic
def level_results_publish(*, results: Iterable[LevelResult], actor) -> list[LevelResult]:
    """Publish the given results that are not published yet (candidates see their scores from now on).

    Returns the newly published ones. After commit, sends ``level_result_passed`` once for each newly published
    pass; publishing again sends nothing."""
    ids = [r.pk for r in results]
    rows = list(
        LevelResult.objects.select_for_update()
        .filter(pk__in=ids, published_at__isnull=True)
        .select_related("person")
        .order_by("pk")
    )
    now = timezone.now()
    for result in rows:
        result.published_at = now
        result.save(update_fields=["published_at"])
        audit.record(
            result, "exams.result.publish", actor=actor, passed=result.passed, person=mask_name(result.person.name)
        )
        if result.passed:
            transaction.on_commit(lambda pk=result.pk: _send_passed(pk), robust=True)
    return rows
