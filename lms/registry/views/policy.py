"""Wagtail permission policy and view mixins backed by ``selectors`` (the one place for scoping)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from .. import selectors


class ScopedPermissionPolicy(BasePermissionPolicy):
    """Model-level rights from ``selectors.CAPABILITIES``, row-level rights from ``selectors.visible``."""

    def user_has_permission(self, user, action):
        return selectors.can(user, action, self.model)

    def user_has_any_permission(self, user, actions):
        return any(selectors.can(user, action, self.model) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return selectors.can_on(user, action, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(selectors.can_on(user, action, instance) for action in actions)

    def instances_user_has_permission_for(self, user, action):
        return selectors.visible(user, self.model, action)

    def instances_user_has_any_permission_for(self, user, actions):
        qs = self.model._default_manager.none()
        for action in actions:
            qs = qs | selectors.visible(user, self.model, action)
        return qs

    def users_with_any_permission(self, actions):
        roles = [
            role
            for role, models in selectors.CAPABILITIES.items()
            if any(a in models.get(self.model, ()) for a in actions)
        ]
        return get_user_model().objects.filter(Q(is_superuser=True) | Q(role_grants__role__in=roles)).distinct()


class ScopedObjectMixin:
    """Refuse a single-object view when the row is outside the user's scope for ``object_action``.

    A row the user may not even see is "not found" (404), so that ids typed by hand reveal nothing;
    a visible row the user may not take ``object_action`` on is "permission denied".
    """

    object_action = "view"

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        user = self.request.user
        if not selectors.can_on(user, "view", obj):
            raise Http404
        if self.object_action != "view" and not selectors.can_on(user, self.object_action, obj):
            raise PermissionDenied
        return obj


class ScopedIndexView(generic.IndexView):
    def get_base_queryset(self):
        return selectors.visible(self.request.user, self.model, "view")


class ServiceFormMixin:
    """Turn a service's ValidationError into form errors instead of a server error."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            return self.form_invalid(form)


class ScopedEditView(ServiceFormMixin, ScopedObjectMixin, generic.EditView):
    object_action = "change"


class ScopedCreateView(ServiceFormMixin, generic.CreateView):
    pass


class ScopedDeleteView(ScopedObjectMixin, generic.DeleteView):
    object_action = "delete"


class ScopedInspectView(ScopedObjectMixin, generic.InspectView):
    object_action = "view"


class ScopedHistoryView(ScopedObjectMixin, history.HistoryView):
    object_action = "view"
    any_permission_required = ["view", "add", "change", "delete"]


class ScopedUsageView(ScopedObjectMixin, usage.UsageView):
    object_action = "view"


class ScopedModelViewSet(ModelViewSet):
    """A ModelViewSet whose every view is scoped by ``selectors``."""

    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_class = ScopedInspectView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    inspect_view_enabled = True
    copy_view_enabled = False
    search_backend_name = None  # ORM search over search_fields

    @property
    def permission_policy(self):
        return ScopedPermissionPolicy(self.model)
