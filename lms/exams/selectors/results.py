"""Reads of skill level results: a candidate's own results, whether a level is passed, what a retake involves,
and the rows of a practical session's results page (the configuration it uses is in ``selectors.practical``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from lms.registry.models import Person

from ..models import LevelResult, PracticalCandidate, PracticalSession, Sitting
from .practical import review_levels, review_pass_mark


def person_results(person: Person) -> QuerySet:
    """A candidate's own published level results, newest first."""
    return LevelResult.objects.filter(person=person, published_at__isnull=False).order_by("-published_at")


def has_passed(person_id: int, occupation: str, level: int) -> bool:
    return LevelResult.objects.filter(person_id=person_id, occupation=occupation, level=level, passed=True).exists()


@dataclass(frozen=True)
class RetakePlan:
    """Whether a failed candidate may retake, and what.

    The rule kept simple (documented in docs/exams-practical.md): a published failed result may be retaken
    unless the person has since passed the same occupation and level. A retake is a new result, with a new
    theory attempt and a new practical assessment (a result ties its own attempt and practical), plus the
    review at levels that need it; ``failed`` says which parts failed, for the candidate's information.
    """

    possible: bool
    failed: tuple[str, ...] = ()  # of "theory", "practical", "review"
    retake: tuple[str, ...] = ()
    sittings: tuple = ()
    sessions: tuple = ()


def failed_parts(result: LevelResult) -> tuple[str, ...]:
    attempt = result.attempt
    parts = []
    if result.theory_score < attempt.candidate.sitting.blueprint.pass_mark:
        parts.append("theory")
    if result.practical_score < result.practical.session.rubric.pass_mark:
        parts.append("practical")
    if result.level in review_levels() and (result.review_score is None or result.review_score < review_pass_mark()):
        parts.append("review")
    return tuple(parts)


def retake_plan(result: LevelResult) -> RetakePlan:
    if result.passed or result.published_at is None or has_passed(result.person_id, result.occupation, result.level):
        return RetakePlan(possible=False)
    parts = ("theory", "practical") + (("review",) if result.level in review_levels() else ())
    now = timezone.now()
    sittings = Sitting.objects.filter(
        blueprint__occupation=result.occupation,
        status=Sitting.Status.SCHEDULED,
        closes_at__gt=now,
    ).filter(Q(blueprint__level=result.level) | Q(blueprint__level__isnull=True))
    sessions = PracticalSession.objects.filter(
        rubric__occupation=result.occupation,
        rubric__level=result.level,
        status=PracticalSession.Status.SCHEDULED,
        starts_at__gt=now,
    )
    return RetakePlan(
        possible=True,
        failed=failed_parts(result),
        retake=parts,
        sittings=tuple(sittings.order_by("opens_at")[:5]),
        sessions=tuple(sessions.order_by("starts_at")[:5]),
    )


@dataclass
class DecisionRow:
    """A scored practical candidate of a session with the theory attempts that could complete their result."""

    candidate: PracticalCandidate
    attempts: list = field(default_factory=list)
    result: LevelResult | None = None
    needs_review: bool = False


def decision_rows(session: PracticalSession) -> list[DecisionRow]:
    """For the results page: each candidate with a final score, the graded theory attempts of the same person
    for the same occupation and level not yet used by a result (best first), and the result if decided."""
    from ..models import Attempt

    rubric = session.rubric
    rows = []
    candidates = session.candidates.select_related("person").order_by("slot", "pk")
    results = {r.practical_id: r for r in LevelResult.objects.filter(practical__session=session)}
    for c in candidates:
        attempts = list(
            Attempt.objects.filter(
                candidate__person_id=c.person_id,
                status=Attempt.Status.GRADED,
                candidate__sitting__blueprint__occupation=rubric.occupation,
            )
            .filter(
                Q(candidate__sitting__blueprint__level=rubric.level)
                | Q(candidate__sitting__blueprint__level__isnull=True)
            )
            .filter(Q(level_result__isnull=True) | Q(level_result__practical=c))
            .select_related("candidate__sitting__blueprint")
            .order_by("-score", "-submitted_at")
        )
        rows.append(
            DecisionRow(
                candidate=c,
                attempts=attempts,
                result=results.get(c.pk),
                needs_review=rubric.level in review_levels(),
            )
        )
    return rows
