"""Targets per region, indicator and year, and child counts per institution: validated, audited writes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lms.registry import audit
from lms.registry.models import Institution, Region

from ..models import ChildCount, Target
from ..selectors.indicators import INDICATORS, columns


@transaction.atomic
def target_set(
    *,
    region: Region,
    indicator: str,
    year: int,
    value: Decimal,
    target_date: date | None = None,
    measure: str = "",
    from_year: int | None = None,
    source: str = "",
    actor=None,
) -> Target:
    """Create or change the target of ``indicator`` (column ``measure``, "" = its main figure) for ``region`` and
    ``year``, reached by ``target_date`` (default 31 December of the year); ``from_year`` makes it cumulative."""
    if indicator not in INDICATORS:
        raise ValidationError({"indicator": _("Unknown indicator.")})
    if measure and measure not in {key for key, _label in columns(indicator, "county")}:
        raise ValidationError({"measure": _("This indicator has no such figure.")})
    if value < 0 or (INDICATORS[indicator].unit == "%" and value > 100):
        raise ValidationError({"value": _("Give a value between 0 and 100 for a rate, or a positive number.")})
    if from_year is not None and from_year > year:
        raise ValidationError({"from_year": _("The first year counted cannot be after the target year.")})
    target, created = Target.objects.update_or_create(
        region_id=region.code,
        indicator=indicator,
        measure=measure,
        year=year,
        defaults={
            "value": value,
            "target_date": target_date or date(year, 12, 31),
            "from_year": from_year,
            "source": source,
        },
    )
    audit.record(
        target,
        "reports.target.set",
        actor=actor,
        region=region.code,
        indicator=indicator,
        measure=measure,
        year=year,
        value=str(value),
        created=created,
    )
    return target


@transaction.atomic
def target_delete(*, target: Target, actor=None) -> None:
    audit.record(target, "reports.target.delete", actor=actor, region=target.region_id, indicator=target.indicator)
    target.delete()


@transaction.atomic
def child_count_record(
    *, institution: Institution, counted_on: date, infants: int, younger: int, older: int, actor=None
) -> ChildCount:
    """Record (or correct) the children enrolled in ``institution`` on ``counted_on``, by group."""
    if min(infants, younger, older) < 0:
        raise ValidationError(_("Child counts cannot be negative."))
    count, _created = ChildCount.objects.update_or_create(
        institution=institution,
        counted_on=counted_on,
        defaults={"infants": infants, "younger": younger, "older": older},
    )
    audit.record(
        count,
        "reports.child_count.record",
        actor=actor,
        institution=institution.pk,
        counted_on=counted_on.isoformat(),
        infants=infants,
        younger=younger,
        older=older,
    )
    return count


@transaction.atomic
def child_count_delete(*, count: ChildCount, actor=None) -> None:
    """Remove a child count recorded by mistake (e.g. on the wrong date)."""
    audit.record(
        count,
        "reports.child_count.delete",
        actor=actor,
        institution=count.institution_id,
        counted_on=count.counted_on.isoformat(),
    )
    count.delete()
