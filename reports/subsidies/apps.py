from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "reports.subsidies"
    label = "subsidies"
    verbose_name = _("Subsidy claims")

    def ready(self):
        from lms.registry import audit

        from . import receivers  # noqa: F401  (deletes subsidy data with the registry demo)
        from .audit_actions import ACTIONS

        audit.register_actions(ACTIONS)
