"""Who may change which statistics inputs (the admin screens of ``reports.views.admin_config``).

* targets: platform admins everywhere; health officers for their region and every region below it;
* child counts: platform admins everywhere; health officers for institutions in their regions; institution
  admins for their own institutions;
* the indicators' configuration (qualifying posts and certificate types, staff ratios): platform admins only.

A county officer never sees nor changes another county's targets or child counts.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from lms.registry.models import Institution, Region, Role
from lms.registry.selectors import user_scope

from ..models import ChildCount, Target


def _within(field: str, prefixes) -> Q:
    """Rows whose region code ``field`` starts with one of ``prefixes`` (none: no rows)."""
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in prefixes), Q(pk__in=[]))


def _health_prefixes(user) -> tuple[str, ...] | None:
    """The region prefixes of the user's health-officer grants; None = everywhere (platform admin)."""
    scope = user_scope(user)
    if scope.is_platform_admin:
        return None
    return tuple(scope.region_prefixes.get(Role.HEALTH_OFFICER, ()))


def can_configure(user) -> bool:
    """Whether the user may change what the indicators count (platform admins)."""
    return user_scope(user).is_platform_admin


def can_set_targets(user) -> bool:
    prefixes = _health_prefixes(user)
    return prefixes is None or bool(prefixes)


def target_regions(user) -> QuerySet[Region]:
    """The regions the user may set targets for."""
    prefixes = _health_prefixes(user)
    regions = Region.objects.order_by("code")
    return regions if prefixes is None else regions.filter(_within("code", prefixes))


def targets_for(user) -> QuerySet[Target]:
    """The targets the user may see and change (by the region code they reference)."""
    prefixes = _health_prefixes(user)
    targets = Target.objects.all()
    # region__code is the foreign key's own column (it references the code): no join
    return targets if prefixes is None else targets.filter(_within("region__code", prefixes))


def can_record_child_counts(user) -> bool:
    scope = user_scope(user)
    return scope.is_platform_admin or bool(scope.institution_ids) or bool(_health_prefixes(user))


def child_count_institutions(user) -> QuerySet[Institution]:
    """The institutions whose child counts the user may record."""
    scope = user_scope(user)
    institutions = Institution.objects.order_by("name", "pk")
    if scope.is_platform_admin:
        return institutions
    return institutions.filter(
        Q(pk__in=scope.institution_ids) | _within("region__code", scope.region_prefixes.get(Role.HEALTH_OFFICER, ()))
    )


def child_counts_for(user) -> QuerySet[ChildCount]:
    """The child counts the user may see and correct."""
    if user_scope(user).is_platform_admin:
        return ChildCount.objects.all()
    return ChildCount.objects.filter(institution__in=child_count_institutions(user).order_by())
