"""Bulk issuance from the admin: an IssuanceBatch processed in chunks by a Celery task, with a progress bar.

Each chunk is issued in bulk (``completions_certify``) in one transaction that also advances
``done``/``issued``/``failed``; a worker that dies mid-chunk loses only that chunk's uncommitted work, and
running the batch again continues after the last committed chunk. Issuance is idempotent, so even a chunk
processed twice issues nothing twice.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.learning.models import CourseCompletion, CoursePage
from lms.registry import audit

from ..models import IssuanceBatch
from .completions import completions_certify
from .issue import HOLDER_FIELDS

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500  # certificates per committed step (one progress update, ~0.5 s of work)
MAX_ERRORS = 200  # errors kept on the batch (the counters keep counting)


@transaction.atomic
def batch_create(*, completion_ids, actor=None) -> IssuanceBatch:
    """A batch that certifies these course completions; its task is queued after commit."""
    ids = list(dict.fromkeys(int(pk) for pk in completion_ids))
    if not ids:
        raise ValidationError(_("Choose at least one course completion."))
    batch = IssuanceBatch.objects.create(
        source=IssuanceBatch.Source.COMPLETION,
        item_ids=ids,
        total=len(ids),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit.record(batch, "certificates.batch.create", actor=actor, total=len(ids))
    from ..tasks import batch_issue_task

    transaction.on_commit(lambda: batch_issue_task.delay(batch.pk), robust=True)
    return batch


def _chunk_run(batch_id: int, chunk_size: int) -> bool:
    """Process the next chunk; False when the batch is complete."""
    with transaction.atomic():
        batch = IssuanceBatch.objects.select_for_update().get(pk=batch_id)
        if batch.done >= batch.total:
            return False
        ids = batch.item_ids[batch.done : batch.done + chunk_size]
        # only what a certificate reads (fewer fields to load and set on 2 x chunk_size instances)
        completions = (
            CourseCompletion.objects.select_related("person")
            .only("course_id", "hours", "completed_at", *(f"person__{f}" for f in HOLDER_FIELDS))
            .in_bulk(ids)
        )
        # the few distinct courses once each, not one page instance per completion
        courses = CoursePage.objects.in_bulk({c.course_id for c in completions.values()})
        for completion in completions.values():
            completion.course = courses[completion.course_id]
        present = [pk for pk in ids if pk in completions]
        outcomes = completions_certify(completions=[completions[pk] for pk in present], actor=batch.created_by)
        issued = sum(outcome.created for outcome in outcomes)
        errors = [
            {"item": pk, "error": _("The course completion no longer exists.")} for pk in ids if pk not in completions
        ]
        errors += [
            {"item": pk, "error": o.error} for pk, o in zip(present, outcomes, strict=True) if o.certificate is None
        ]
        room = max(0, MAX_ERRORS - len(batch.errors))
        IssuanceBatch.objects.filter(pk=batch_id).update(
            done=F("done") + len(ids),
            issued=F("issued") + issued,
            failed=F("failed") + len(errors),
            errors=batch.errors + errors[:room],
        )
    return True


def batch_issue_run(*, batch_id: int, chunk_size: int = CHUNK_SIZE) -> IssuanceBatch:
    """Run (or continue) a batch to the end, one committed chunk at a time."""
    now = timezone.now()
    IssuanceBatch.objects.filter(pk=batch_id, started_at__isnull=True).update(started_at=now)
    IssuanceBatch.objects.filter(pk=batch_id).exclude(status=IssuanceBatch.Status.FINISHED).update(
        status=IssuanceBatch.Status.RUNNING
    )
    try:
        while _chunk_run(batch_id, chunk_size):
            pass
    except Exception:
        IssuanceBatch.objects.filter(pk=batch_id).update(status=IssuanceBatch.Status.FAILED)
        logger.exception("issuance batch %s stopped", batch_id)
        raise
    with transaction.atomic():
        batch = IssuanceBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status != IssuanceBatch.Status.FINISHED:
            batch.status = IssuanceBatch.Status.FINISHED
            batch.finished_at = timezone.now()
            batch.save(update_fields=["status", "finished_at"])
            audit.record(
                batch, "certificates.batch.finish", issued=batch.issued, failed=batch.failed, total=batch.total
            )
    return batch
