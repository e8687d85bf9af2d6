"""Checks every competitions service makes before it writes: who may, and whether the competition still may change."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ..models import Competition
from ..selectors import can_manage


def check_organizer(actor, competition: Competition) -> None:
    """Only the competition's organizers (its region's HR and health officers, platform admins); ``actor=None`` is
    the system (tasks, the demo)."""
    if actor is not None and not can_manage(actor, competition):
        raise PermissionDenied


def refuse_published(competition: Competition) -> None:
    if competition.status == Competition.Status.PUBLISHED:
        raise ValidationError(
            _("The results of this competition are published: it can no longer change."), code="published"
        )


def refuse_unless_running(competition: Competition) -> None:
    refuse_published(competition)
    if competition.status != Competition.Status.RUNNING:
        raise ValidationError(_("The competition is not under way."), code="not_running")
