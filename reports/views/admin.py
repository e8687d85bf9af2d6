"""The admin menu "Statistics": the dashboard and the monthly report packs, shown to users who may report
(health and HR officers, platform admins; ``statistics.can_report``)."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from ..selectors import statistics as stats
from . import dashboard, packs


class ReporterMenuItem(MenuItem):
    def is_shown(self, request):
        return stats.can_report(request.user)


class _ReporterViewSet(ViewSet):
    menu_item_class = ReporterMenuItem

    @cached_property
    def menu_url(self):
        return reverse(f"{self.name}:index")


class DashboardViewSet(_ReporterViewSet):
    name = "reports_dashboard"
    url_prefix = "statistics"
    icon = "table"
    menu_label = _("Indicator dashboard")

    def get_urlpatterns(self):
        return [
            path("", dashboard.dashboard, name="index"),
            path("export/<slug:kind>/", dashboard.export, name="export"),
            path("institutions/<int:pk>/", dashboard.staff, name="staff"),
            path("institutions/<int:pk>/export/", dashboard.staff_export, name="staff_export"),
        ]


class PacksViewSet(_ReporterViewSet):
    name = "reports_packs"
    url_prefix = "report-packs"
    icon = "download"
    menu_label = _("Monthly report packs")

    def get_urlpatterns(self):
        return [
            path("", packs.pack_list, name="index"),
            path("<int:pk>/download/", packs.pack_download, name="download"),
        ]


class StatisticsGroup(ViewSetGroup):
    menu_label = _("Statistics")
    menu_icon = "table"
    menu_name = "statistics"
    menu_order = 260
    items = (DashboardViewSet(), PacksViewSet())
