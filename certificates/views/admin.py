"""Wagtail admin: the scoped certificate listing, the inspect page (frozen snapshot, verifications, audit
history) and the history view. Certificates are issued only by ``certificates.services``: there is no create,
edit or delete view. Status changes (revoke, suspend, reinstate) live in :mod:`.admin_status`.

Scoping: a user lists and inspects ``selectors.certificates_for(user)``; a certificate outside it is "not
found" (404), like registry rows (``lms.registry.views.policy``).
"""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import registry as log_registry
from wagtail.permission_policies.base import BasePermissionPolicy

from lms.registry import crypto
from lms.registry.models import TrainingProvider
from lms.registry.selectors import can_see_full_personal_data
from lms.registry.validators import normalize
from lms.registry.views.viewsets import choice_column

from .. import selectors
from ..models import Certificate, CertificateType
from ..selectors import admin as admin_scope
from ..services import certificate_verify_url
from .admin_base import ReadOnlyModelViewSet

# --- permissions ---------------------------------------------------------------------------------------------------


class CertificatePermissionPolicy(BasePermissionPolicy):
    """Back-office users view the certificates of their scope; nobody adds, changes or deletes them here."""

    def user_has_permission(self, user, action):
        return action == "view" and admin_scope.can_see_certificates(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return action == "view" and selectors.certificates_for(user).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_permission_for(self, user, action):
        return selectors.certificates_for(user) if action == "view" else Certificate.objects.none()

    def instances_user_has_any_permission_for(self, user, actions):
        return self.instances_user_has_permission_for(user, "view" if "view" in actions else "")

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return get_user_model().objects.filter(Q(is_superuser=True) | Q(role_grants__isnull=False)).distinct()


def visible_certificate(request, pk) -> Certificate:
    """The certificate if ``request.user`` may see it, else 404 (ids typed by hand reveal nothing)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    certificate = selectors.certificates_for(request.user).select_related("signing_key", "provider").filter(pk=pk)
    certificate = certificate.first()
    if certificate is None:
        raise Http404
    return certificate


class ScopedCertificateMixin:
    def get_object(self, queryset=None):
        return visible_certificate(self.request, self.kwargs[getattr(self, "pk_url_kwarg", "pk")])


# --- listing -------------------------------------------------------------------------------------------------------


def _issuers(request):
    """Providers that issued certificates the user sees (the issuer filter's choices)."""
    if request is None:
        return TrainingProvider.objects.none()
    provider_ids = selectors.certificates_for(request.user).exclude(provider=None).values("provider_id")
    return TrainingProvider.objects.filter(pk__in=provider_ids).order_by("name")


class CertificateFilterSet(WagtailFilterSet):
    type = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Certificate type"), queryset=CertificateType.objects.order_by("kind", "code")
    )
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=Certificate.Status.choices)
    issued_year = django_filters.NumberFilter(
        label=gettext_lazy("Year of issue"), field_name="issued_on", lookup_expr="year"
    )
    provider = django_filters.ModelChoiceFilter(label=gettext_lazy("Issuer"), queryset=_issuers)

    class Meta:
        model = Certificate
        fields = ["type", "status", "issued_year", "provider"]


def _holder(certificate: Certificate) -> str:
    return certificate.snapshot.get("holder_name", "")


def _issuer(certificate: Certificate) -> str:
    return certificate.snapshot.get("issuer", "")


def _zip_checkbox(certificate: Certificate) -> str:
    return format_html(
        '<input type="checkbox" name="id" value="{}" form="certificates-zip-form" aria-label="{}" '
        'data-testid="zip-select">',
        certificate.pk,
        _("Select %(number)s") % {"number": certificate.number},
    )


class CertificateIndexView(generic.IndexView):
    template_name = "certificates/admin/certificate_index.html"

    def get_base_queryset(self):
        return selectors.certificates_for(self.request.user).select_related("type")

    def search_queryset(self, queryset):
        """Number (any part), the holder's name, or an exact ID number through its keyed hash (never decrypted)."""
        if not self.is_searching:
            return queryset
        query = normalize(self.search_query)
        if len(query) == 18 and query[:17].isdigit():
            return queryset.filter(holder__id_number_hash=crypto.lookup_hash(query))
        return queryset.filter(Q(number__icontains=query) | Q(holder__name__icontains=self.search_query.strip()))

    @cached_property
    def can_zip(self) -> bool:
        return admin_scope.can_download_zip(self.request.user)

    @cached_property
    def columns(self):
        columns = super().columns
        if self.can_zip:
            columns = [*columns, Column("zip", label=_("ZIP"), accessor=_zip_checkbox)]
        return columns

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_zip"] = self.can_zip
        context["zip_url"] = reverse("certificate_admin:zip")
        return context


# --- inspect -------------------------------------------------------------------------------------------------------

SNAPSHOT_FIELDS = [
    ("type_name", gettext_lazy("Certificate type")),
    ("id_type", gettext_lazy("ID type")),
    ("occupation_label", gettext_lazy("Occupation")),
    ("direction", gettext_lazy("Direction")),
    ("level_label", gettext_lazy("Level")),
    ("course_title", gettext_lazy("Course")),
    ("hours", gettext_lazy("Hours")),
    ("issuer", gettext_lazy("Issuer")),
    ("issuer_code", gettext_lazy("Issuer code")),
    ("issued_on", gettext_lazy("Issued on")),
]


