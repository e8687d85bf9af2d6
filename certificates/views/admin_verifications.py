"""Admin: the verification log (time, certificate number, result, channel, inspector — never the client).

Platform admins see every row; health and HR officers the verifications of the certificates they manage
(``admin_scope.verifications_for``). There is no inspect page: a row has nothing more to show, and the
hashed client stays out of the admin altogether.
"""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.permission_policies.base import BasePermissionPolicy

from lms.registry.views.viewsets import choice_column

from ..models import VerificationLog
from ..selectors import admin as admin_scope
from .admin_base import ReadOnlyModelViewSet


class VerificationPermissionPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        return action == "view" and admin_scope.can_see_verifications(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return action == "view" and admin_scope.verifications_for(user).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_permission_for(self, user, action):
        return admin_scope.verifications_for(user) if action == "view" else VerificationLog.objects.none()

    def instances_user_has_any_permission_for(self, user, actions):
        return self.instances_user_has_permission_for(user, "view" if "view" in actions else "")

    def users_with_any_permission(self, actions):
        users = get_user_model().objects
        return users.filter(is_superuser=True) if "view" in actions else users.none()


class VerificationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Result"), choices=VerificationLog.Result.choices)
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=VerificationLog.Channel.choices)
    at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = VerificationLog
        fields = ["status", "channel", "at"]


class VerificationIndexView(generic.IndexView):
    def get_base_queryset(self):
        return admin_scope.verifications_for(self.request.user)


def _number(log: VerificationLog) -> str:
    return log.certificate.number if log.certificate_id else "-"


def _inspector(log: VerificationLog) -> str:
    return log.user.get_username() if log.user_id else "-"


class VerificationLogViewSet(ReadOnlyModelViewSet):
    model = VerificationLog
    name = "certificate_verifications"
    url_prefix = "certificate-verifications"
    icon = "search"
    menu_label = _("Verification log")
    inspect_view_enabled = False
    history_enabled = False
    index_view_class = VerificationIndexView
    filterset_class = VerificationFilterSet
    list_display = [
        Column("at", label=_("Time"), accessor="at", sort_key="at"),
        Column("certificate_number", label=_("Certificate number"), accessor=_number),
        choice_column(VerificationLog, "status"),
        choice_column(VerificationLog, "channel"),
        Column("user", label=_("Inspector"), accessor=_inspector),
    ]
    search_fields = ["certificate__number"]
    ordering = "-at"
    list_per_page = 100

    @property
    def permission_policy(self):
        return VerificationPermissionPolicy(VerificationLog)
