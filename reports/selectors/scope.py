"""Who may report on which regions and institutions (built on the registry's scoping), and the row units."""

from __future__ import annotations

from functools import reduce
from operator import or_

import pandas as pd
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from lms.registry.models import Institution, Region, Role
from lms.registry.selectors import user_scope

from .. import frames

LEVELS = ("province", "city", "county", "township", "institution")
AREA_LEVEL = {
    "province": Region.Level.PROVINCE,
    "city": Region.Level.CITY,
    "county": Region.Level.COUNTY,
    "township": Region.Level.TOWNSHIP,
}
LEVEL_NAME = {value: name for name, value in AREA_LEVEL.items()}
REPORTING_ROLES = frozenset({Role.HEALTH_OFFICER, Role.HR_OFFICER})


def _prefixes(user) -> list[str] | None:
    """The region prefixes the user reports on; None = everywhere (platform admin)."""
    scope = user_scope(user)
    if scope.is_platform_admin:
        return None
    return [p for role in REPORTING_ROLES & set(scope.region_prefixes) for p in scope.region_prefixes[role]]


def can_report(user) -> bool:
    """Whether the user may see statistics at all (health and HR officers, platform admins)."""
    prefixes = _prefixes(user)
    return prefixes is None or bool(prefixes)


def regions_for(user) -> QuerySet[Region]:
    """The regions the user may report on: officers their region and everything below; admins all."""
    prefixes = _prefixes(user)
    regions = Region.objects.all()
    if prefixes is None:
        return regions
    return regions.filter(reduce(or_, (Q(code__startswith=p) for p in prefixes), Q(pk__in=[])))


def check_region(user, region: Region) -> None:
    """Raise PermissionDenied unless ``region`` lies inside the user's reporting scope."""
    prefixes = _prefixes(user)
    if prefixes is not None and not any(region.code.startswith(p) for p in prefixes):
        raise PermissionDenied("region outside the user's scope")


def check_institution(user, institution: Institution) -> None:
    """Officers over the institution's region, its own admins and platform admins may see its staff list."""
    scope = user_scope(user)
    if institution.pk in scope.institution_ids:
        return
    prefixes = _prefixes(user)
    if prefixes is None:
        return
    code = Region.objects.filter(pk=institution.region_id).values_list("code", flat=True).first() or ""
    if not any(code.startswith(p) for p in prefixes):
        raise PermissionDenied("institution outside the user's scope")


def check_level(region: Region, by: str) -> None:
    if by not in LEVELS:
        raise ValueError(f"unknown level {by!r}; one of {', '.join(LEVELS)}")
    if by != "institution" and AREA_LEVEL[by] < region.level:
        raise ValueError(f"{by} is above the region's level")


def institutions_frame(region: Region, *, with_names: bool = False) -> pd.DataFrame:
    """Institutions under ``region``: ``institution_id``, ``region_code``; ``with_names`` also ``code`` (credit
    code), ``name`` and ``region_name`` (needed for institution rows)."""
    institutions = Institution.objects.filter(region__code__startswith=region.scope_prefix).order_by()
    if with_names:
        columns = ["institution_id", "region_code", "code", "name", "region_name"]
        rows = institutions.values_list("id", "region__code", "credit_code", "name", "region__name")
    else:
        columns = ["institution_id", "region_code"]
        rows = institutions.values_list("id", "region__code")
    frame = pd.DataFrame.from_records(list(rows), columns=columns)
    frame["institution_id"] = frame["institution_id"].astype("int64")
    return frame


def with_unit(institutions: pd.DataFrame, by: str) -> pd.DataFrame:
    """``institutions`` with ``unit``: their row key at level ``by`` (the institution id, or a region code)."""
    if by == "institution":
        return institutions.assign(unit=institutions["institution_id"])
    return institutions.assign(unit=frames.unit_codes(institutions["region_code"], by))


def units_frame(region: Region, by: str, institutions: pd.DataFrame) -> pd.DataFrame:
    """The rows of a table, in display order: ``unit``, ``id``, ``code``, ``name`` (+ ``region`` by institution).

    Institutions are ordered by region name, name and id (whatever order ``institutions`` comes in).
    Areas: the regions at level ``by`` under ``region`` (the region itself when ``by`` is its level), plus a
    row for institutions registered above a township when listing townships."""
    if by == "institution":
        units = institutions[["unit", "institution_id", "code", "name", "region_name"]].rename(
            columns={"institution_id": "id", "region_name": "region"}
        )
        # by region and name, then id: the same rows always come out in the same order (report packs' hashes)
        return units.sort_values(["region", "name", "id"], kind="stable").reset_index(drop=True)
    level = AREA_LEVEL[by]
    if level == region.level:
        rows = [(region.code, region.pk, region.code, region.name)]
    else:
        rows = list(
            Region.objects.filter(code__startswith=region.scope_prefix, level=level)
            .order_by("code")
            .values_list("code", "id", "code", "name")
        )
    units = pd.DataFrame.from_records(rows, columns=["unit", "id", "code", "name"])
    if by == "township" and (institutions["unit"] == frames.NO_UNIT).any():
        other = pd.DataFrame([{"unit": frames.NO_UNIT, "id": None, "code": "", "name": gettext("Not in a township")}])
        units = pd.concat([units, other], ignore_index=True)
    return units
