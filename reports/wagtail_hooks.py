"""The reports back office in the Wagtail admin: the "Statistics" menu (dashboard, monthly report packs) and the
"Statistics settings" menu (targets, child counts; qualifying posts, certificate types and staff ratios)."""

from wagtail import hooks

from .views.admin import StatisticsGroup
from .views.admin_config import register_config_menu


@hooks.register("register_admin_viewset")
def register_statistics_viewsets():
    return StatisticsGroup()


hooks.register("register_admin_viewset", register_config_menu)
