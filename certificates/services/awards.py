"""Competition award certificates (竞赛获奖证书) for the prize winners of a published skill competition.

One certificate per awarded entry (achievement key ``competition-entry:<id>``), issued in the name of the
competition's organizers (``issuer``), dated the day the results were published, numbered ``HJ…`` like every
award certificate. The snapshot carries the competition's title, the award's Chinese label (一等奖, 二等奖, 三等奖:
frozen like every label of a certificate), the award code, the track and its occupation.

The competitions app announces a publication with ``lms.competitions.events.competition_results_published``; the
receiver queues :func:`award_certificates_for_competition` in a task after commit.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.competitions.models import Competition, Entry

from ..models import Certificate, CertificateType, Kind
from .issue import certificate_issue

logger = logging.getLogger(__name__)

AWARD_TYPE_CODE = "award"
# The label printed on the certificate, in the platform language and frozen with the snapshot (not translated
# through gettext: a later edit of the translations must never change an issued certificate).
AWARD_LABELS = {"first": "一等奖", "second": "二等奖", "third": "三等奖"}


def award_type() -> CertificateType | None:
    """The active type of competition award certificates (kind AWARD, code ``award``)."""
    return CertificateType.objects.filter(kind=Kind.AWARD, code=AWARD_TYPE_CODE, active=True).first()


def entry_key(entry_id: int) -> str:
    return f"competition-entry:{entry_id}"


def entry_certificate(*, entry: Entry, actor=None, render: bool = True) -> tuple[Certificate, bool]:
    """The award certificate of an entry that won a prize in a published competition (issued if missing).

    Returns ``(certificate, created)``; raises ValidationError when the competition's results are not published,
    the entry won no prize or no award type is active (and ``BannedHolder`` for a banned contestant)."""
    competition = entry.competition
    if competition.status != Competition.Status.PUBLISHED or competition.published_at is None:
        raise ValidationError(_("Award certificates are issued only once the competition's results are published."))
    if entry.status != Entry.Status.APPROVED or entry.award not in AWARD_LABELS:
        raise ValidationError(_("Only a contestant who won a prize earns an award certificate."))
    type = award_type()
    if type is None:
        raise ValidationError(_("No active competition award certificate type is configured."))
    return certificate_issue(
        type=type,
        holder=entry.person,
        achievement_key=entry_key(entry.pk),
        snapshot_fields={
            "competition_title": competition.title,
            "award": entry.award,
            "award_label": AWARD_LABELS[entry.award],
            "track": entry.track.name,
            "occupation": entry.track.occupation,
            "issuer": competition.organizer,
        },
        actor=actor,
        issued_on=timezone.localdate(competition.published_at),
        render=render,
    )


def award_certificates_for_competition(*, competition_id: int) -> int:
    """Issue the award certificates of a published competition's prize winners (idempotent: the task's service).

    Returns how many were issued now. A competition that is missing or unpublished issues nothing; an entry that
    cannot be certified (e.g. its contestant is banned) is logged and skipped, so that the task does not retry
    a refusal and the other winners still get theirs."""
    competition = Competition.objects.filter(pk=competition_id).first()
    if competition is None or competition.status != Competition.Status.PUBLISHED:
        logger.warning("competition %s not found or not published: no award certificates", competition_id)
        return 0
    entries = (
        Entry.objects.filter(competition=competition, status=Entry.Status.APPROVED, award__in=list(AWARD_LABELS))
        .select_related("competition", "track", "person")
        .order_by("track__sort_order", "rank", "pk")
    )
    issued = 0
    for entry in entries:
        try:
            _certificate, created = entry_certificate(entry=entry)
        except ValidationError as exc:
            logger.info("no award certificate for competition entry %s: %s", entry.pk, "; ".join(exc.messages))
            continue
        issued += created
    return issued


def award_certificates_catch_up() -> int:
    """The award certificates still missing in every published competition (``manage.py issue_certificates``,
    after an outage of the task queue); returns how many were issued."""
    published = Competition.objects.filter(status=Competition.Status.PUBLISHED).values_list("pk", flat=True)
    return sum(award_certificates_for_competition(competition_id=pk) for pk in published)
