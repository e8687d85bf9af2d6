"""The competitions back office in the Wagtail admin: one "Competitions" menu.

* Competitions — organizers (platform admins, HR and health officers) create and edit the competitions of their
  regions and run them: status buttons, entries, code mapping, stations and judges, quotas
  (``views.admin_competitions``, ``views.admin_run``, ``views.admin_stations``);
* Register contestants — institution admins and provider staff register their people and follow their entries
  (``views.admin_registration``).

Each item shows only to the users who may use it (``views.admin_policy``).
"""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from .views import admin_registration
from .views.admin_competitions import CompetitionViewSet
from .views.admin_policy import is_unit_staff


class RegistrationMenuItem(MenuItem):
    def is_shown(self, request):
        return is_unit_staff(request.user)


class RegistrationViewSet(ViewSet):
    name = "competition_register"
    url_prefix = "competition-registration"
    icon = "user"
    menu_label = _("Register contestants")
    menu_order = 200
    menu_item_class = RegistrationMenuItem

    @cached_property
    def menu_url(self):
        return reverse(f"{self.name}:index")

    def get_urlpatterns(self):
        return [
            path("", admin_registration.register_index, name="index"),
            path("<int:pk>/", admin_registration.register_competition, name="competition"),
        ]


class CompetitionsGroup(ViewSetGroup):
    menu_label = _("Competitions")
    menu_icon = "success"
    menu_name = "competitions"
    menu_order = 340
    items = (CompetitionViewSet(), RegistrationViewSet())


@hooks.register("register_admin_viewset")
def register_competition_viewsets():
    return CompetitionsGroup()
