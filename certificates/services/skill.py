"""Skill level certificates (职业技能等级证书) for passed, published level results of the exams app.

One certificate per result (achievement key ``skill-result:<id>``), issued by the result's assessment body:
its body code and region enter the 22-character number (``numbering.skill_prefix``). The snapshot carries the
occupation, the level and the direction ("--": the occupations have no 工种 yet); the issuer is the body.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.exams.models import LevelResult
from lms.registry.models import TrainingProvider

from ..models import Certificate, CertificateType, Kind
from .issue import certificate_issue

logger = logging.getLogger(__name__)

NO_DIRECTION = "--"


def skill_type() -> CertificateType | None:
    """The type that certifies skill levels (the first active skill type)."""
    return CertificateType.objects.filter(kind=Kind.SKILL, active=True).order_by("pk").first()


def result_key(result_id: int) -> str:
    return f"skill-result:{result_id}"


def result_certificate(*, result: LevelResult, actor=None, render: bool = True) -> tuple[Certificate, bool]:
    """The skill certificate of a passed, published result (issued if missing); raises ValidationError when the
    result does not earn one or cannot be certified (see ``certificate_issue`` for the holder's checks)."""
    if not result.passed or result.published_at is None:
        raise ValidationError(_("Only a passed and published level result earns a skill level certificate."))
    provider = result.provider
    if provider.kind != TrainingProvider.Kind.ASSESSMENT or not provider.body_code:
        raise ValidationError(
            _("“%(body)s” is not a skill assessment body with a body code: it cannot issue skill certificates.")
            % {"body": provider.name}
        )
    type = skill_type()
    if type is None:
        raise ValidationError(_("No active skill level certificate type is configured."))
    return certificate_issue(
        type=type,
        holder=result.person,
        achievement_key=result_key(result.pk),
        snapshot_fields={"occupation": result.occupation, "level": result.level, "direction": NO_DIRECTION},
        actor=actor,
        issued_on=timezone.localdate(result.published_at),
        provider=provider,
        render=render,
    )


def skill_certificate_for_result(*, result_id: int) -> Certificate | None:
    """Issue the skill certificate of a level result (idempotent; the task's service).

    Returns None (and logs why) when the result does not exist or earns no certificate, so that the task does
    not retry a refusal."""
    result = LevelResult.objects.select_related("person", "provider", "provider__region").filter(pk=result_id).first()
    if result is None:
        logger.warning("level result %s not found: no skill certificate", result_id)
        return None
    try:
        certificate, _created = result_certificate(result=result)
    except ValidationError as exc:
        logger.info("no skill certificate for level result %s: %s", result_id, "; ".join(exc.messages))
        return None
    return certificate
