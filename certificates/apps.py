from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from lms.learning import prerequisites
        from lms.registry import audit

        from . import receivers  # noqa: F401  (subscribes to learning and registry events)
        from .audit_actions import ACTIONS
        from .selectors import holds_valid_certificate

        audit.register_actions(ACTIONS)
        # Courses that require a certificate ask this app (lms may not import certificates).
        prerequisites.register_certificate_check(holds_valid_certificate)
