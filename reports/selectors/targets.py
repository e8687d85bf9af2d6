"""Targets: which target applies to a region, and progress towards it with a linear projection.

The projection (docs/reports.md, "Targets") fits a least-squares line through the figure's history and reads
it at the target date:

* rates (a share on a date): the value on 31 December of the two previous years and on the report date;
* counts (a number over a year): the running total from 1 January of the target's first year (0 then), at the
  end of each year since and on the report date — cumulative targets (累计) count every year from their
  ``from_year``, yearly targets their own year only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

from lms.registry.models import Region

from .. import frames
from ..models import Target
from .indicators import COUNT, INDICATORS, compute, default_date
from .scope import AREA_LEVEL, LEVEL_NAME, check_region


@dataclass(frozen=True)
class TargetProgress:
    region: Region
    actual: float | None  # the figure on the report date (cumulative for cumulative targets)
    target: Decimal | None
    target_date: date | None
    projected: float | None  # the linear projection to the target date
    will_miss: bool


def ancestor_codes(region: Region) -> list[str]:
    """The region's code and its ancestors' codes, nearest first."""
    codes = [region.code, region.code[:6], region.code[:4] + "00", region.code[:2] + "0000"]
    return list(dict.fromkeys(codes))


def target_for(region: Region, indicator: str, year: int, measure: str = "", *, inherit: bool = False) -> Target | None:
    """The region's target (or, with ``inherit``, the nearest ancestor's) for the indicator, measure and year."""
    codes = ancestor_codes(region) if inherit else [region.code]
    found = Target.objects.filter(region_id__in=codes, indicator=indicator, measure=measure, year=year)
    by_code = {target.region_id: target for target in found}
    return next((by_code[code] for code in codes if code in by_code), None)


def history(code: str, key: str, region: Region, by: str, year: int, on: date, from_year: int | None) -> pd.DataFrame:
    """``unit``, ``on``, ``value`` points of column ``key`` of indicator ``code`` for the units under ``region``."""
    points = []
    if INDICATORS[code].kind == COUNT:
        first = from_year or year
        total = None
        for y in range(first, year + 1):
            end = min(on, date(y, 12, 31))
            if end < date(y, 1, 1):
                break
            values = compute(code, region, by, y, end).set_index("unit")[key].astype(float)
            if total is None:
                total = values * 0
                points.append(pd.DataFrame({"unit": total.index, "on": date(first, 1, 1), "value": total.values}))
            total = total.add(values, fill_value=0)
            points.append(pd.DataFrame({"unit": total.index, "on": end, "value": total.values}))
    else:
        for y in (on.year - 2, on.year - 1):
            frame = compute(code, region, by, y, date(y, 12, 31))
            points.append(pd.DataFrame({"unit": frame["unit"], "on": date(y, 12, 31), "value": frame[key]}))
        frame = compute(code, region, by, on.year, on)
        points.append(pd.DataFrame({"unit": frame["unit"], "on": on, "value": frame[key]}))
    if not points:
        return pd.DataFrame({"unit": [], "on": [], "value": []})
    return pd.concat(points, ignore_index=True)


def target_progress(
    user, *, region: Region, indicator: str, year: int, measure: str = "", on: date | None = None
) -> list[TargetProgress]:
    """Per child region of ``region``: the actual figure, its target (a rate target of an ancestor applies to its
    children; count targets only to their own region), the projection to the target date and whether it will
    miss. ``measure`` picks a target on another column (e.g. ``director`` person-times)."""
    if indicator not in INDICATORS:
        raise ValueError(f"unknown indicator {indicator!r}")
    if user is not None:
        check_region(user, region)
    spec = INDICATORS[indicator]
    by = LEVEL_NAME.get(region.level + 1)
    if by is None:
        return []
    on = default_date(year, on)
    children = list(Region.objects.filter(code__startswith=region.scope_prefix, level=AREA_LEVEL[by]).order_by("code"))
    targets = {c.code: target_for(c, indicator, year, measure, inherit=spec.kind != COUNT) for c in children}
    from_year = min((t.from_year for t in targets.values() if t is not None and t.from_year), default=None)
    points = history(indicator, measure or spec.value_key, region, by, year, on, from_year)
    latest = points[points["on"] == on].set_index("unit")["value"]
    result = []
    for child in children:
        target = targets[child.code]
        actual = latest.get(child.code)
        projected = None
        if target is not None:
            projection = frames.projections(points[points["unit"] == child.code], target.target_date)
            projected = None if projection.empty or pd.isna(projection.iloc[0]) else round(float(projection.iloc[0]), 2)
        miss = target is not None and bool(
            frames.will_miss(
                pd.Series([projected], dtype=float), target.value, higher_is_better=spec.higher_is_better
            ).iloc[0]
        )
        result.append(
            TargetProgress(
                region=child,
                actual=None if actual is None or pd.isna(actual) else float(actual),
                target=target.value if target else None,
                target_date=target.target_date if target else None,
                projected=projected,
                will_miss=miss,
            )
        )
    return result