class CertificateInspectView(ScopedCertificateMixin, generic.InspectView):
    template_name = "certificates/admin/certificate_inspect.html"

    def get_fields(self):
        return []  # the template lays out the snapshot itself

    @cached_property
    def full_data(self) -> bool:
        return can_see_full_personal_data(self.request.user)

    def snapshot_rows(self) -> list[tuple[str, str]]:
        snapshot = self.object.snapshot
        if self.full_data:
            holder = snapshot.get("holder_name_full") or snapshot.get("holder_name", "")
            id_number = self.object.holder.id_number
        else:
            holder = snapshot.get("holder_name", "")
            id_number = snapshot.get("id_number_masked", "")
        rows = [(_("Number"), self.object.number), (_("Holder"), holder)]
        for key, label in SNAPSHOT_FIELDS:
            if key == "id_type":
                rows.append((label, snapshot.get(key) or "-"))
                rows.append((_("ID number"), id_number or "-"))
            else:
                rows.append((label, snapshot.get(key) or "-"))
        expires = self.object.expires_on.isoformat() if self.object.expires_on else _("Does not expire")
        rows.append((_("Expires on"), expires))
        return rows

    def status_rows(self) -> list[tuple[str, str]]:
        c = self.object
        rows = [(_("Status"), c.get_status_display())]
        if c.status == Certificate.Status.REVOKED:
            rows += [
                (_("Revoked at"), f"{c.revoked_at:%Y-%m-%d %H:%M}"),
                (_("Reason"), c.get_revocation_reason_display()),
                (_("Note"), c.revocation_note or "-"),
            ]
        elif c.status == Certificate.Status.SUSPENDED:
            rows += [
                (_("Suspended at"), f"{c.suspended_at:%Y-%m-%d %H:%M}"),
                (_("Reason"), c.get_suspension_reason_display() or "-"),
                (_("Note"), c.suspension_note or "-"),
            ]
        if c.renewed_at:
            rows.append((_("Renewed at"), f"{c.renewed_at:%Y-%m-%d %H:%M}"))
        rows += [
            (_("Signing key"), c.signing_key.kid),
            (_("Status list index"), str(c.status_index)),
            (_("Snapshot digest"), c.digest),
            (_("PDF"), c.pdf_sha256 or _("Not rendered yet")),
        ]
        return rows

    @cached_property
    def header_buttons(self):
        buttons = [
            HeaderButton(
                _("History"),
                url=reverse("certificate_admin:history", args=[self.object.pk]),
                icon_name="history",
                priority=50,
            )
        ]
        if not selectors.can_manage(self.request.user, self.object):
            return buttons
        status = self.object.status
        actions = [
            ("revoke", _("Revoke"), "cross", status != Certificate.Status.REVOKED),
            ("suspend", _("Suspend"), "warning", status == Certificate.Status.VALID),
            ("reinstate", _("Reinstate"), "tick", status == Certificate.Status.SUSPENDED),
        ]
        for priority, (name, label, icon, shown) in enumerate(actions):
            if shown:
                buttons.append(
                    HeaderButton(
                        label,
                        url=reverse(f"certificate_admin:{name}", args=[self.object.pk]),
                        icon_name=icon,
                        attrs={"data-testid": f"action-{name}"},
                        priority=10 + priority,
                    )
                )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certificate = self.object
        context.update(
            certificate=certificate,
            snapshot_rows=self.snapshot_rows(),
            status_rows=self.status_rows(),
            full_data=self.full_data,
            verification_count=certificate.verifications.count(),
            verify_url=certificate_verify_url(certificate),
            log_entries=self.log_entries(),
        )
        return context

    def log_entries(self) -> list[dict]:
        """The certificate's audit entries, newest first (reasons as labels)."""
        entries = log_registry.get_logs_for_instance(self.object).select_related("user").order_by("-timestamp")
        rows = []
        for entry in entries[:50]:
            data = entry.data or {}
            reason = data.get("reason", "")
            rows.append(
                {
                    "timestamp": entry.timestamp,
                    "message": entry.message,
                    "user": entry.user_display_name if entry.user_id else _("System"),
                    "reason": Certificate.Reason(reason).label if reason in Certificate.Reason.values else "",
                    "note": data.get("note", ""),
                }
            )
        return rows


class CertificateHistoryView(ScopedCertificateMixin, history.HistoryView):
    any_permission_required = ["view"]


# --- the viewset ---------------------------------------------------------------------------------------------------


class CertificateViewSet(ReadOnlyModelViewSet):
    model = Certificate
    name = "certificate_admin"
    url_prefix = "certificates"
    icon = "doc-full-inverse"
    menu_label = gettext_lazy("Certificates")
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    history_view_class = CertificateHistoryView
    filterset_class = CertificateFilterSet
    list_display = [
        "number",
        Column("holder_name", label=gettext_lazy("Holder"), accessor=_holder),
        "type",
        choice_column(Certificate, "status"),
        "issued_on",
        "expires_on",
        Column("issuer", label=gettext_lazy("Issuer"), accessor=_issuer),
    ]
    search_fields = ["number"]
    list_per_page = 50

    @property
    def permission_policy(self):
        return CertificatePermissionPolicy(Certificate)

    def get_urlpatterns(self):
        from . import admin_status, admin_zip

        return [
            *super().get_urlpatterns(),
            path("revoke/<int:pk>/", admin_status.revoke, name="revoke"),
            path("suspend/<int:pk>/", admin_status.suspend, name="suspend"),
            path("reinstate/<int:pk>/", admin_status.reinstate, name="reinstate"),
            path("zip/", admin_zip.selected_zip, name="zip"),
        ]
