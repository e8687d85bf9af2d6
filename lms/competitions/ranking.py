"""Ranking, advancement and awards of a competition (pure: no database).

* :func:`weighted_total` — the total: Σ round score × round weight / 100 (a round without a score counts 0);
* :func:`rank` — competition ranking ("1, 2, 2, 4") by total, then the tie-break keys in the competition's
  order (``practical``: higher weighted practical part first; ``theory``: higher weighted theory part first;
  ``time``: less time first, unknown time last); contestants equal on everything share the rank;
* :func:`goes_on` — who takes part in the next round: at or above the pass mark, then if the round sends only
  the top N on, the top N of those (all tied with the Nth go on too);
* :func:`award_counts` / :func:`awards` — prizes by ratio of the ranked contestants (each count rounded half
  up); a place goes by rank, so a tie on a boundary shares the better prize and the places after it shift
  down; below the competition's lowest prize-winning total there is no prize;
* :func:`organization_awards` — 优秀组织奖: units ranked by prize points (first 3, second 2, third 1), then
  first prizes, then their best contestant's rank; the top ``count`` win (ties with the last winner too);
* :func:`upgrade_candidates` — the top places recommended for a level upgrade.

Scores are ``Decimal`` with two decimal places, rounded half up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from lms.exams.scoring import quantize

HUNDRED = Decimal("100")
FIRST, SECOND, THIRD = "first", "second", "third"  # the values of choices.Award
PRIZE_POINTS = {FIRST: 3, SECOND: 2, THIRD: 1}


def weighted_total(scores: Mapping[int, Decimal], weights: Mapping[int, Decimal]) -> Decimal:
    """Σ score × weight / 100 over the rounds of ``weights`` (round id -> %); a missing score counts 0."""
    total = sum(
        (Decimal(scores.get(round_id, 0)) * Decimal(weight) for round_id, weight in weights.items()), Decimal("0")
    )
    return quantize(total / HUNDRED)


# --- ranking ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """One contestant's numbers for ranking: ``practical`` / ``theory`` are the weighted parts of the total
    from the rounds of that kind; ``time_seconds`` the time used (None: unknown, ranks last on time)."""

    entry_id: int
    total: Decimal
    practical: Decimal
    theory: Decimal
    time_seconds: int | None


_KEYS: dict[str, Callable[[Standing], tuple]] = {
    "practical": lambda s: (-Decimal(s.practical),),
    "theory": lambda s: (-Decimal(s.theory),),
    "time": lambda s: (s.time_seconds is None, s.time_seconds or 0),
}


def _sort_key(tie_break_keys: Sequence[str]) -> Callable[[Standing], tuple]:
    unknown = [key for key in tie_break_keys if key not in _KEYS]
    if unknown:
        raise ValueError(f"unknown tie-break {unknown[0]!r}")
    parts = [_KEYS[key] for key in tie_break_keys]
    return lambda s: ((-Decimal(s.total),), *(part(s) for part in parts))


def rank(standings: Sequence[Standing], tie_break_keys: Sequence[str]) -> dict[int, int]:
    """Entry id -> rank (see the module docstring)."""
    key = _sort_key(tie_break_keys)
    return _competition_ranks({s.entry_id: s for s in standings}, key)


def _competition_ranks(values: Mapping, sort_key: Callable) -> dict:
    """Competition ranking of ``values`` (key -> comparable, smaller first)."""
    ordered = sorted(values, key=lambda k: sort_key(values[k]))
    ranks, previous, current = {}, object(), 0
    for place, k in enumerate(ordered, start=1):
        if sort_key(values[k]) != previous:
            current, previous = place, sort_key(values[k])
        ranks[k] = current
    return ranks


# --- advancement ------------------------------------------------------------------------------------------------


def goes_on(scores: Mapping[int, Decimal], *, pass_mark: Decimal | None, top: int | None) -> set[int]:
    """Entry ids that take part in the next round (see the module docstring); ``top`` None or 0: no limit."""
    passed = {
        entry_id: Decimal(score)
        for entry_id, score in scores.items()
        if pass_mark is None or Decimal(score) >= Decimal(pass_mark)
    }
    if not top or len(passed) <= top:
        return set(passed)
    cutoff = sorted(passed.values(), reverse=True)[top - 1]
    return {entry_id for entry_id, score in passed.items() if score >= cutoff}


# --- awards -----------------------------------------------------------------------------------------------------


def award_counts(ranked: int, percents: tuple[Decimal, Decimal, Decimal]) -> tuple[int, int, int]:
    """How many first, second and third prizes: each ``ranked × percent / 100`` rounded half up."""
    first, second, third = (
        int((Decimal(ranked) * Decimal(percent) / HUNDRED).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
        for percent in percents
    )
    return first, second, third


def awards(
    ranks: Mapping[int, int], totals: Mapping[int, Decimal], counts: tuple[int, int, int], *, min_total: Decimal
) -> dict[int, str]:
    """Entry id -> ``"first"`` / ``"second"`` / ``"third"`` by rank (entries without a prize are left out)."""
    first, second, third = counts
    bounds = ((first, FIRST), (first + second, SECOND), (first + second + third, THIRD))
    result: dict[int, str] = {}
    for entry_id, place in ranks.items():
        if Decimal(totals.get(entry_id, 0)) < Decimal(min_total):
            continue
        for bound, award in bounds:
            if place <= bound:
                result[entry_id] = award
                break
    return result


@dataclass(frozen=True)
class UnitAward:
    unit: tuple[str, int]  # ("institution", id) or ("provider", id), as Entry.unit_key
    rank: int
    points: int
    prizes: int


def organization_awards(
    prizes: Mapping[tuple[str, int], Sequence[str]],
    best_rank: Mapping[tuple[str, int], int],
    *,
    count: int,
    min_prizes: int,
) -> list[UnitAward]:
    """优秀组织奖 (see the module docstring): ``prizes`` maps a unit to its contestants' prizes, ``best_rank``
    to its best contestant's rank. Units need at least ``min_prizes`` prizes (and at least one)."""
    if count <= 0:
        return []
    eligible = {unit: list(won) for unit, won in prizes.items() if won and len(won) >= min_prizes}
    points = {unit: sum(PRIZE_POINTS[award] for award in won) for unit, won in eligible.items()}
    keys = {unit: (-points[unit], -won.count(FIRST), best_rank.get(unit, 10**9)) for unit, won in eligible.items()}
    ranks = _competition_ranks(keys, lambda k: k)
    ordered = sorted(eligible, key=lambda unit: (ranks[unit], unit))
    return [
        UnitAward(unit=unit, rank=ranks[unit], points=points[unit], prizes=len(eligible[unit]))
        for unit in ordered
        if ranks[unit] <= count
    ]


def upgrade_candidates(ranks: Mapping[int, int], *, top: int) -> list[int]:
    """Entry ids ranked ``top`` or better, best first (ties share a place, so more than ``top`` may qualify)."""
    return [entry_id for entry_id, place in sorted(ranks.items(), key=lambda item: (item[1], item[0])) if place <= top]
