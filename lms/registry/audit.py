"""Audit trail: every write that matters is recorded in Wagtail's log (ModelLogEntry).

Entries appear in the admin's object history and the site history report. Only masked personal
data ever goes into an entry (object labels use the masked ID number).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import get_active_log_context, log
from wagtail.models import ModelLogEntry

from . import bulk_insert

# action id -> (label, past-tense message); registered with Wagtail in wagtail_hooks.py
ACTIONS = {
    "registry.person.register": (_("Register person"), _("Registered person")),
    "registry.person.update": (_("Update person"), _("Updated person")),
    "registry.person.link_user": (_("Link login"), _("Linked login")),
    "registry.person.ban": (_("Record lifetime ban"), _("Recorded lifetime ban")),
    "registry.employment.register": (_("Register employment"), _("Registered employment")),
    "registry.employment.update": (_("Update employment"), _("Updated employment")),
    "registry.health_check.record": (_("Record health check"), _("Recorded health check")),
    "registry.role.grant": (_("Grant role"), _("Granted role")),
    "registry.role.revoke": (_("Revoke role"), _("Revoked role")),
    "registry.roster.preview": (_("Preview roster"), _("Previewed roster")),
    "registry.roster.commit": (_("Import roster"), _("Imported roster")),
}


def register_actions(actions: dict) -> None:
    """Let another app add its audit actions (call from its AppConfig.ready)."""
    ACTIONS.update(actions)


def record(instance: Model, action: str, *, actor=None, **data) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unregistered audit action {action!r}")
    log(instance, action, user=actor if actor and actor.is_authenticated else None, data=data or None)


def record_many(instances: Sequence[Model], action: str, *, actor=None, data: Callable[[Model], dict]) -> None:
    """``record`` for many instances of one model in one bulk insert (``data(instance) -> dict``): the same
    entries, for bulk writes such as certificate issuance batches."""
    if action not in ACTIONS:
        raise ValueError(f"unregistered audit action {action!r}")
    if not instances:
        return
    context = get_active_log_context()
    user = actor if actor is not None and actor.is_authenticated else context.user
    shared = context.uuid or uuid.uuid4()
    content_type = ContentType.objects.get_for_model(instances[0], for_concrete_model=False)
    now = timezone.now()
    bulk_insert.insert_rows(
        ModelLogEntry,
        [
            {
                "content_type_id": content_type.pk,
                "label": str(instance),
                "action": action,
                "timestamp": now,
                "data": data(instance),
                "user_id": user.pk if user is not None else None,
                "uuid": shared,
                "object_id": str(instance.pk),
            }
            for instance in instances
        ],
    )
