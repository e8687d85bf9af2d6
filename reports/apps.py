from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from lms.registry import audit

        from . import receivers  # noqa: F401  (deletes child counts and packs with the registry demo)
        from .audit_actions import ACTIONS

        audit.register_actions(ACTIONS)
