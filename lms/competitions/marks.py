"""Judging arithmetic of a competition (pure: no database; the marks of one sheet are ``lms.exams.scoring``'s).

* :func:`station_score` — a contestant's score at a station from the judges' sheet totals: the competition's
  aggregation (``trimmed_mean``: with at least five judges drop the highest and the lowest total, then the
  mean; with fewer the plain mean; or ``mean``, ``median``), exactly as :func:`lms.exams.scoring.aggregate`;
* :func:`outliers` — the judges whose total is more than the threshold away from the mean of the OTHER judges'
  totals (at least three judges are needed to tell who is out of line; with fewer nobody is flagged);
* :func:`round_score` — a contestant's round score: the weighted mean of the station scores of the round;
* :func:`median_time` — the time a contestant used at a station, from the judges' timings.

Scores are ``Decimal`` with two decimal places, rounded half up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from lms.exams import scoring

quantize = scoring.quantize


def station_score(totals: Sequence[Decimal], method: str) -> Decimal:
    """The station score from the judges' totals (see the module docstring); ValueError without totals."""
    return scoring.aggregate(totals, method)


def outliers(totals: Mapping[int, Decimal], threshold: Decimal) -> set[int]:
    """Judge ids whose total differs from the mean of the other judges' totals by more than ``threshold``.

    Comparing with the others' mean (not the mean of all, which includes the judge's own total) flags a
    single judge who is far off without dragging the reference towards them. Needs at least three judges.
    """
    if len(totals) < 3:
        return set()
    threshold = Decimal(threshold)
    values = {judge: Decimal(total) for judge, total in totals.items()}
    everyone = sum(values.values(), Decimal("0"))
    others = len(values) - 1
    return {judge for judge, total in values.items() if abs(total - (everyone - total) / others) > threshold}


def round_score(station_scores: Sequence[tuple[Decimal, Decimal]]) -> Decimal:
    """The weighted mean of ``(score, weight)`` pairs, quantized (stations weighted 0 count only if all are)."""
    if not station_scores:
        raise ValueError("no station scores")
    pairs = [(Decimal(score), Decimal(weight)) for score, weight in station_scores]
    weights = sum((weight for _, weight in pairs), Decimal("0"))
    if weights <= 0:
        return quantize(sum((score for score, _ in pairs), Decimal("0")) / len(pairs))
    return quantize(sum((score * weight for score, weight in pairs), Decimal("0")) / weights)


def median_time(times: Sequence[int | None]) -> int | None:
    """The median of the judges' timings in seconds (None ignored; None if nobody timed). With an even number
    of timings, the mean of the middle two, rounded half up to a whole second."""
    known = sorted(int(t) for t in times if t is not None)
    if not known:
        return None
    middle = len(known) // 2
    if len(known) % 2:
        return known[middle]
    half = Decimal(known[middle - 1] + known[middle]) / 2
    return int(half.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
