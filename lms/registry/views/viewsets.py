"""Wagtail admin viewsets for the registry: the one back office for regions, institutions,
providers, people, employments, health checks and role grants."""

from __future__ import annotations

from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup

from .. import crypto, selectors, services
from ..models import Employment, HealthCheck, Institution, Person, Region, RoleGrant, TrainingProvider
from ..services.people import UNCHANGED
from ..validators import normalize
from . import forms
from .policy import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedEditView,
    ScopedIndexView,
    ScopedInspectView,
    ScopedModelViewSet,
)


def choice_column(model, field: str) -> Column:
    """A listing column that shows a choice field's label (公办) rather than its stored value."""
    return Column(
        field,
        label=capfirst(model._meta.get_field(field).verbose_name),
        accessor=f"get_{field}_display",
        sort_key=field,
    )


def choice_exports(model, *fields: str) -> dict:
    """Export headings for ``get_<field>_display`` columns (labels, not stored values, in exports)."""
    return {f"get_{f}_display": capfirst(model._meta.get_field(f).verbose_name) for f in fields}


class RegionViewSet(ScopedModelViewSet):
    model = Region
    icon = "site"
    list_display = ["name", "code", choice_column(Region, "level"), "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    form_fields = ["code", "name", "level", "parent"]
    ordering = ["code"]
    list_per_page = 50


class InstitutionViewSet(ScopedModelViewSet):
    model = Institution
    icon = "home"
    list_display = [
        "name",
        "credit_code",
        choice_column(Institution, "kind"),
        "region",
        "capacity",
        choice_column(Institution, "filing_status"),
    ]
    list_filter = ["kind", "filing_status"]
    list_export = [
        "name",
        "credit_code",
        "get_kind_display",
        "region",
        "address",
        "capacity",
        "get_filing_status_display",
        "filed_on",
    ]
    export_headings = choice_exports(Institution, "kind", "filing_status")
    search_fields = ["name", "credit_code", "region__name"]
    form_fields = ["name", "credit_code", "kind", "region", "address", "capacity", "filing_status", "filed_on"]
    list_per_page = 50

    def get_form_class(self, for_update=False):
        return type(
            "InstitutionForm",
            (forms.ScopedChoicesForm,),
            {
                "Meta": type("Meta", (), {"model": Institution, "fields": self.form_fields}),
            },
        )


class TrainingProviderViewSet(ScopedModelViewSet):
    model = TrainingProvider
    icon = "group"
    list_display = ["name", choice_column(TrainingProvider, "kind"), "body_code", "credit_code", "region"]
    list_filter = ["kind"]
    search_fields = ["name", "body_code", "credit_code"]
    form_fields = ["name", "kind", "body_code", "credit_code", "region"]

    def get_form_class(self, for_update=False):
        return type(
            "ProviderForm",
            (forms.ScopedChoicesForm,),
            {
                "Meta": type("Meta", (), {"model": TrainingProvider, "fields": self.form_fields}),
            },
        )


# --- people ---------------------------------------------------------------------------------------


class PersonIndexView(ScopedIndexView):
    def search_queryset(self, queryset):
        """An exact ID number (or phone) is found through its keyed hash; otherwise search names."""
        if not self.is_searching:
            return queryset
        query = normalize(self.search_query)
        if len(query) == 18:
            return queryset.filter(id_number_hash=crypto.lookup_hash(query))
        return queryset.filter(Q(name__icontains=self.search_query) | Q(id_number_masked__endswith=query))


class PersonCreateView(ScopedCreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.person_register(
            name=data["name"],
            id_number=data["id_number"],
            phone=data["phone"],
            photo=data.get("photo"),
            actor=self.request.user,
        )


class PersonEditView(ScopedEditView):
    def save_instance(self):
        data = self.form.cleaned_data
        photo = data["photo"] if "photo" in self.form.changed_data else UNCHANGED
        return services.person_update(
            person=self.object,
            name=data["name"],
            id_number=data["id_number"] or None,
            phone=data["phone"] or None,
            photo=photo,
            actor=self.request.user,
        )


class PersonInspectView(ScopedInspectView):
    extra_labels = {"employments": _("Employments"), "health_checks": _("Health checks")}

    def get_field_label(self, field_name, field):
        if field_name in self.extra_labels:
            return self.extra_labels[field_name]
        return super().get_field_label(field_name, field)

    def get_id_number_masked_display_value(self):
        if selectors.can_see_full_personal_data(self.request.user):
            return self.object.id_number
        return self.object.id_number_masked

    def get_phone_masked_display_value(self):
        if selectors.can_see_full_personal_data(self.request.user):
            return self.object.phone or "-"
        return self.object.phone_masked or "-"

    def get_employments_display_value(self):
        rows = selectors.visible(self.request.user, Employment).filter(person=self.object).select_related("institution")
        return (
            "; ".join(
                f"{e.institution} · {e.get_post_display()} · {e.start_date:%Y-%m-%d}–{e.end_date or ''}" for e in rows
            )
            or "-"
        )

    def get_health_checks_display_value(self):
        checks = self.object.health_checks.all()[:3]
        return "; ".join(f"{c.checked_on:%Y-%m-%d} → {c.valid_until:%Y-%m-%d}" for c in checks) or "-"


class PersonViewSet(ScopedModelViewSet):
    model = Person
    icon = "user"
    index_view_class = PersonIndexView
    add_view_class = PersonCreateView
    edit_view_class = PersonEditView
    inspect_view_class = PersonInspectView
    list_display = ["name", "id_number_masked", choice_column(Person, "gender"), "birth_date", "phone_masked"]
    list_filter = ["gender"]
    list_export = ["name", "id_number_masked", "get_gender_display", "birth_date", "phone_masked"]
    export_headings = choice_exports(Person, "gender")
    search_fields = ["name"]
    inspect_view_fields = [
        "name",
        "id_number_masked",
        "gender",
        "birth_date",
        "phone_masked",
        "photo",
        "employments",
        "health_checks",
    ]
    list_per_page = 50

    def get_form_class(self, for_update=False):
        return forms.PersonForm


# --- employments -------------------------------------------------------------------------------


class EmploymentCreateView(ScopedCreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        employment, _created = services.employment_register(
            institution=data["institution"],
            name=data["name"],
            id_number=data["id_number"],
            phone=data["phone"],
            post=data["post"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            actor=self.request.user,
        )
        return employment


class EmploymentEditView(ScopedEditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.employment_update(
            employment=self.object,
            post=data["post"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            actor=self.request.user,
        )


class EmploymentIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("person", "institution")


class EmploymentViewSet(ScopedModelViewSet):
    model = Employment
    icon = "form"
    index_view_class = EmploymentIndexView
    add_view_class = EmploymentCreateView
    edit_view_class = EmploymentEditView
    list_display = ["person", "institution", choice_column(Employment, "post"), "start_date", "end_date"]
    list_filter = {"post": ["exact"], "end_date": ["isnull"], "start_date": ["gte", "lte"]}
    list_export = ["person", "institution", "get_post_display", "start_date", "end_date"]
    export_headings = choice_exports(Employment, "post")
    search_fields = ["person__name", "institution__name"]
    list_per_page = 50

    def get_form_class(self, for_update=False):
        return forms.EmploymentEditForm if for_update else forms.EmploymentCreateForm


class HealthCheckCreateView(ScopedCreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        check, _created = services.health_check_record(
            person=data["person"],
            checked_on=data["checked_on"],
            certificate_number=data["certificate_number"],
            issued_by=data["issued_by"],
            actor=self.request.user,
        )
        return check


class HealthCheckViewSet(ScopedModelViewSet):
    model = HealthCheck
    icon = "doc-full"
    add_view_class = HealthCheckCreateView
    list_display = ["person", "checked_on", "valid_until", "certificate_number"]
    list_filter = {"checked_on": ["gte", "lte"]}
    search_fields = ["person__name", "certificate_number"]

    def get_form_class(self, for_update=False):
        return forms.HealthCheckForm


# --- roles ----------------------------------------------------------------------------------------


class RoleGrantCreateView(ScopedCreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.role_grant(
            user=data["user"],
            role=data["role"],
            region=data.get("region"),
            institution=data.get("institution"),
            provider=data.get("provider"),
            actor=self.request.user,
        )


class RoleGrantDeleteView(ScopedDeleteView):
    def delete_action(self):
        services.role_revoke(grant=self.object, actor=self.request.user)


class RoleGrantViewSet(ScopedModelViewSet):
    model = RoleGrant
    icon = "key"
    add_view_class = RoleGrantCreateView
    delete_view_class = RoleGrantDeleteView
    list_display = ["user", choice_column(RoleGrant, "role"), "region", "institution", "provider", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    form_fields = ["user", "role", "region", "institution", "provider"]


class RegistryGroup(ViewSetGroup):
    menu_label = _("Workforce registry")
    menu_icon = "group"
    menu_order = 200
    items = (
        RegionViewSet("regions"),
        InstitutionViewSet("institutions"),
        TrainingProviderViewSet("providers"),
        PersonViewSet("people"),
        EmploymentViewSet("employments"),
        HealthCheckViewSet("health_checks"),
        RoleGrantViewSet("role_grants"),
    )
