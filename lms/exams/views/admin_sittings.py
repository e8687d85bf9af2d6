"""Wagtail admin: exam sittings (in the Exams menu), and the pages around one sitting.

* The viewset lists, creates and edits sittings through the scoping of ``selectors.sittings`` (provider staff:
  their providers' sittings only; platform admins: all); its forms offer only the user's providers, blueprints and
  courses, and save through ``services.sittings.sitting_save`` (nothing is written when it refuses).
* Per sitting (``admin_sittings_pages``): the management page (schedule, close, publish results, ratio warnings,
  rooms and proctors, candidates with approval, extra time and room), the proctor's live view (a table refreshed
  every 10 s) and the marking queue of short answers.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.widgets import ListingButton

from lms.learning.selectors.classroom import courses_for_sessions
from lms.registry.models import TrainingProvider
from lms.registry.selectors import user_scope

from ..models import Sitting
from ..selectors import sittings as selectors
from ..services import sittings as services
from . import admin_bank_policy as bank_policy
from . import admin_sittings_pages as pages
from .admin_bank_views import ScopedEditView, ScopedIndexView, ScopedViewSet, add_errors


def sitting_policy() -> bank_policy.ScopedPolicy:
    return bank_policy.ScopedPolicy(
        Sitting,
        rows=lambda user, action: selectors.sittings_for(user),
        owner=lambda sitting: sitting.provider_id,
        provider_actions={"view", "add", "change"},  # sittings with attempts are records: platform admins delete
    )


class SittingForm(WagtailAdminModelForm):
    """Choices limited to the user's (Wagtail's ``for_user``) providers, blueprints and courses."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        scope = user_scope(user)
        providers = TrainingProvider.objects.all()
        if not scope.is_platform_admin:
            providers = providers.filter(pk__in=scope.provider_ids)
        self.fields["provider"].queryset = providers.order_by("name")
        self.fields["blueprint"].queryset = selectors.blueprints_for(user).order_by("name")
        self.fields["course"].queryset = courses_for_sessions(user).order_by("title")
        if len(scope.provider_ids) == 1 and not self.instance.pk and not scope.is_platform_admin:
            self.fields["provider"].initial = scope.provider_ids[0]


class SittingSaveMixin:
    """Save through ``services.sittings.sitting_save``; its refusals land on the form."""

    def form_valid(self, form):
        try:
            self.object = services.sitting_save(sitting=form.save(commit=False), actor=self.request.user)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Sitting “%(title)s” saved.") % {"title": self.object.title})
        return redirect("exams_sitting_manage", pk=self.object.pk)


class SittingCreateView(SittingSaveMixin, generic.CreateView):
    pass


class SittingEditView(SittingSaveMixin, ScopedEditView):
    pass


class SittingIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(candidate_count=Count("candidates")).order_by("-opens_at")

    def get_list_more_buttons(self, instance):
        return [
            ListingButton(_("Manage"), url=reverse("exams_sitting_manage", args=[instance.pk]), icon_name="cog",
                          attrs={"data-testid": "sitting-manage"}, priority=5),
            ListingButton(_("Live view"), url=reverse("exams_sitting_live", args=[instance.pk]), icon_name="view",
                          priority=10),
            ListingButton(_("Marking"), url=reverse("exams_sitting_marking", args=[instance.pk]), icon_name="edit",
                          priority=15),
            *super().get_list_more_buttons(instance),
        ]  # fmt: skip


class SittingViewSet(ScopedViewSet):
    model = Sitting
    policy_factory = staticmethod(sitting_policy)
    icon = "time"
    menu_label = gettext_lazy("Exam sittings")
    menu_order = 200
    url_prefix = "exams/sittings"
    name = "exams_sittings"
    index_view_class = SittingIndexView
    add_view_class = SittingCreateView
    edit_view_class = SittingEditView
    list_display = ["title", "provider", "status", "opens_at", "closes_at",
                    Column("candidate_count", label=gettext_lazy("Candidates")), "published_at"]  # fmt: skip
    list_filter = ["status", "eligibility"]
    search_fields = ["title"]
    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("provider"), FieldPanel("blueprint")]),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
        FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("grace_seconds")]),
        FieldRowPanel([FieldPanel("eligibility"), FieldPanel("course")]),
        FieldRowPanel([FieldPanel("attempts_allowed"), FieldPanel("retake_wait_days")]),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=SittingForm).bind_to_model(Sitting)


@hooks.register("register_admin_viewset")
def register_sitting_viewset():
    return SittingViewSet()


@hooks.register("register_admin_urls")
def register_sitting_pages():
    return [
        path("exams/sittings/<int:pk>/manage/", pages.manage_view, name="exams_sitting_manage"),
        path("exams/sittings/<int:pk>/live/", pages.live_view, name="exams_sitting_live"),
        path("exams/sittings/<int:pk>/marking/", pages.marking_view, name="exams_sitting_marking"),
    ]
