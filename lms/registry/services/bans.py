"""Recording lifetime bans (终身禁入)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import audit
from ..events import person_banned
from ..models import Ban, Person


@transaction.atomic
def person_ban(*, person: Person, reason: str, decided_on: date, decided_by: str, actor=None) -> Ban:
    """Record a lifetime ban once; other apps react to ``person_banned`` after commit."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the ban.")})
    ban, created = Ban.objects.get_or_create(
        person=person,
        defaults={"reason": reason.strip(), "decided_on": decided_on, "decided_by": decided_by, "recorded_by": actor},
    )
    if created:
        audit.record(ban, "registry.person.ban", actor=actor, decided_on=str(decided_on))
        transaction.on_commit(lambda: person_banned.send(sender=Ban, person_id=person.pk, ban_id=ban.pk))
    return ban
