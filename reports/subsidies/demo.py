"""Demo subsidy data (``manage.py seed_demo_subsidies``) and its removal with the registry demo."""

from __future__ import annotations

from django.db import transaction

from .models import (
    Claim,
    ClaimBatch,
    InsuranceRecord,
    Objection,
    PayableSlot,
    PayeeAccount,
    PersonYearCounter,
    PolicyRate,
    SubsidyPolicy,
    WorkingDayOverride,
)


@transaction.atomic
def reset_subsidies() -> dict[str, int]:
    """Delete every subsidy row (policies and the working-day calendar included)."""
    order = (
        Objection,
        PayableSlot,
        Claim,
        ClaimBatch,
        PersonYearCounter,
        InsuranceRecord,
        PayeeAccount,
        PolicyRate,
        SubsidyPolicy,
        WorkingDayOverride,
    )
    return {f"subsidies_{model._meta.model_name}": model.objects.all().delete()[0] for model in order}
