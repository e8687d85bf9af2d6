"""Wagtail admin: rubrics, practical sessions (panel, candidates), skill level results — in the Exams menu.

* Rubrics (操作技能评分表) with their criteria inline; saved only when the criteria add up to 100 points, and the
  criteria and pass mark of a rubric already used for marking never change.
* Sessions are scheduled and edited through ``services.practical``; each has a page for its panel and candidates
  (recusal and panel errors shown on the form) and one for its level results (decide, publish) —
  ``admin_practical_pages``.
* Level results are read-only here (decided and published from the session's results page).

Scoping: ``selectors.practical`` (provider staff: their providers' rows; the platform's rubrics to view).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.widgets import ListingButton

from .. import scoring
from ..models import LevelResult, PracticalSession, Rubric
from ..selectors import practical as sel
from ..services import practical as svc
from . import admin_practical_pages as pages
from .admin_bank_forms import ProviderScopedForm
from .admin_bank_policy import ScopedObjectMixin, ScopedPolicy
from .admin_bank_views import ScopedEditView, ScopedIndexView, ScopedViewSet, ServiceSaveMixin

# --- permissions ------------------------------------------------------------------------------------------------


class ReadOnlyPolicy(ScopedPolicy):
    """Rows to view only (writes go through the pages that call the services)."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


def rubric_policy() -> ScopedPolicy:
    return ScopedPolicy(
        Rubric, rows=sel.rubrics_for, owner=lambda r: r.provider_id, provider_actions={"view", "add", "change"}
    )


def session_policy() -> ScopedPolicy:
    return ScopedPolicy(
        PracticalSession,
        rows=sel.practical_sessions_for,
        owner=lambda s: s.provider_id,
        provider_actions={"view", "add", "change"},
    )


def result_policy() -> ReadOnlyPolicy:
    return ReadOnlyPolicy(LevelResult, rows=sel.level_results_for, owner=lambda r: r.provider_id)


# --- rubrics ----------------------------------------------------------------------------------------------------


class RubricForm(ProviderScopedForm):
    """Checks the criteria as they will be saved: they add up to 100; an in-use rubric's marking rules are fixed."""

    def is_valid(self):
        if not super().is_valid():
            return False
        formset = self.formsets["criteria"]
        kept = [
            form
            for form in formset.forms
            if not formset._should_delete_form(form) and (form.instance.pk or form.has_changed())
        ]
        points = [form.cleaned_data["max_points"] for form in kept if form.cleaned_data.get("max_points")]
        if scoring.rubric_problem(points) or len(points) != len(kept):
            self.add_error(
                None,
                _("The criteria must add up to %(full)s points (now %(total)s).")
                % {"full": scoring.FULL_SCORE, "total": scoring.rubric_total(points)},
            )
            return False
        rules_changed = formset.has_changed() or "pass_mark" in self.changed_data
        if rules_changed and self.instance.pk and sel.rubric_in_use(self.instance):
            self.add_error(
                None, _("Examiners have marked with this rubric: its criteria and pass mark can no longer change.")
            )
            return False
        return True


class RubricViewSet(ScopedViewSet):
    model = Rubric
    policy_factory = staticmethod(rubric_policy)
    icon = "list-ol"
    menu_label = gettext_lazy("Practical rubrics")
    menu_order = 300
    url_prefix = "exams/rubrics"
    name = "exams_rubrics"
    list_display = [
        "name",
        Column("provider", label=gettext_lazy("Training provider"), accessor=lambda r: r.provider or _("Platform")),
        "occupation",
        "level",
        "pass_mark",
        "active",
    ]
    list_filter = ["occupation", "level", "active"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("provider"), FieldPanel("occupation"), FieldPanel("level")]),
        FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("active")]),
        InlinePanel(
            "criteria",
            heading=gettext_lazy("Criteria (adding up to 100 points)"),
            label=gettext_lazy("Criterion"),
            min_num=1,
            panels=[FieldRowPanel([FieldPanel("title"), FieldPanel("max_points")]), FieldPanel("description")],
        ),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=RubricForm).bind_to_model(Rubric)


