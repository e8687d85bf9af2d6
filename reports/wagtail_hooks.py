"""The reports back office in the Wagtail admin: one "Statistics" menu (dashboard, monthly report packs)."""

from wagtail import hooks

from .views.admin import StatisticsGroup


@hooks.register("register_admin_viewset")
def register_statistics_viewsets():
    return StatisticsGroup()
