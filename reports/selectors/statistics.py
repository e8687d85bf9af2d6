"""The statistics read API: indicator tables per region, the staff drill-down and progress against targets.

Dashboards, exports, report packs, the JSON API and ``export_report`` all read through these functions, so the
figures and the scoping are the same everywhere. Computations are in ``reports.frames`` (pure pandas); inputs
are loaded by ``reports.selectors.sources``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pandas as pd
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext

from certificates.models import Certificate
from lms.registry.models import Employment, HealthCheck, Institution, Post, Region
from lms.registry.selectors import on_duty_q

from ..models import Target
from . import sources
from .indicators import INDICATORS, Indicator, columns, compute
from .scope import (
    AREA_LEVEL,
    LEVEL_NAME,
    LEVELS,
    can_report,
    check_institution,
    check_level,
    check_region,
    regions_for,
)

__all__ = [
    "INDICATORS",
    "LEVELS",
    "Indicator",
    "Table",
    "TargetProgress",
    "can_report",
    "default_date",
    "indicator_table",
    "regions_for",
    "staff_list",
    "target_for",
    "target_progress",
]


@dataclass(frozen=True)
class Table:
    """One indicator table, ready for screen, XLSX, CSV and JSON.

    ``frame`` has the display ``columns`` (by key) and may carry hidden ones: ``unit`` (row key) and ``id``
    (the region's or institution's primary key, for drill-down links). ``value_key`` is the column of the main
    figure (for charts); ``targets`` maps a target's measure ("" = the main figure) to its value for the table's
    region and year; ``meta`` holds region code and name, level, year and date.
    """

    indicator: str
    title: str
    columns: list[tuple[str, str]]
    frame: pd.DataFrame
    target: Decimal | None
    value_key: str = ""
    unit: str = ""
    targets: dict[str, Decimal] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True)
class TargetProgress:
    region: Region
    actual: float | None
    target: Decimal | None
    target_date: date | None
    projected: float | None
    will_miss: bool


def default_date(year: int, on: date | None = None) -> date:
    """The report date: ``on`` if given, else the end of ``year`` or today if that is earlier."""
    if on is not None:
        return on
    return min(timezone.localdate(), date(year, 12, 31))


def target_for(region: Region, indicator: str, year: int, measure: str = "", *, inherit: bool = False) -> Target | None:
    """The region's target (or, with ``inherit``, the nearest ancestor's) for the indicator, measure and year."""
    codes = [region.code]
    if inherit:
        codes += [c for c in (region.code[:6], region.code[:4] + "00", region.code[:2] + "0000") if c != region.code]
    targets = {
        t.region_id: t
        for t in Target.objects.filter(region_id__in=codes, indicator=indicator, measure=measure, year=year)
    }
    return next((targets[c] for c in codes if c in targets), None)


def indicator_table(user, indicator: str, *, region: Region, by: str, year: int, on: date | None = None) -> Table:
    """The indicator per unit of level ``by`` under ``region`` (its children at that level, or institutions; the
    region itself when ``by`` is its own level). Raises PermissionDenied outside the user's scope (``user=None``
    is unscoped, for commands and tasks) and ValueError for an unknown indicator or level."""
    if indicator not in INDICATORS:
        raise ValueError(f"unknown indicator {indicator!r}")
    if user is not None:
        check_region(user, region)
    check_level(region, by)
    spec = INDICATORS[indicator]
    on = default_date(year, on)
    frame = compute(indicator, region, by, year, on)
    targets = {t.measure: t.value for t in Target.objects.filter(region_id=region.code, indicator=indicator, year=year)}
    title = gettext("%(indicator)s · %(region)s · %(date)s") % {
        "indicator": spec.label,
        "region": region.name,
        "date": year if spec.per_year else on.isoformat(),
    }
    return Table(
        indicator=indicator,
        title=title,
        columns=columns(indicator, by),
        frame=frame,
        target=targets.get(""),
        value_key=spec.value_key,
        unit=str(spec.unit),
        targets=targets,
        meta={"region": region.code, "region_name": region.name, "by": by, "year": year, "on": on.isoformat()},
    )


def staff_list(user, *, institution: Institution, on: date) -> Table:
    """The drill-down leaf: the institution's on-duty staff with masked ID numbers, whether their post counts in
    the 持证上岗率, whether they are certified and whether their health check is valid on ``on``."""
    if user is not None:
        check_institution(user, institution)
    type_ids = sources.qualifying_type_ids()
    posts = set(sources.qualifying_posts())
    first_valid = on - dt.timedelta(days=HealthCheck.VALID_DAYS - 1)
    rows = (
        Employment.objects.filter(on_duty_q(on), institution=institution)
        .annotate(
            certified=sources.certified_exists(on, type_ids),
            checked=Exists(
                HealthCheck.objects.filter(
                    person_id=OuterRef("person_id"), checked_on__lte=on, checked_on__gte=first_valid
                )
            ),
        )
        .order_by("person__name", "person_id", "post")
        .values_list(
            "person_id", "person__name", "person__id_number_masked", "post", "start_date", "certified", "checked"
        )
    )
    frame = pd.DataFrame.from_records(
        list(rows), columns=["id", "name", "id_number", "post", "start_date", "certified", "checked"]
    )
    numbers = pd.DataFrame.from_records(
        list(
            Certificate.objects.filter(
                sources.certificate_valid_q(on), holder_id__in=frame["id"].tolist(), type_id__in=type_ids
            )
            .order_by("number")
            .values_list("holder_id", "number")
        ),
        columns=["id", "number"],
    )
    joined = numbers.groupby("id")["number"].agg(", ".join)
    labels = dict(Post.choices)
    frame["qualifying"] = frame["post"].isin(posts)
    frame["post"] = frame["post"].map(lambda p: str(labels.get(p, p)))
    frame["certificates"] = frame["id"].map(joined).fillna("")
    frame["certified"] = frame["certified"].astype(bool)
    frame["checked"] = frame["checked"].astype(bool)
    frame["unit"] = frame["id"]
    return Table(
        indicator="staff_list",
        title=gettext("Staff of %(institution)s on %(date)s")
        % {"institution": institution.name, "date": on.isoformat()},
        columns=[
            ("name", gettext("Name")),
            ("id_number", gettext("ID number")),
            ("post", gettext("Post")),
            ("start_date", gettext("Start date")),
            ("qualifying", gettext("Counts in the certified-staff rate")),
            ("certified", gettext("Certified")),
            ("certificates", gettext("Valid certificates")),
            ("checked", gettext("Valid health check")),
        ],
        frame=frame,
        target=None,
        value_key="certified",
        meta={"institution": institution.pk, "institution_name": institution.name, "on": on.isoformat()},
    )


def _child_level(region: Region) -> str | None:
    return LEVEL_NAME.get(region.level + 1)


def _history(spec: Indicator, region: Region, by: str, year: int, on: date, from_year: int | None) -> pd.DataFrame:
    """``unit``, ``on``, ``value`` points for the projection (see docs/reports.md, "Targets")."""
    points = []
    if spec.kind == "count":
        first = from_year or year
        total = None
        for y in range(first, year + 1):
            end = min(on, date(y, 12, 31))
            if end < date(y, 1, 1):
                break
            frame = compute(spec.code, region, by, y, end)[["unit", spec.value_key]].set_index("unit")
            if total is None:
                total = frame[spec.value_key].astype(float) * 0
                points.append(pd.DataFrame({"unit": total.index, "on": date(first, 1, 1), "value": total.values}))
            total = total.add(frame[spec.value_key].astype(float), fill_value=0)
            points.append(pd.DataFrame({"unit": total.index, "on": end, "value": total.values}))
    else:
        for y in (year - 2, year - 1):
            end = date(y, 12, 31)
            if end < on:
                frame = compute(spec.code, region, by, y, end)
                points.append(pd.DataFrame({"unit": frame["unit"], "on": end, "value": frame[spec.value_key]}))
        frame = compute(spec.code, region, by, on.year, on)
        points.append(pd.DataFrame({"unit": frame["unit"], "on": on, "value": frame[spec.value_key]}))
    return pd.concat(points, ignore_index=True) if points else pd.DataFrame(columns=["unit", "on", "value"])


def target_progress(
    user, *, region: Region, indicator: str, year: int, measure: str = "", on: date | None = None
) -> list[TargetProgress]:
    """Per child region of ``region``: the actual figure (cumulative from the target's first year for cumulative
    targets), the target (a rate target of an ancestor applies to its children), the linear projection to the
    target date and whether it will miss. See docs/reports.md for the projection."""
    from .. import frames

    if indicator not in INDICATORS:
        raise ValueError(f"unknown indicator {indicator!r}")
    if user is not None:
        check_region(user, region)
    spec = INDICATORS[indicator]
    by = _child_level(region)
    if by is None:
        return []
    on = default_date(year, on)
    children = list(Region.objects.filter(code__startswith=region.scope_prefix, level=AREA_LEVEL[by]).order_by("code"))
    inherit = spec.kind != "count"
    targets = {c.code: target_for(c, indicator, year, measure, inherit=inherit) for c in children}
    from_year = next((t.from_year for t in targets.values() if t is not None and t.from_year), None)
    key = measure or spec.value_key
    history = _history(Indicator(spec.code, spec.label, spec.unit, key, spec.kind), region, by, year, on, from_year)
    latest = history.sort_values("on", kind="stable").groupby("unit").last()["value"]
    result = []
    for child in children:
        target = targets[child.code]
        actual = latest.get(child.code)
        projected = None
        if target is not None:
            proj = frames.projections(history[history["unit"] == child.code], target.target_date)
            projected = float(proj.iloc[0]) if len(proj) else None
        miss = False
        if target is not None:
            value = projected if projected is not None else float("nan")
            miss = bool(frames.will_miss(pd.Series([value]), target.value).iloc[0])
            if not spec.higher_is_better:
                miss = not (value <= float(target.value))
        result.append(
            TargetProgress(
                region=child,
                actual=None if actual is None or pd.isna(actual) else float(actual),
                target=target.value if target else None,
                target_date=target.target_date if target else None,
                projected=None if projected is None else round(projected, 2),
                will_miss=miss,
            )
        )
    return result


def regions_listing(user) -> list[Region]:
    """The user's top reporting regions (those no other reporting region of theirs contains)."""
    regions = list(regions_for(user).order_by("level", "code"))
    tops: list[Region] = []
    for region in regions:
        if not any(region.code.startswith(top.scope_prefix) and region.level > top.level for top in tops):
            tops.append(region)
    return tops
