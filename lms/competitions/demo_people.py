"""Who takes part in the competitions demo: judges (directors of public centres) and contestants (caregivers on
duty who meet the track's rules, checked with the entries service's ``refusal_reasons`` before the units register
them, as a unit checks its roster before it registers)."""

from __future__ import annotations

import random
from collections.abc import Iterable

from django.db.models import Q

from lms.registry.models import Employment, Institution, Person, Post

from .models import Track
from .services import entries


def judge_people(count: int, *, region_prefix: str) -> list[Person]:
    """``count`` directors of distinct public centres (from the end of the ID-hash order: the exams demo's
    examiners come from its start), without a login of their own or already the demo's judges."""
    people = (
        Person.objects.filter(
            employments__post=Post.DIRECTOR,
            employments__end_date__isnull=True,
            employments__institution__kind=Institution.Kind.PUBLIC,
            employments__institution__region__code__startswith=region_prefix,
        )
        .filter(Q(user__isnull=True) | Q(user__username__startswith="judge"))
        .order_by("-id_number_hash")
        .distinct()
    )
    picked, units = [], set()
    for person in people:
        unit = unit_of(person)
        if unit is not None and unit not in units:
            picked.append(person)
            units.add(unit)
        if len(picked) == count:
            break
    return picked


def unit_of(person: Person) -> int | None:
    return (
        Employment.objects.filter(person=person, end_date__isnull=True)
        .order_by("start_date", "pk")
        .values_list("institution_id", flat=True)
        .first()
    )


def eligible(track: Track, person: Person, institution: Institution) -> bool:
    return not entries.refusal_reasons(track, person, institution=institution)


def eligible_picks(
    track: Track,
    rng: random.Random,
    *,
    count: int,
    taken: set[int],
    first: Iterable[int] = (),
    region_prefix: str,
) -> list[tuple[Person, Institution]]:
    """Up to ``count`` (person, institution) pairs for ``track``: institutions of the region in a shuffled order
    (those of ``first`` first), one or two eligible caregivers of each (never more than the track's quota),
    nobody in ``taken`` or with a login of their own (the other demos' accounts)."""
    institutions = list(Institution.objects.filter(region__code__startswith=region_prefix).order_by("credit_code"))
    rng.shuffle(institutions)
    front = [i for pk in first for i in institutions if i.pk == pk]
    ordered = front + [i for i in institutions if i not in front]
    picks: list[tuple[Person, Institution]] = []
    for institution in ordered:
        wanted = min(track.quota_per_unit, 1 if institution in front else rng.choice((1, 2)), count - len(picks))
        caregivers = (
            Person.objects.filter(
                employments__institution=institution,
                employments__post=Post.CAREGIVER,
                employments__end_date__isnull=True,
                user__isnull=True,
            )
            .exclude(pk__in=taken)
            .order_by("id_number_hash")
            .distinct()
        )
        for person in caregivers:
            if wanted <= 0:
                break
            if eligible(track, person, institution):
                picks.append((person, institution))
                taken.add(person.pk)
                wanted -= 1
        if len(picks) >= count:
            break
    return picks
