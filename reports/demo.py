"""Demo data for the statistics (``manage.py seed_demo_reports``), on top of the registry, learning and
certificate demos of 曲靖市 (530300).

* child counts for about four in five institutions of the city, dated the first of the reference month, sized
  from the institution's places (托位数) with a deterministic occupancy per institution (some fall below the
  staff ratio, as real ones do);
* demo targets per county (source "Demo"): 持证上岗率 70% by 2026 (75% for 麒麟区) and the city's 400/500/600
  people trained in 2024/25/26 shared out by each county's staff.

The city targets themselves come from seed 001 through the data migration. Idempotent: running it again adds
what is missing and changes nothing else. ``seed_demo --reset`` deletes child counts and report packs with the
registry (``reports.receivers``).
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from lms.registry.models import Employment, Institution, Region

from . import services
from .models import ChildCount, ReportPack, Target

CITY = "530300"
DEMO_SOURCE = "Demo"
COUNTED_SHARE = 0.8  # institutions with a child count
GROUP_SHARES = {"infants": 0.15, "younger": 0.35, "older": 0.5}
CERTIFIED_TARGETS = {"530302": "75"}  # the rest: 70
PEOPLE_TRAINED = {2024: 400, 2025: 500, 2026: 600}


def _rng(key: str) -> random.Random:
    """A generator seeded by ``key`` alone, so each institution's figures do not depend on the others."""
    return random.Random(int(hashlib.sha256(key.encode()).hexdigest()[:16], 16))


def demo_child_counts(institutions: list[tuple[int, str, int]], counted_on: date) -> list[ChildCount]:
    """Counts for (id, credit code, places) rows: occupancy 55-100% of the places, split 15/35/50%."""
    counts = []
    for pk, credit_code, capacity in institutions:
        rng = _rng(f"childcount:{credit_code}")
        if rng.random() >= COUNTED_SHARE or capacity <= 0:
            continue
        enrolled = round(capacity * rng.uniform(0.55, 1.0))
        groups = {group: math.floor(enrolled * share) for group, share in GROUP_SHARES.items()}
        groups["older"] += enrolled - sum(groups.values())
        counts.append(ChildCount(institution_id=pk, counted_on=counted_on, **groups))
    return counts


def _county_shares(city: Region, on: date) -> dict[Region, float]:
    counties = list(Region.objects.filter(parent=city).order_by("code"))
    staff = dict(
        Employment.objects.filter(institution__region__code__startswith=city.scope_prefix)
        .filter(start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .values_list("institution__region__code")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    )
    per_county = {c: sum(n for code, n in staff.items() if code.startswith(c.code)) for c in counties}
    total = sum(per_county.values()) or 1
    return {c: n / total for c, n in per_county.items()}


def _target(region: Region, indicator: str, year: int, value: Decimal) -> bool:
    if Target.objects.filter(region_id=region.code, indicator=indicator, measure="", year=year).exists():
        return False
    services.target_set(region=region, indicator=indicator, year=year, value=value, source=DEMO_SOURCE)
    return True


@transaction.atomic
def seed_demo_reports(*, as_of: date | None = None, log: Callable[[str], None] = lambda msg: None) -> dict[str, int]:
    """Seed the demo child counts and county targets (see the module docstring). Raises LookupError without
    the registry demo."""
    as_of = as_of or timezone.localdate()
    city = Region.objects.filter(code=CITY).first()
    if city is None:
        raise LookupError("The registry demo (曲靖市 530300) is missing: run seed_demo first.")
    institutions = list(
        Institution.objects.filter(region__code__startswith=city.scope_prefix)
        .order_by("pk")
        .values_list("pk", "credit_code", "capacity")
    )
    counted_on = as_of.replace(day=1)
    created = ChildCount.objects.bulk_create(demo_child_counts(institutions, counted_on), ignore_conflicts=True)
    log(f"child counts on {counted_on}: {len(created)} institutions")
    targets = 0
    for county, share in _county_shares(city, as_of).items():
        value = Decimal(CERTIFIED_TARGETS.get(county.code, "70"))
        targets += _target(county, "certified_rate", 2026, value)
        for year, people in PEOPLE_TRAINED.items():
            targets += _target(county, "people_trained", year, Decimal(max(1, round(people * share))))
    log(f"targets added: {targets}")
    return {"child_counts": ChildCount.objects.filter(counted_on=counted_on).count(), "targets_added": targets}


def reset_reports() -> dict[str, int]:
    """Delete child counts and report packs (with their files): they point at institutions and regions."""
    for pack in ReportPack.objects.exclude(file=""):
        pack.file.delete(save=False)
    return {
        "reports_reportpack": ReportPack.objects.all().delete()[0],
        "reports_childcount": ChildCount.objects.all().delete()[0],
    }