# --- sessions ---------------------------------------------------------------------------------------------------


class SessionForm(ProviderScopedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "rubric" in self.fields and self.for_user is not None:
            self.fields["rubric"].queryset = sel.rubrics_for(self.for_user).filter(active=True)


class SessionCreateView(ServiceSaveMixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return svc.practical_session_create(
            **{name: data[name] for name in ("rubric", "provider", "title", "place", "starts_at")},
            aggregation=data["aggregation"],
            disagreement_points=data["disagreement_points"],
            actor=self.request.user,
        )


class SessionEditView(ServiceSaveMixin, ScopedEditView):
    def save_instance(self):
        if "provider" in self.form.changed_data:
            raise ValidationError({"provider": _("The provider of a session cannot change.")})
        data = self.form.cleaned_data
        changes = {name: data[name] for name in svc.UPDATABLE if name in data}
        return svc.practical_session_update(session=self.form.instance, actor=self.request.user, **changes)


class SessionIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(
                examiner_count=Count("examiners", distinct=True), candidate_count=Count("candidates", distinct=True)
            )
        )

    def get_list_more_buttons(self, instance):
        return [
            ListingButton(
                _("Panel and candidates"),
                url=reverse("exams_practical_panel", args=[instance.pk]),
                icon_name="group",
                attrs={"data-testid": "session-panel"},
                priority=5,
            ),
            ListingButton(
                _("Level results"),
                url=reverse("exams_practical_results", args=[instance.pk]),
                icon_name="tasks",
                attrs={"data-testid": "session-results"},
                priority=6,
            ),
            *super().get_list_more_buttons(instance),
        ]


class PracticalSessionViewSet(ScopedViewSet):
    model = PracticalSession
    policy_factory = staticmethod(session_policy)
    icon = "group"
    menu_label = gettext_lazy("Practical sessions")
    menu_order = 310
    url_prefix = "exams/practical-sessions"
    name = "exams_practical_sessions"
    index_view_class = SessionIndexView
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView
    list_display = [
        "title",
        "provider",
        "rubric",
        "starts_at",
        "status",
        Column("examiner_count", label=gettext_lazy("Examiners")),
        Column("candidate_count", label=gettext_lazy("Candidates")),
    ]
    list_filter = ["status"]
    search_fields = ["title", "place"]
    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("provider"), FieldPanel("rubric")]),
        FieldRowPanel([FieldPanel("place"), FieldPanel("starts_at")]),
        FieldRowPanel([FieldPanel("aggregation"), FieldPanel("disagreement_points")]),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=SessionForm).bind_to_model(PracticalSession)


# --- level results ----------------------------------------------------------------------------------------------


class ResultInspectView(ScopedObjectMixin, generic.InspectView):
    pass


class LevelResultViewSet(ScopedViewSet):
    model = LevelResult
    policy_factory = staticmethod(result_policy)
    icon = "success"
    menu_label = gettext_lazy("Skill level results")
    menu_order = 400
    url_prefix = "exams/level-results"
    name = "exams_level_results"
    inspect_view_enabled = True
    inspect_view_class = ResultInspectView
    list_display = [
        "person",
        "occupation",
        "level",
        "theory_score",
        "practical_score",
        "review_score",
        "passed",
        "published_at",
    ]
    list_filter = ["passed", "occupation", "level"]
    inspect_view_fields = [
        "person",
        "occupation",
        "level",
        "provider",
        "theory_score",
        "practical_score",
        "review_score",
        "passed",
        "decided_at",
        "published_at",
    ]
    form_fields = ["review_score"]  # never editable (read-only policy); required by ModelViewSet


@hooks.register("register_admin_viewset")
def register_practical_viewsets():
    return [RubricViewSet(), PracticalSessionViewSet(), LevelResultViewSet()]


@hooks.register("register_admin_urls")
def register_practical_urls():
    return [
        path("exams/practical-sessions/<int:pk>/panel/", pages.panel_view, name="exams_practical_panel"),
        path("exams/practical-sessions/<int:pk>/results/", pages.results_view, name="exams_practical_results"),
    ]
