"""Crediting training hours (immutable, idempotent ledger entries)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction

from ..models import HoursEntry


def hours_credit(
    *,
    person_id: int,
    key: str,
    hours: Decimal,
    kind: str,
    source: str,
    occurred_on: date,
    course_id: int | None = None,
    note: str = "",
    actor=None,
) -> tuple[HoursEntry, bool]:
    """Write the ledger entry identified by ``key`` once; returns (entry, created)."""
    existing = HoursEntry.objects.filter(key=key).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            entry = HoursEntry.objects.create(
                person_id=person_id,
                key=key,
                hours=hours,
                kind=kind,
                source=source,
                occurred_on=occurred_on,
                year=occurred_on.year,
                course_id=course_id,
                note=note[:200],
                created_by=actor if actor is not None and actor.is_authenticated else None,
            )
    except IntegrityError:  # the same credit committed concurrently
        return HoursEntry.objects.get(key=key), False
    return entry, True
