from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "lms.learning"
    label = "learning"
    verbose_name = _("Training")

    def ready(self):
        from lms.registry import audit

        from . import receivers  # noqa: F401  (subscribes to registry events)
        from .audit_actions import ACTIONS

        audit.register_actions(ACTIONS)
