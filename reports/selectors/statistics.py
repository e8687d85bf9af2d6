"""The statistics read API: indicator tables per region, the staff drill-down and progress against targets.

Dashboards, exports, report packs, the JSON API and ``export_report`` all read through these functions, so the
figures and the scoping are the same everywhere. Computations are in ``reports.frames`` (pure pandas); inputs
are loaded by ``reports.selectors.sources``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pandas as pd
from django.utils.translation import gettext, gettext_lazy

from certificates.models import Certificate
from lms.registry.models import Employment, Institution, Post, Region, RoleGrant
from lms.registry.selectors import on_duty_q, user_scope

from ..models import Target
from . import sources
from .indicators import INDICATORS, Indicator, columns, compute_levels, default_date
from .scope import (
    LEVELS,
    REPORTING_ROLES,
    can_report,
    check_institution,
    check_level,
    check_region,
    regions_for,
)
from .targets import TargetProgress, target_for, target_progress

__all__ = [
    "INDICATORS",
    "LEVELS",
    "Indicator",
    "Table",
    "TargetProgress",
    "can_report",
    "default_date",
    "indicator_table",
    "indicator_tables",
    "regions_for",
    "staff_list",
    "target_for",
    "target_progress",
    "top_regions",
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


LEVEL_LABELS = {
    "province": gettext_lazy("by province"),
    "city": gettext_lazy("by city"),
    "county": gettext_lazy("by county"),
    "township": gettext_lazy("by township"),
    "institution": gettext_lazy("by institution"),
}


def indicator_tables(
    user, indicator: str, *, region: Region, levels: list[str], year: int, on: date | None = None
) -> dict[str, Table]:
    """:func:`indicator_table` for several levels at once (e.g. county and institution), from one load of the
    indicator's sources: the level -> table."""
    if indicator not in INDICATORS:
        raise ValueError(f"unknown indicator {indicator!r}")
    if user is not None:
        check_region(user, region)
    for by in levels:
        check_level(region, by)
    spec = INDICATORS[indicator]
    on = default_date(year, on)
    computed = compute_levels(indicator, region, list(levels), year, on)
    targets = {t.measure: t.value for t in Target.objects.filter(region_id=region.code, indicator=indicator, year=year)}
    tables = {}
    for by, frame in computed.items():
        title = gettext("%(indicator)s · %(region)s · %(level)s · %(date)s") % {
            "indicator": spec.label,
            "region": region.name,
            "level": LEVEL_LABELS[by],
            "date": year if spec.per_year else on.isoformat(),
        }
        tables[by] = Table(
            indicator=indicator,
            title=title,
            columns=columns(indicator, by),
            frame=frame,
            target=targets.get(""),
            value_key=spec.value_key,
            unit=str(spec.unit),
            targets=dict(targets),
            meta={"region": region.code, "region_name": region.name, "by": by, "year": year, "on": on.isoformat()},
        )
    return tables


def indicator_table(user, indicator: str, *, region: Region, by: str, year: int, on: date | None = None) -> Table:
    """The indicator per unit of level ``by`` under ``region`` (its children at that level, or institutions; the
    region itself when ``by`` is its own level). Raises PermissionDenied outside the user's scope (``user=None``
    is unscoped, for commands and tasks) and ValueError for an unknown indicator or level."""
    return indicator_tables(user, indicator, region=region, levels=[by], year=year, on=on)[by]


def staff_list(user, *, institution: Institution, on: date) -> Table:
    """The drill-down leaf: the institution's on-duty staff with masked ID numbers, whether their post counts in
    the 持证上岗率, whether they are certified and whether their health check is valid on ``on``."""
    if user is not None:
        check_institution(user, institution)
    type_ids = sources.qualifying_type_ids()
    posts = set(sources.qualifying_posts())
    rows = (
        Employment.objects.filter(on_duty_q(on), institution=institution)
        .annotate(
            certified=sources.certified_exists(on, type_ids),
            checked=sources.checked_exists(on),
        )
        .order_by("person__name", "person_id", "post", "id")
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


def top_regions(user) -> list[Region]:
    """The regions a user's reporting starts from: provinces for platform admins, else the regions of their
    health and HR officer grants (outermost first)."""
    scope = user_scope(user)
    if scope.is_platform_admin:
        return list(Region.objects.filter(level=Region.Level.PROVINCE).order_by("code"))
    regions = RoleGrant.objects.filter(user=user, role__in=REPORTING_ROLES).values("region_id")
    tops = list(Region.objects.filter(pk__in=regions).order_by("level", "code"))
    return [r for r in tops if not any(r is not t and r.code.startswith(t.scope_prefix) for t in tops)]
