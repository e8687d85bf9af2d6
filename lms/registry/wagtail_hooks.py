from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import audit, selectors
from .views import roster
from .views.viewsets import RegistryGroup


@hooks.register("register_admin_viewset")
def register_registry_viewsets():
    return RegistryGroup()


@hooks.register("register_admin_urls")
def register_roster_urls():
    return [
        path("roster/", roster.roster_upload, name="registry_roster_upload"),
        path("roster/<int:pk>/", roster.roster_detail, name="registry_roster_detail"),
        path("roster/<int:pk>/errors.csv", roster.roster_errors_csv, name="registry_roster_errors"),
        path("roster/template.<str:fmt>", roster.roster_template, name="registry_roster_template"),
    ]


class RosterMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.institutions_for_roster(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_roster_menu_item():
    return RosterMenuItem(_("Import staff roster"), reverse("registry_roster_upload"), icon_name="upload", order=210)


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    for action, (label, message) in audit.ACTIONS.items():
        actions.register_action(action, label, message)
