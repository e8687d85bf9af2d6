from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "lms.exams"
    label = "exams"
    verbose_name = _("Exams and assessments")

    def ready(self):
        from lms.registry import audit

        from . import receivers  # noqa: F401  (subscribes to registry events)
        from .audit_actions import ACTIONS

        audit.register_actions(ACTIONS)
