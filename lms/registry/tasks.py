"""Celery tasks: thin wrappers that take ids and call one service."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def roster_import_commit(roster_id: int) -> dict:
    roster = services.roster_commit(roster_id=roster_id)
    return {"status": roster.status, "created": roster.created_count, "updated": roster.updated_count}


@shared_task
def purge_stale_roster_uploads() -> int:
    return services.purge_stale_uploads()
