"""Reads of practical assessment and skill level results, and who may see what.

* Back office: platform admins (superusers) see everything; provider staff see their providers' rubrics
  (and the platform's, to use them), sessions and level results (:func:`rubrics_for`,
  :func:`practical_sessions_for`, :func:`level_results_for`).
* Examiners see only the sessions they sit on (:func:`examiner_sessions`), and candidates only by slot number
  and masked name (:func:`examiner_candidates`); the chief examiner also sees every examiner's totals, final
  scores and disagreement flags (:func:`chief_overview`).
* Rules that are configuration (DESIGN.md §3 "~"): settings ``EXAMS_MIN_EXAMINERS`` (3),
  ``EXAMS_CANDIDATES_PER_EXAMINER`` (5), ``EXAMS_REVIEW_LEVELS`` (levels needing the 综合评审, ``{1, 2}``) and
  ``EXAMS_REVIEW_PASS_MARK`` (60).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from lms.registry.masking import mask_name
from lms.registry.models import Person, TrainingProvider
from lms.registry.selectors import current_employments, user_scope

from .. import scoring
from ..models import (
    Examiner,
    LevelResult,
    MarkSheet,
    PracticalCandidate,
    PracticalSession,
    Rubric,
    RubricCriterion,
)

# --- configuration ----------------------------------------------------------------------------------------------


def min_examiners() -> int:
    return int(getattr(settings, "EXAMS_MIN_EXAMINERS", scoring.MIN_PANEL))


def candidates_per_examiner() -> int:
    return int(getattr(settings, "EXAMS_CANDIDATES_PER_EXAMINER", 5))


def review_levels() -> frozenset[int]:
    """Skill levels whose result also needs a comprehensive review (综合评审) score."""
    return frozenset(int(level) for level in getattr(settings, "EXAMS_REVIEW_LEVELS", {1, 2}))


def review_pass_mark() -> Decimal:
    return Decimal(str(getattr(settings, "EXAMS_REVIEW_PASS_MARK", "60")))


# --- scoping ----------------------------------------------------------------------------------------------------


def rubrics_for(user, action: str = "view") -> QuerySet:
    """Rubrics the user may see (own providers' and the platform's) or change (own providers' only)."""
    scope = user_scope(user)
    qs = Rubric.objects.select_related("provider")
    if scope.is_platform_admin:
        return qs
    if not scope.provider_ids:
        return qs.none()
    own = Q(provider_id__in=scope.provider_ids)
    return qs.filter(own | Q(provider__isnull=True)) if action == "view" else qs.filter(own)


def practical_sessions_for(user, action: str = "view") -> QuerySet:
    scope = user_scope(user)
    qs = PracticalSession.objects.select_related("rubric", "provider")
    if scope.is_platform_admin:
        return qs
    return qs.filter(provider_id__in=scope.provider_ids) if scope.provider_ids else qs.none()


def level_results_for(user, action: str = "view") -> QuerySet:
    scope = user_scope(user)
    qs = LevelResult.objects.select_related("person", "provider", "attempt", "practical")
    if scope.is_platform_admin:
        return qs
    return qs.filter(provider_id__in=scope.provider_ids) if scope.provider_ids else qs.none()


def providers_for(user) -> QuerySet:
    """Providers for which the user may set up rubrics, sessions and results."""
    scope = user_scope(user)
    if scope.is_platform_admin:
        return TrainingProvider.objects.all()
    return TrainingProvider.objects.filter(pk__in=scope.provider_ids)


# --- panels and recusal -----------------------------------------------------------------------------------------


def criteria_of(rubric_id: int) -> list[RubricCriterion]:
    return list(RubricCriterion.objects.filter(rubric_id=rubric_id).order_by("sort_order", "pk"))


def maxima(criteria) -> dict[str, Decimal]:
    """Criterion id (text, as in ``MarkSheet.marks``) -> maximum points, in the rubric's order."""
    return {str(c.pk): c.max_points for c in criteria}


def rubric_problem(rubric: Rubric) -> str | None:
    """Why the rubric cannot be used for a session (translated), or None."""
    problem = scoring.rubric_problem([c.max_points for c in criteria_of(rubric.pk)])
    if problem is None:
        return None
    total = scoring.rubric_total(c.max_points for c in criteria_of(rubric.pk))
    return _("The criteria of “%(rubric)s” must add up to %(full)s points (now %(total)s).") % {
        "rubric": rubric.name,
        "full": scoring.FULL_SCORE,
        "total": total,
    }


def person_institution_ids(person_id: int | None) -> set[int]:
    """Institutions where the person works today (current employments)."""
    if person_id is None:
        return set()
    return set(current_employments(Person(pk=person_id)).values_list("institution_id", flat=True))


def examiner_institution_ids(examiner: Examiner) -> set[int]:
    """The examiner's own institutions: the one recorded on the panel and where their person works today."""
    ids = person_institution_ids(Person.objects.filter(user_id=examiner.user_id).values_list("pk", flat=True).first())
    return ids | ({examiner.institution_id} if examiner.institution_id else set())


def candidate_institution_ids(candidate: PracticalCandidate) -> set[int]:
    ids = person_institution_ids(candidate.person_id)
    return ids | ({candidate.institution_id} if candidate.institution_id else set())


def display_name(user) -> str:
    """An examiner's name: their person's, else the account's full name, else the user name."""
    person = Person.objects.filter(user_id=user.pk).only("name").first()
    return person.name if person else (user.get_full_name() or user.get_username())


def rubric_in_use(rubric: Rubric) -> bool:
    """Examiners have marked with this rubric (its criteria and pass mark must not change any more)."""
    return MarkSheet.objects.filter(candidate__session__rubric=rubric).exists()


def marking_started(session: PracticalSession) -> bool:
    return MarkSheet.objects.filter(candidate__session=session).exists()


def panel_problems(session: PracticalSession) -> list[str]:
    """Why marking cannot open yet (translated; empty when the panel is ready)."""
    examiners = list(session.examiners.all())
    problems = []
    minimum = min_examiners()
    problem = scoring.panel_problem(len(examiners), minimum=minimum)
    if problem:
        problems.append(
            _("The panel needs an odd number of examiners, at least %(min)s (now %(n)s).")
            % {"min": minimum, "n": len(examiners)}
        )
    if not any(e.is_chief for e in examiners):
        problems.append(_("The panel has no chief examiner."))
    return problems


def ratio_warning(session: PracticalSession) -> str | None:
    """A warning when the session has more than ``EXAMS_CANDIDATES_PER_EXAMINER`` candidates per examiner."""
    examiners = session.examiners.count()
    candidates = session.candidates.count()
    per = candidates_per_examiner()
    if not scoring.ratio_exceeded(candidates, examiners, per_examiner=per):
        return None
    return _(
        "%(candidates)s candidates for %(examiners)s examiners: more than %(per)s candidates per examiner. "
        "Add examiners or split the session."
    ) % {"candidates": candidates, "examiners": examiners, "per": per}


# --- examiner pages ---------------------------------------------------------------------------------------------


def examiner_of(user, session: PracticalSession) -> Examiner | None:
    if not user.is_authenticated:
        return None
    return Examiner.objects.filter(session=session, user=user).first()


def examiner_sessions(user) -> QuerySet:
    """The sessions the user sits on, soonest first, with ``candidate_count`` and ``submitted_count`` (theirs)."""
    if not user.is_authenticated:
        return PracticalSession.objects.none()
    mine = Examiner.objects.filter(session=OuterRef("pk"), user=user)
    return (
        PracticalSession.objects.filter(Exists(mine))
        .select_related("rubric", "provider")
        .annotate(
            candidate_count=Count("candidates", distinct=True),
            submitted_count=Count(
                "candidates__mark_sheets",
                filter=Q(
                    candidates__mark_sheets__examiner__user=user, candidates__mark_sheets__submitted_at__isnull=False
                ),
                distinct=True,
            ),
            is_chief=Exists(mine.filter(is_chief=True)),
        )
        .order_by("-starts_at")
    )


@dataclass
class CandidateRow:
    """A candidate as an examiner sees them: slot number and masked name, and the state of their own sheet."""

    candidate: PracticalCandidate
    slot: int
    name: str
    sheet: MarkSheet | None

    @property
    def status(self) -> str:
        if self.sheet is None or not self.sheet.marks:
            return "todo"
        return "submitted" if self.sheet.locked else "draft"


def examiner_candidates(session: PracticalSession, examiner: Examiner) -> list[CandidateRow]:
    sheets = {s.candidate_id: s for s in MarkSheet.objects.filter(candidate__session=session, examiner=examiner)}
    return [
        CandidateRow(candidate=c, slot=c.slot, name=mask_name(c.person.name), sheet=sheets.get(c.pk))
        for c in session.candidates.select_related("person").order_by("slot", "pk")
    ]


def examiner_queue(user) -> list[CandidateRow]:
    """Candidates still waiting for the user's submitted marks, in the sessions they sit on, by time and slot."""
    rows = []
    for examiner in Examiner.objects.filter(user=user).select_related("session").order_by("session__starts_at"):
        if examiner.session.status == PracticalSession.Status.PUBLISHED:
            continue
        rows.extend(r for r in examiner_candidates(examiner.session, examiner) if r.status != "submitted")
    return rows


@dataclass
class ChiefRow:
    candidate: PracticalCandidate
    slot: int
    name: str
    sheets: list[MarkSheet | None] = field(default_factory=list)  # in the panel's order
    spread: Decimal | None = None


def chief_overview(session: PracticalSession) -> tuple[list[Examiner], list[ChiefRow]]:
    """The panel (chief first) and, per candidate, each examiner's sheet, the final score and the flags."""
    examiners = list(session.examiners.select_related("user").order_by("-is_chief", "pk"))
    candidates = session.candidates.select_related("person").prefetch_related(
        Prefetch("mark_sheets", queryset=MarkSheet.objects.all())
    )
    rows = []
    for c in candidates.order_by("slot", "pk"):
        by_examiner = {s.examiner_id: s for s in c.mark_sheets.all()}
        sheets = [by_examiner.get(e.pk) for e in examiners]
        totals = [s.total for s in sheets if s is not None and s.locked and s.total is not None]
        rows.append(
            ChiefRow(
                candidate=c,
                slot=c.slot,
                name=mask_name(c.person.name),
                sheets=sheets,
                spread=(max(totals) - min(totals)) if totals else None,
            )
        )
    return examiners, rows


def sheet_for_chief(user, sheet_id: int) -> MarkSheet | None:
    """A mark sheet of a session where the user is the chief examiner (None otherwise)."""
    chief = Examiner.objects.filter(session=OuterRef("candidate__session"), user=user, is_chief=True)
    return (
        MarkSheet.objects.filter(pk=sheet_id)
        .filter(Exists(chief))
        .select_related("candidate", "candidate__person", "candidate__session", "examiner", "examiner__user")
        .first()
    )
