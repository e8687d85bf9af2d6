from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "reports.subsidies"
    label = "subsidies"
    verbose_name = _("Subsidy claims")
