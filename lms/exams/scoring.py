"""Practical assessment arithmetic (pure: no database).

* :func:`rubric_problem` — a rubric's criteria must add up to the full score (100);
* :func:`mark_problems` / :func:`sheet_total` — one examiner's marks per criterion, each within ``0..max``;
* :func:`panel_problem` — a panel of examiners is odd and at least three (DESIGN.md §3, configurable);
* :func:`aggregate` — the candidate's final score from the examiners' totals: ``mean``; ``trimmed_mean``
  (drop the highest and the lowest total when at least :data:`TRIM_MIN_EXAMINERS` examiners marked, then the
  mean; with fewer it is the plain mean); ``median``;
* :func:`disagrees` — the examiners' totals differ by more than the session's threshold;
* :func:`final_score` — all of the above for one candidate.

Scores are ``Decimal`` with two decimal places, rounded half up (the way a score sheet is rounded by hand).
Messages are plain English for callers to translate: services raise the translated ``ValidationError``.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FULL_SCORE = Decimal("100")
CENT = Decimal("0.01")
TRIM_MIN_EXAMINERS = 5
MIN_PANEL = 3

MEAN, TRIMMED_MEAN, MEDIAN = "mean", "trimmed_mean", "median"  # the values of choices.Aggregation


def quantize(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def to_points(value) -> Decimal | None:
    """A mark as typed (``"7.5"``, ``7``, ``Decimal``) as a Decimal, or None if it is not a finite number
    with at most two decimal places."""
    if value is None or isinstance(value, bool):
        return None
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not points.is_finite() or points != points.quantize(CENT, rounding=ROUND_HALF_UP):
        return None
    return points


# --- rubrics ----------------------------------------------------------------------------------------------------


def rubric_total(max_points: Iterable[Decimal]) -> Decimal:
    return sum((Decimal(p) for p in max_points), Decimal("0"))


def rubric_problem(max_points: Sequence[Decimal], *, full_score: Decimal = FULL_SCORE) -> str | None:
    """Why these criteria do not make a usable rubric (None if they do)."""
    if not max_points:
        return "no criteria"
    if any(Decimal(p) <= 0 for p in max_points):
        return "a criterion is worth no points"
    if rubric_total(max_points) != full_score:
        return "criteria do not add up to the full score"
    return None


# --- mark sheets ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarkProblem:
    """One mark that cannot be accepted: ``criterion`` (id as text), ``code`` and the maximum."""

    criterion: str
    code: str  # "unknown" | "not_a_number" | "out_of_range" | "missing"
    max_points: Decimal | None = None


def clean_marks(
    marks: Mapping[str, object], maxima: Mapping[str, Decimal], *, complete: bool
) -> tuple[dict[str, Decimal], list[MarkProblem]]:
    """Check marks (criterion id as text -> points) against the criteria's maxima.

    Empty values (``None`` or ``""``) mean "not marked yet" and are left out; ``complete`` requires a mark
    for every criterion (submission). Returns the clean marks and the problems, in the criteria's order.
    """
    clean: dict[str, Decimal] = {}
    problems: list[MarkProblem] = []
    for key in marks:
        if str(key) not in maxima:
            problems.append(MarkProblem(str(key), "unknown"))
    for key, maximum in maxima.items():
        raw = marks.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if complete:
                problems.append(MarkProblem(key, "missing", maximum))
            continue
        points = to_points(raw)
        if points is None:
            problems.append(MarkProblem(key, "not_a_number", maximum))
        elif not Decimal("0") <= points <= maximum:
            problems.append(MarkProblem(key, "out_of_range", maximum))
        else:
            clean[key] = points
    return clean, problems


def sheet_total(marks: Mapping[str, object]) -> Decimal:
    return quantize(sum((Decimal(str(v)) for v in marks.values()), Decimal("0")))


def points_text(value: Decimal) -> str:
    """Points as people write them: ``30``, ``7.5`` (no trailing zeros, never an exponent)."""
    return format(quantize(value).normalize(), "f")


def as_json(marks: Mapping[str, Decimal]) -> dict[str, str]:
    """Marks as stored in ``MarkSheet.marks`` (exact decimal strings, never floats)."""
    return {key: points_text(value) for key, value in marks.items()}


# --- panels -----------------------------------------------------------------------------------------------------


def panel_problem(examiners: int, *, minimum: int = MIN_PANEL) -> str | None:
    if examiners < minimum:
        return "too few examiners"
    if examiners % 2 == 0:
        return "even number of examiners"
    return None


def ratio_exceeded(candidates: int, examiners: int, *, per_examiner: int = 5) -> bool:
    """More than ``per_examiner`` candidates for each examiner of the panel (DESIGN.md §3: 1:5)."""
    return candidates > per_examiner * max(examiners, 0)


# --- final score ------------------------------------------------------------------------------------------------


def aggregate(totals: Sequence[Decimal], method: str) -> Decimal:
    """The final score from the examiners' totals (see the module docstring)."""
    if not totals:
        raise ValueError("no totals to aggregate")
    values = sorted(Decimal(t) for t in totals)
    if method == MEDIAN:
        return quantize(statistics.median(values))
    if method == TRIMMED_MEAN and len(values) >= TRIM_MIN_EXAMINERS:
        values = values[1:-1]
    elif method not in (MEAN, TRIMMED_MEAN):
        raise ValueError(f"unknown aggregation {method!r}")
    return quantize(sum(values, Decimal("0")) / len(values))


def disagrees(totals: Sequence[Decimal], threshold: Decimal) -> bool:
    """The highest and lowest totals differ by more than ``threshold`` points."""
    return bool(totals) and max(totals) - min(totals) > Decimal(threshold)


@dataclass(frozen=True)
class Final:
    score: Decimal
    passed: bool
    disagreement: bool


def final_score(totals: Sequence[Decimal], *, method: str, threshold: Decimal, pass_mark: Decimal) -> Final:
    score = aggregate(totals, method)
    return Final(score=score, passed=score >= Decimal(pass_mark), disagreement=disagrees(totals, threshold))
