from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitionsConfig(AppConfig):
    name = "lms.competitions"
    label = "competitions"
    verbose_name = _("Skill competitions")

    def ready(self):
        from lms.registry import audit

        from . import receivers  # noqa: F401  (subscribes to registry events)
        from .audit_actions import ACTIONS

        audit.register_actions(ACTIONS)
