"""Issuing many certificates at once (bulk admin action, batches, the catch-up command).

Same rules and the same rows as ``certificate_issue``, at a fraction of the cost per certificate: existing
certificates and bans are read in one query each, numbers and status indexes are allocated in one counter
step per number prefix, rows and audit entries are inserted in bulk, and the PDFs are queued after commit.
If a concurrent worker issues one of the same certificates meanwhile (the unique constraint fires), the
whole group falls back to ``certificate_issue`` one by one, which answers with the other worker's rows.
"""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lms.registry import audit, bulk_insert
from lms.registry.models import Ban

from .. import numbering
from ..models import Certificate, CertificateType
from .counters import counter_next
from .issue import (
    STATUS_INDEX_SCOPE,
    BannedHolder,
    IssueRequest,
    Plan,
    build,
    certificate_issue,
    plan,
    queue_render,
    refuse_if_banned,
    refuse_inactive,
)
from .keys import active_signer

ISSUE_ACTION = "certificates.certificate.issue"


@dataclass(frozen=True)
class Outcome:
    """The result for one request: the certificate (new or already issued), or why there is none."""

    certificate: Certificate | None
    created: bool = False
    error: str = ""


def _insert(type: CertificateType, plans: list[Plan], actor) -> list[Certificate]:
    serials = {}
    # lock the counters in one global order (number prefixes sorted, then the status index): no deadlocks
    for prefix, count in sorted(Tally(p.prefix for p in plans).items()):
        last = counter_next(scope=numbering.counter_scope(prefix), count=count)
        serials[prefix] = iter(range(last - count + 1, last + 1))
    first_index = counter_next(scope=STATUS_INDEX_SCOPE, count=len(plans)) - len(plans)
    key, private = active_signer()
    certificates = [
        build(
            type=type,
            plan=p,
            serial=next(serials[p.prefix]),
            status_index=first_index + i,
            key=key,
            private=private,
            actor=actor,
        )
        for i, p in enumerate(plans)
    ]
    try:
        bulk_insert.insert(certificates)
    except IntegrityError:
        for certificate in certificates:
            if certificate.photo:
                certificate.photo.storage.delete(certificate.photo.name)
        raise
    audit.record_many(certificates, ISSUE_ACTION, actor=actor, data=lambda c: {"number": c.number, "type": type.code})
    return certificates


@transaction.atomic
def certificates_issue_many(
    *, type: CertificateType, requests: Sequence[IssueRequest], actor=None, render: bool = True
) -> list[Outcome]:
    """Issue ``type`` certificates for all ``requests`` (idempotent, like ``certificate_issue``).

    Returns one :class:`Outcome` per request, in order: refusals (banned holder, a number that cannot be made)
    are reported there instead of raised; an inactive type raises ValidationError.
    """
    refuse_inactive(type)
    holder_ids = {r.holder.pk for r in requests}
    existing = {
        (c.holder_id, c.achievement_key): c
        for c in Certificate.objects.filter(
            type=type, holder_id__in=holder_ids, achievement_key__in={r.achievement_key for r in requests}
        )
    }
    banned = set(Ban.objects.filter(person_id__in=holder_ids).values_list("person_id", flat=True))
    outcomes: list[Outcome | None] = [None] * len(requests)
    first_of: dict[tuple, int] = {}
    todo: list[tuple[int, Plan]] = []
    for i, request in enumerate(requests):
        identity = (request.holder.pk, request.achievement_key)
        if identity in existing:
            outcomes[i] = Outcome(existing[identity])
        elif identity in first_of:
            continue  # the same achievement twice in one call: answered below
        else:
            first_of[identity] = i
            try:
                if request.holder.pk in banned:
                    refuse_if_banned(request.holder)
                todo.append((i, plan(type, request)))
            except ValidationError as exc:
                outcomes[i] = Outcome(None, error="; ".join(exc.messages))
    created: list[Certificate] = []
    if todo:
        try:
            with transaction.atomic():
                created = _insert(type, [p for _i, p in todo], actor)
            for (i, _plan), certificate in zip(todo, created, strict=True):
                outcomes[i] = Outcome(certificate, created=True)
        except IntegrityError:  # a concurrent worker got some of them first: one by one
            for i, p in todo:
                r = p.request
                try:
                    certificate, was_created = certificate_issue(
                        type=type,
                        holder=r.holder,
                        achievement_key=r.achievement_key,
                        snapshot_fields=r.snapshot_fields,
                        actor=actor,
                        issued_on=r.issued_on,
                        provider=r.provider,
                        render=False,
                    )
                except (BannedHolder, ValidationError) as exc:
                    outcomes[i] = Outcome(None, error="; ".join(exc.messages))
                    continue
                outcomes[i] = Outcome(certificate, created=was_created)
                if was_created:
                    created.append(certificate)
    for i, request in enumerate(requests):
        if outcomes[i] is None:  # a repeated request: the answer of its first occurrence, not created twice
            first = outcomes[first_of[(request.holder.pk, request.achievement_key)]]
            outcomes[i] = Outcome(first.certificate, error=first.error)
    if render:
        queue_render([c.pk for c in created])
    return outcomes
