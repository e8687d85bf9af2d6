"""Admin for platform admins (superusers) only: signing keys (list, rotate, withdraw) and certificate types.

The key page shows the key id, status and dates, never key material: the queries load neither the sealed
private key nor the public key (the public keys are published at /.well-known/jwks.json anyway).
Rotation and withdrawal go through ``services.key_rotate`` / ``services.key_withdraw`` (audited there).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from lms.registry.views.viewsets import choice_column

from .. import services
from ..forms import CertificateTypeCreateForm, CertificateTypeForm, KeyRotateForm, KeyWithdrawForm
from ..models import CertificateType, SigningKey
from ..selectors import admin as admin_scope

KEY_FIELDS = ("kid", "status", "created_at", "activated_at", "rotated_at", "withdrawn_at")


def _require_platform_admin(request) -> None:
    if not admin_scope.is_platform_admin(request.user):
        raise PermissionDenied


def keys_for_page():
    """The keys with their dates and how many certificates each signed; no key material is loaded."""
    return SigningKey.objects.only(*KEY_FIELDS).annotate(signed=Count("certificates")).order_by("-created_at", "-id")


def keys_index(request):
    _require_platform_admin(request)
    return TemplateResponse(
        request,
        "certificates/admin/keys.html",
        {"keys": keys_for_page(), "jwks_url": reverse("certificates:jwks"), "withdrawn": SigningKey.Status.WITHDRAWN},
    )


def key_rotate(request):
    _require_platform_admin(request)
    form = KeyRotateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        key = services.key_rotate(actor=request.user)
        messages.success(request, _("New signing key %(kid)s is active.") % {"kid": key.kid})
        return redirect("certificate_keys:index")
    active = SigningKey.objects.only(*KEY_FIELDS).filter(status=SigningKey.Status.ACTIVE).first()
    return TemplateResponse(request, "certificates/admin/key_rotate.html", {"form": form, "active": active})


def key_withdraw(request, kid: str):
    _require_platform_admin(request)
    key = SigningKey.objects.only(*KEY_FIELDS).annotate(signed=Count("certificates")).filter(kid=kid).first()
    if key is None:
        raise Http404
    form = KeyWithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if key.status == SigningKey.Status.WITHDRAWN:
            form.add_error(None, _("This key is already withdrawn."))
        else:
            try:
                services.key_withdraw(kid=key.kid, actor=request.user, note=form.cleaned_data["note"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.warning(
                    request,
                    ngettext(
                        "Signing key %(kid)s withdrawn: its %(count)d certificate now verifies as invalid.",
                        "Signing key %(kid)s withdrawn: its %(count)d certificates now verify as invalid.",
                        key.signed,
                    )
                    % {"kid": key.kid, "count": key.signed},
                )
                return redirect("certificate_keys:index")
    return TemplateResponse(request, "certificates/admin/key_withdraw.html", {"form": form, "key": key})


class PlatformAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_scope.is_platform_admin(request.user)


class SigningKeyViewSet(ViewSet):
    name = "certificate_keys"
    url_prefix = "certificate-keys"
    icon = "key"
    menu_label = gettext_lazy("Signing keys")
    menu_item_class = PlatformAdminMenuItem

    @cached_property
    def menu_url(self):
        return reverse("certificate_keys:index")

    def get_urlpatterns(self):
        return [
            path("", keys_index, name="index"),
            path("rotate/", key_rotate, name="rotate"),
            path("withdraw/<str:kid>/", key_withdraw, name="withdraw"),
        ]


# --- certificate types ---------------------------------------------------------------------------------------------


class PlatformAdminPolicy(BasePermissionPolicy):
    """Platform admins view, add and change; nobody deletes (issued certificates refer to their type)."""

    actions = frozenset({"view", "add", "change"})

    def user_has_permission(self, user, action):
        return action in self.actions and admin_scope.is_platform_admin(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)

    def instances_user_has_permission_for(self, user, action):
        qs = self.model._default_manager.all()
        return qs if self.user_has_permission(user, action) else qs.none()

    def instances_user_has_any_permission_for(self, user, actions):
        qs = self.model._default_manager.all()
        return qs if self.user_has_any_permission(user, actions) else qs.none()

    def users_with_any_permission(self, actions):
        if not self.actions & set(actions):
            return get_user_model().objects.none()
        return get_user_model().objects.filter(is_superuser=True, is_active=True)


class CertificateTypeViewSet(ModelViewSet):
    model = CertificateType
    name = "certificate_types"
    url_prefix = "certificate-types"
    icon = "doc-full"
    menu_label = gettext_lazy("Certificate types")
    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None
    list_display = [
        "name",
        "code",
        choice_column(CertificateType, "kind"),
        "number_prefix",
        choice_column(CertificateType, "validity"),
        "validity_years",
        choice_column(CertificateType, "layout"),
        "active",
    ]
    list_filter = ["kind", "active"]
    search_fields = ["name", "code"]

    @property
    def permission_policy(self):
        return PlatformAdminPolicy(CertificateType)

    def get_form_class(self, for_update=False):
        return CertificateTypeForm if for_update else CertificateTypeCreateForm

    def get_permissions_to_register(self):
        return []
