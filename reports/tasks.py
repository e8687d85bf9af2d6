"""Celery tasks of the reports app: thin, idempotent, safe to retry."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.db import OperationalError

from . import packs


class PacksIncomplete(RuntimeError):
    """Some regions' packs failed: the task is retried, and the retry builds only the missing ones."""


@shared_task(
    autoretry_for=(OperationalError, OSError, PacksIncomplete),
    retry_backoff=60,
    max_retries=5,
    acks_late=True,
)
def build_monthly_packs_task(month: str | None = None) -> dict:
    """The report packs of ``month`` (ISO date of any day in it; default the month just ended), scheduled in
    CELERY_BEAT_SCHEDULE for the 1st of each month."""
    result = packs.packs_build_month(month=date.fromisoformat(month) if month else None)
    if result["failed"]:
        raise PacksIncomplete(", ".join(result["failed"]))
    return result
