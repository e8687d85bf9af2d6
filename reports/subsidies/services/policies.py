"""Policies, their amounts, and the working-day calendar: edited by HR officers (their region) and platform admins."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from lms.learning.choices import Occupation
from lms.registry import audit

from .. import selectors
from ..models import PolicyRate, SubsidyPolicy, WorkingDayOverride

POLICY_FIELDS = (
    "name",
    "subsidy_type",
    "region",
    "effective_from",
    "effective_to",
    "accepts_training_certificates",
    "accepts_skill_certificates",
    "claim_window_months",
    "min_insured_months",
    "first_assessment_only",
    "once_per_occupation",
    "forbid_lower_level",
    "yearly_limit_total",
    "yearly_limit_type",
    "self_claim_allowed",
    "publicity_working_days",
    "active",
    "notes",
)


def _authorize(actor, region) -> None:
    if actor is not None and not selectors.policy_regions_for(actor).filter(pk=region.pk).exists():
        raise PermissionDenied(_("You may not set subsidy policies for this region."))


def _validated_rates(rates) -> list[tuple[str, int, Decimal]]:
    seen, rows = set(), []
    for occupation, level, amount in rates:
        if occupation not in Occupation.values or not 0 <= int(level) <= 5:
            raise ValidationError(_("Unknown occupation or level in the amounts."))
        if (occupation, int(level)) in seen:
            raise ValidationError(_("Each occupation and level may have one amount only."))
        if Decimal(amount) <= 0:
            raise ValidationError(_("Amounts must be positive."))
        seen.add((occupation, int(level)))
        rows.append((occupation, int(level), Decimal(amount)))
    return rows


@transaction.atomic
def policy_save(*, policy: SubsidyPolicy, rates, actor=None) -> SubsidyPolicy:
    """Create or update ``policy`` (an unsaved or changed instance) and replace its amounts with ``rates``
    (``[(occupation, level, amount), …]``)."""
    _authorize(actor, policy.region)
    if policy.pk:
        stored = SubsidyPolicy.objects.select_for_update().get(pk=policy.pk)
        _authorize(actor, stored.region)
    policy.full_clean()
    rows = _validated_rates(rates)
    created = policy.pk is None
    policy.save()
    policy.rates.all().delete()
    PolicyRate.objects.bulk_create(
        [PolicyRate(policy=policy, occupation=o, level=level, amount=a) for o, level, a in rows]
    )
    data = {k: str(v) for k, v in model_to_dict(policy, fields=POLICY_FIELDS).items()}
    data["rates"] = [[o, level, str(a)] for o, level, a in rows]
    audit.record(policy, "subsidies.policy.create" if created else "subsidies.policy.update", actor=actor, **data)
    return policy


@transaction.atomic
def workday_set(*, day: date, working: bool, note: str = "", actor=None) -> WorkingDayOverride:
    """Mark ``day`` as a holiday (``working=False``) or a 调休 working day; a day set back to what its weekday
    says is removed. Platform admins and HR officers."""
    if actor is not None and not selectors.can_review(actor):
        raise PermissionDenied(_("You may not change the working-day calendar."))
    override, _created = WorkingDayOverride.objects.update_or_create(
        day=day, defaults={"working": working, "note": note.strip()[:60]}
    )
    audit.record(override, "subsidies.workday.set", actor=actor, working=working, note=override.note)
    if working == (day.weekday() < 5):
        override.delete()
    return override
