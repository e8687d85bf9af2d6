"""Wagtail admin: the "Competitions" menu and the competitions viewset of organizers.

* Organizers (platform admins, HR and health officers; ``admin_policy``) list, create and edit the competitions of
  their regions (``selectors.competitions_for(user, "change")``; another city's competition is a 404), with the
  tracks and rounds inline. A competition whose results are published is no longer saved; tracks with entries
  and rounds with stations are not deleted. Creation and changes are audited
  (``competitions.competition.create`` / ``.update``).
* Each competition has its run pages (``admin_run``, ``admin_stations``): status and buttons, entries, the code
  mapping, stations and judges, unit quotas.
* Institution admins and provider staff have the registration pages instead (``admin_registration``).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton

from lms.registry import audit
from lms.registry.models import Region
from lms.registry.selectors import user_scope

from ..models import Competition
from . import admin_run, admin_stations
from .admin_policy import ORGANIZER_ROLES, CompetitionPolicy, managed_competition


def organizing_regions(user):
    """Provinces and cities the user may organize competitions in."""
    scope = user_scope(user)
    regions = Region.objects.filter(level__in=[Region.Level.PROVINCE, Region.Level.CITY]).order_by("code")
    if scope.is_platform_admin:
        return regions
    prefixes = [p for role, ps in scope.region_prefixes.items() if role in ORGANIZER_ROLES for p in ps]
    q = Q(pk__in=[])
    for prefix in prefixes:
        q |= Q(code__startswith=prefix)
    return regions.filter(q)


class CompetitionForm(WagtailAdminModelForm):
    """Regions limited to the organizer's; dates in order; published competitions, tracks with entries and rounds
    with stations are kept as they are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "region" in self.fields and self.for_user is not None:
            self.fields["region"].queryset = organizing_regions(self.for_user)

    def clean(self):
        data = super().clean()
        if self.instance.pk and Competition.objects.filter(pk=self.instance.pk, status="published").exists():
            raise forms.ValidationError(_("The results of this competition are published: it can no longer change."))
        opens, closes = data.get("registration_opens_on"), data.get("registration_closes_on")
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if opens and closes and opens > closes:
            self.add_error("registration_closes_on", _("Registration must close after it opens."))
        if closes and starts and closes > starts:
            self.add_error("registration_closes_on", _("Registration must close before the competition starts."))
        if starts and ends and starts > ends:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        return data

    def is_valid(self):
        if not super().is_valid():
            return False
        problems = []
        for name, related, message in (
            ("tracks", "entries", _("The track “%(name)s” has entries: it cannot be deleted.")),
            ("rounds", "stations", _("The round “%(name)s” has stations: it cannot be deleted.")),
        ):
            formset = self.formsets[name]
            for form in formset.forms:
                instance = form.instance
                if instance.pk and formset._should_delete_form(form) and getattr(instance, related).exists():
                    problems.append(message % {"name": instance.name})
        for problem in problems:
            self.add_error(None, problem)
        return not problems


class CompetitionCreateView(generic.CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        instance = super().save_instance()
        audit.record(instance, "competitions.competition.create", actor=self.request.user)
        return instance

    def get_success_url(self):
        return reverse("competition_admin:run", args=[self.object.pk])


class ScopedObjectMixin:
    object_action = "change"

    def get_object(self, queryset=None):
        return managed_competition(self.request, int(self.kwargs[self.pk_url_kwarg]))


class CompetitionEditView(ScopedObjectMixin, generic.EditView):
    def save_instance(self):
        instance = super().save_instance()
        if self.has_content_changes:
            changed = sorted(self.form.changed_data) + sorted(
                name for name, formset in self.form.formsets.items() if formset.has_changed()
            )
            audit.record(instance, "competitions.competition.update", actor=self.request.user, changed=changed)
        return instance


class CompetitionDeleteView(ScopedObjectMixin, generic.DeleteView):
    def get_object(self, queryset=None):
        competition = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(self.request.user, "delete", competition):
            raise PermissionDenied
        return competition


class CompetitionHistoryView(HistoryView):
    def get_base_object_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "change")


class CompetitionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            self.permission_policy.instances_user_has_permission_for(self.request.user, "view")
            .select_related("region")
            .annotate(
                entry_count=Count("entries", filter=Q(entries__status__in=["pending", "approved"]), distinct=True)
            )
        )

    def get_list_more_buttons(self, instance):
        return [
            ListingButton(
                _("Run the competition"),
                url=reverse("competition_admin:run", args=[instance.pk]),
                icon_name="cogs",
                attrs={"data-testid": "competition-run"},
                priority=5,
            ),
            ListingButton(
                _("Entries"),
                url=reverse("competition_admin:entries", args=[instance.pk]),
                icon_name="group",
                priority=6,
            ),
            ListingButton(
                _("Stations and judges"),
                url=reverse("competition_admin:stations", args=[instance.pk]),
                icon_name="list-ul",
                priority=7,
            ),
            *super().get_list_more_buttons(instance),
        ]


class CompetitionViewSet(ModelViewSet):
    model = Competition
    icon = "calendar-check"
    menu_label = gettext_lazy("Competitions")
    menu_order = 100
    url_prefix = "competitions"
    name = "competition_admin"
    index_view_class = CompetitionIndexView
    add_view_class = CompetitionCreateView
    edit_view_class = CompetitionEditView
    delete_view_class = CompetitionDeleteView
    history_view_class = CompetitionHistoryView
    copy_view_enabled = False
    inspect_view_enabled = False
    search_backend_name = None
    search_fields = ["title", "organizer"]
    list_filter = ["status", "level", "year"]
    list_display = [
        "title",
        "region",
        "starts_on",
        "status",
        Column("entry_count", label=gettext_lazy("Entries")),
    ]

    @cached_property
    def permission_policy(self):
        return CompetitionPolicy()

    basics = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("level"), FieldPanel("region")]),
        FieldPanel("organizer"),
        FieldRowPanel([FieldPanel("place"), FieldPanel("starts_on"), FieldPanel("ends_on")]),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("registration_opens_on"), FieldPanel("registration_closes_on")])],
            heading=gettext_lazy("Registration"),
        ),
    ]
    scoring = [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("aggregation"), FieldPanel("outlier_points")]), FieldPanel("tie_break")],
            heading=gettext_lazy("Judging and ties"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("first_prize_percent"),
                        FieldPanel("second_prize_percent"),
                        FieldPanel("third_prize_percent"),
                    ]
                ),
                FieldPanel("award_min_total"),
            ],
            heading=gettext_lazy("Prizes"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("organization_awards"), FieldPanel("organization_award_min_prizes")])],
            heading=gettext_lazy("Excellent organization award"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("upgrade_top"), FieldPanel("upgrade_level")])],
            heading=gettext_lazy("Level upgrade"),
        ),
    ]
    structure = [
        InlinePanel(
            "tracks",
            heading=gettext_lazy("Tracks"),
            label=gettext_lazy("Track"),
            panels=[
                FieldRowPanel([FieldPanel("name"), FieldPanel("occupation"), FieldPanel("group")]),
                FieldRowPanel(
                    [
                        FieldPanel("min_years_of_work"),
                        FieldPanel("min_age"),
                        FieldPanel("max_age"),
                        FieldPanel("quota_per_unit"),
                    ]
                ),
            ],
        ),
        InlinePanel(
            "rounds",
            heading=gettext_lazy("Rounds (weights adding up to 100%)"),
            label=gettext_lazy("Round"),
            panels=[
                FieldRowPanel([FieldPanel("name"), FieldPanel("kind"), FieldPanel("weight")]),
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("advance_top")]),
            ],
        ),
    ]

    def get_edit_handler(self):
        return TabbedInterface(
            [
                ObjectList(self.basics, heading=gettext_lazy("Basics")),
                ObjectList(self.scoring, heading=gettext_lazy("Scoring and awards")),
                ObjectList(self.structure, heading=gettext_lazy("Tracks and rounds")),
            ],
            base_form_class=CompetitionForm,
        ).bind_to_model(Competition)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/run/", admin_run.run_view, name="run"),
            path("<int:pk>/entries/", admin_run.entries_view, name="entries"),
            path("<int:pk>/mapping/", admin_run.mapping_view, name="mapping"),
            path("<int:pk>/stations/", admin_stations.stations_view, name="stations"),
            path("<int:pk>/quotas/", admin_stations.quotas_view, name="quotas"),
        ]
