"""Who may enter a track (pure: no database; the entries service gathers the facts from the roster).

A track is for staff in post (职工组) or for students (学生组):

* nobody under a lifetime ban (``banned``) enters;
* staff: the contestant works, on the day of the check, at the registering institution (``not_on_duty``) in a
  post of the track's occupation (``wrong_post``, see :data:`OCCUPATION_POSTS`), and has worked at least the
  track's years (``too_few_years``), counted over all the roster's jobs, overlapping jobs once;
* students: only the ban and the age limits;
* everybody: the track's age limits, the age counted on the competition's first day (``too_young``,
  ``too_old``).

:func:`refusals` returns every reason that applies (codes with their numbers), never a message: the service
translates them, so the unit sees why a registration was refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

STAFF, STUDENT = "staff", "student"  # the values of choices.Group

# occupation (lms.learning Occupation) -> the roster's posts (registry Post) that practise it
OCCUPATION_POSTS: dict[str, set[str]] = {
    "childcare_worker": {"caregiver"},
    "infant_carer": {"caregiver"},
    "health_care": {"health"},
    "director": {"director"},
}

DAYS_PER_YEAR = Decimal("365.25")


@dataclass(frozen=True)
class Job:
    """One employment of the roster: from ``start`` to ``end`` (the last day worked; None = still there)."""

    start: date
    end: date | None
    post: str
    unit_id: int | None


@dataclass(frozen=True)
class Facts:
    birth_date: date
    jobs: tuple[Job, ...]
    banned: bool


@dataclass(frozen=True)
class Rule:
    occupation: str
    group: str
    min_years_of_work: int
    min_age: int | None
    max_age: int | None


@dataclass(frozen=True)
class Refusal:
    code: str  # banned | not_on_duty | wrong_post | too_few_years | too_young | too_old
    params: dict = field(default_factory=dict)


def age_on(birth_date: date, on: date) -> int:
    """Age in whole years on ``on`` (a birthday counts from the day itself; 29 February from 1 March)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def years_of_work(jobs: Iterable[Job], on: date) -> Decimal:
    """Years worked up to and including ``on``: the days covered by at least one job, each day once however
    many jobs overlap on it, over 365.25, to one decimal rounded down (2.96 years are 2.9, not 3.0).

    Counting ``on`` itself makes an anniversary exact: a job started on 20 October 2021 gives 5.0 years on
    20 October 2026 (1827 days), where stopping the day before would give 4.9 (1826 days over 365.25)."""
    spans = []
    last = on + timedelta(days=1)
    for job in jobs:
        end = last if job.end is None else min(job.end + timedelta(days=1), last)
        if job.start < end:
            spans.append((job.start, end))
    days = 0
    covered_to: date | None = None
    for start, end in sorted(spans):
        if covered_to is not None and start < covered_to:
            start = covered_to
        if start < end:
            days += (end - start).days
            covered_to = end
    return (Decimal(days) / DAYS_PER_YEAR).quantize(Decimal("0.1"), rounding=ROUND_DOWN)


def current(job: Job, on: date) -> bool:
    return job.start <= on and (job.end is None or job.end >= on)


def refusals(rule: Rule, facts: Facts, *, on: date, unit_id: int | None) -> list[Refusal]:
    """Every reason ``facts`` do not meet ``rule`` on ``on`` for the unit ``unit_id`` (empty: eligible)."""
    found: list[Refusal] = []
    if facts.banned:
        found.append(Refusal("banned", {}))
    if rule.group == STAFF:
        here = [job for job in facts.jobs if unit_id is not None and job.unit_id == unit_id and current(job, on)]
        posts = OCCUPATION_POSTS.get(rule.occupation, set())
        if not here:
            found.append(Refusal("not_on_duty", {}))
        elif not any(job.post in posts for job in here):
            found.append(Refusal("wrong_post", {"post": here[0].post}))
        if rule.min_years_of_work:
            actual = years_of_work(facts.jobs, on)
            if actual < rule.min_years_of_work:
                found.append(Refusal("too_few_years", {"required": rule.min_years_of_work, "actual": actual}))
    age = age_on(facts.birth_date, on)
    if rule.min_age is not None and age < rule.min_age:
        found.append(Refusal("too_young", {"min_age": rule.min_age, "age": age}))
    if rule.max_age is not None and age > rule.max_age:
        found.append(Refusal("too_old", {"max_age": rule.max_age, "age": age}))
    return found
