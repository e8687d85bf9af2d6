"""Training certificates for course completions (one per completion, issued by the course's provider)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.learning.models import CourseCompletion
from lms.learning.selectors import provider_id_of_course
from lms.registry.models import TrainingProvider

from .. import selectors
from ..models import Certificate, CertificateType
from .bulk import Outcome, certificates_issue_many
from .issue import IssueRequest, certificate_issue

logger = logging.getLogger(__name__)


def _training_type() -> CertificateType:
    type = selectors.training_type()
    if type is None:
        raise ValidationError(_("No active training certificate type is configured."))
    return type


def completion_request(completion: CourseCompletion, provider: TrainingProvider | None) -> IssueRequest:
    """What a completion's certificate says: the course (title, hours, occupation, kind) and its provider."""
    course = completion.course
    return IssueRequest(
        holder=completion.person,
        achievement_key=selectors.completion_key(completion.pk),
        snapshot_fields={
            "occupation": course.occupation,
            "course_title": course.title,
            "hours": f"{completion.hours:.1f}",
            "training_kind": course.kind,
        },
        issued_on=timezone.localdate(completion.completed_at),
        provider=provider,
    )


def _providers(completions: Sequence[CourseCompletion]) -> dict[int, TrainingProvider | None]:
    """Course id -> the provider whose catalogue section holds it (one query per distinct course)."""
    ids = {c.course_id: provider_id_of_course(c.course) for c in {c.course_id: c for c in completions}.values()}
    providers = TrainingProvider.objects.select_related("region").in_bulk({pk for pk in ids.values() if pk})
    return {course_id: providers.get(pk) for course_id, pk in ids.items()}


def completion_certificate(
    *, completion: CourseCompletion, actor=None, render: bool = True
) -> tuple[Certificate, bool]:
    """The training certificate of a course completion (issued if missing); raises like ``certificate_issue``."""
    request = completion_request(completion, _providers([completion])[completion.course_id])
    return certificate_issue(
        type=_training_type(),
        holder=request.holder,
        achievement_key=request.achievement_key,
        snapshot_fields=request.snapshot_fields,
        actor=actor,
        issued_on=request.issued_on,
        provider=request.provider,
        render=render,
    )


def completions_certify(*, completions: Sequence[CourseCompletion], actor=None, render: bool = True) -> list[Outcome]:
    """The training certificates of many completions at once (see ``certificates_issue_many``)."""
    if not completions:
        return []
    providers = _providers(completions)
    requests = [completion_request(c, providers[c.course_id]) for c in completions]
    return certificates_issue_many(type=_training_type(), requests=requests, actor=actor, render=render)


def issue_for_completion(*, completion_id: int) -> Certificate | None:
    """Issue the training certificate of a course completion (idempotent).

    Returns None (and logs why) when the completion does not exist, the holder is banned or no training type
    is active, so the task that calls it does not retry a refusal.
    """
    completion = CourseCompletion.objects.select_related("person", "course").filter(pk=completion_id).first()
    if completion is None:
        logger.warning("course completion %s not found: no certificate", completion_id)
        return None
    try:
        certificate, _created = completion_certificate(completion=completion)
    except ValidationError as exc:
        logger.info("no certificate for completion %s: %s", completion_id, "; ".join(exc.messages))
        return None
    return certificate
