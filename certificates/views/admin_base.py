"""A read-only Wagtail ModelViewSet: listing, inspect and history only (the rows are written by services)."""

from __future__ import annotations

from django.contrib.admin.utils import quote
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail.admin.admin_url_finder import ModelAdminURLFinder, NullAdminURLFinder
from wagtail.admin.viewsets.model import ModelViewSet


class InspectURLFinder(ModelAdminURLFinder):
    """Objects without an edit view are found at their inspect page (e.g. from the site history report)."""

    inspect_url_name = None

    def get_edit_url(self, instance):
        if self.user and not self.permission_policy.user_has_permission_for_instance(self.user, "view", instance):
            return None
        return reverse(self.inspect_url_name, args=(quote(instance.pk),))


class ReadOnlyModelViewSet(ModelViewSet):
    """A ModelViewSet with only the listing, inspect and history views (rows are written by services)."""

    inspect_view_enabled = True
    copy_view_enabled = False
    search_backend_name = None  # ORM search
    history_enabled = True

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(add_url_name=None, edit_url_name=None, delete_url_name=None, usage_url_name=None)
        if not self.history_enabled:
            view_kwargs["history_url_name"] = None
        return view_kwargs

    @cached_property
    def url_finder_class(self):
        if not self.inspect_view_enabled:
            return NullAdminURLFinder
        return type(
            "InspectURLFinder",
            (InspectURLFinder,),
            {"inspect_url_name": self.get_url_name("inspect"), "permission_policy": self.permission_policy},
        )

    def get_urlpatterns(self):
        patterns = [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]
        if self.inspect_view_enabled:
            patterns.append(path("inspect/<str:pk>/", self.inspect_view, name="inspect"))
        if self.history_enabled:
            patterns += [
                path("history/<str:pk>/", self.history_view, name="history"),
                path("history-results/<str:pk>/", self.history_results_view, name="history_results"),
            ]
        return patterns

    def get_permissions_to_register(self):
        return []  # rights come from registry roles, not from Django permissions
