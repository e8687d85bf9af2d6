"""Audit trail: every write that matters is recorded in Wagtail's log (ModelLogEntry).

Entries appear in the admin's object history and the site history report. Only masked personal
data ever goes into an entry (object labels use the masked ID number).
"""

from __future__ import annotations

from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

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
