"""Celery tasks: thin wrappers that take ids and call one service (idempotent, safe to retry)."""

from celery import shared_task
from django.db import OperationalError

from . import services
from .services.awards import award_certificates_for_competition
from .services.skill import skill_certificate_for_result

RETRY = {"autoretry_for": (OperationalError, OSError), "retry_backoff": True, "max_retries": 5, "acks_late": True}


@shared_task(**RETRY)
def issue_for_completion_task(completion_id: int) -> int | None:
    certificate = services.issue_for_completion(completion_id=completion_id)
    return certificate.pk if certificate else None


@shared_task(**RETRY)
def render_pdf_task(certificate_id: int, force: bool = False) -> str | None:
    certificate = services.certificate_pdf_render(certificate_id=certificate_id, force=force)
    return certificate.pdf_sha256 if certificate else None


@shared_task(**RETRY, ignore_result=True)
def render_pdfs_task(certificate_ids: list[int]) -> None:
    """Render several certificates' PDFs (bulk issuance queues one task per chunk); rendered ones are skipped,
    so a retry after a worker died mid-chunk only renders the rest."""
    for certificate_id in certificate_ids:
        services.certificate_pdf_render(certificate_id=certificate_id)


@shared_task(**RETRY)
def batch_issue_task(batch_id: int) -> dict:
    batch = services.batch_issue_run(batch_id=batch_id)
    return {"done": batch.done, "issued": batch.issued, "failed": batch.failed}


@shared_task(acks_late=True)
def renewal_reminders_task() -> dict:
    return services.renewals_and_reminders_run()


@shared_task(**RETRY)
def issue_for_level_result_task(result_id: int) -> int | None:
    certificate = skill_certificate_for_result(result_id=result_id)
    return certificate.pk if certificate else None


@shared_task(**RETRY)
def issue_for_competition_task(competition_id: int) -> int:
    """The award certificates of a published competition (idempotent); returns how many were issued now."""
    return award_certificates_for_competition(competition_id=competition_id)
