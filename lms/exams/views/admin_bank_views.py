"""Wagtail admin viewsets of the bank: question banks, questions, blueprints, knowledge areas.

Every listing, edit form and chooser goes through the permission policies of ``admin_bank_policy`` (themselves on
``selectors.bank``): provider staff never see another provider's bank, question or blueprint, nor pick another
provider's bank in a form. Writes of questions go through ``services.bank``; a blueprint is saved only if
``services.blueprints.blueprint_check`` passes on the submitted form (nothing is written otherwise).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton, ListingButton

from ..choices import Difficulty, QuestionType
from ..models import Blueprint, KnowledgeArea, Question, QuestionBank
from ..selectors import bank as selectors
from ..services import bank as bank_services
from ..services.blueprints import blueprint_check
from . import admin_bank_policy as policy
from .admin_bank_forms import BlueprintForm, QuestionBankForm, QuestionForm

EXAMS_MENU_HOOK = "register_exams_menu_item"


def add_errors(form, exc: ValidationError) -> None:
    """A service's ``ValidationError`` on the form (fields it knows, the rest on top)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ScopedIndexView(generic.IndexView):
    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "view")


class ScopedEditView(policy.ScopedObjectMixin, generic.EditView):
    object_action = "change"


class ScopedDeleteView(policy.ScopedObjectMixin, generic.DeleteView):
    object_action = "delete"


class ScopedHistoryView(HistoryView):
    def get_base_object_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "view")


class ScopedViewSet(ModelViewSet):
    """A model viewset in the Exams menu whose rows come from ``policy_factory`` (see ``admin_bank_policy``)."""

    menu_hook = EXAMS_MENU_HOOK
    policy_factory = None
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    copy_view_enabled = False
    inspect_view_enabled = False
    search_backend_name = None

    @cached_property
    def permission_policy(self):
        return type(self).policy_factory()


# --- question banks ------------------------------------------------------------------------------------------


class BankIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(question_count=Count("questions"))

    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                _("Download the question template"),
                url=reverse("exams_bank_template"),
                icon_name="download",
                attrs={"data-testid": "bank-template"},
                priority=20,
            ),
        ]

    def get_list_more_buttons(self, instance):
        buttons = [
            ListingButton(
                _("Questions"),
                url=reverse("exams_questions:index") + f"?bank={instance.pk}",
                icon_name="list-ul",
                priority=5,
            ),
            ListingButton(
                _("Export to XLSX"),
                url=reverse("exams_bank_export", args=[instance.pk]),
                icon_name="download",
                attrs={"data-testid": "bank-export"},
                priority=30,
            ),
        ]
        if self.permission_policy.user_has_permission_for_instance(self.request.user, "change", instance):
            buttons.append(
                ListingButton(
                    _("Import from XLSX"),
                    url=reverse("exams_bank_import", args=[instance.pk]),
                    icon_name="upload",
                    attrs={"data-testid": "bank-import"},
                    priority=25,
                )
            )
        return [*buttons, *super().get_list_more_buttons(instance)]


class QuestionBankViewSet(ScopedViewSet):
    model = QuestionBank
    policy_factory = staticmethod(policy.bank_policy)
    icon = "folder-open-inverse"
    menu_label = gettext_lazy("Question banks")
    menu_order = 100
    url_prefix = "exams/banks"
    name = "exams_banks"
    index_view_class = BankIndexView
    list_display = [
        "name",
        Column("provider", label=gettext_lazy("Training provider"), accessor=lambda b: b.provider or _("Platform")),
        "occupation",
        Column("question_count", label=gettext_lazy("Questions")),
    ]
    list_filter = ["occupation"]
    search_fields = ["name"]
    panels = [FieldPanel("name"), FieldPanel("provider"), FieldPanel("occupation"), FieldPanel("description")]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=QuestionBankForm).bind_to_model(QuestionBank)


# --- questions -----------------------------------------------------------------------------------------------


class QuestionFilterSet(WagtailFilterSet):
    bank = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Question bank"), queryset=lambda request: selectors.banks_for(request.user)
    )
    type = django_filters.ChoiceFilter(label=gettext_lazy("Question type"), choices=QuestionType.choices)
    knowledge_area = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Knowledge area"), queryset=KnowledgeArea.objects.all()
    )
    difficulty = django_filters.ChoiceFilter(label=gettext_lazy("Difficulty"), choices=Difficulty.choices)
    active = django_filters.BooleanFilter(label=gettext_lazy("In use"), widget=forms.NullBooleanSelect)

    class Meta:
        model = Question
        fields = ["bank", "type", "knowledge_area", "difficulty", "level", "active"]


class ServiceSaveMixin:
    """For views whose ``save_instance`` calls a service (validated, audited): a service's ValidationError goes
    back on the form instead of a 500."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)


class QuestionCreateView(ServiceSaveMixin, generic.CreateView):
    def get_initial(self):
        initial = super().get_initial()
        bank = self.request.GET.get("bank")
        if bank and bank.isdigit():
            initial["bank"] = bank
        return initial

    def save_instance(self):
        fields = self.form.question_fields()
        return bank_services.question_create(bank=self.form.cleaned_data["bank"], actor=self.request.user, **fields)


class QuestionEditView(ServiceSaveMixin, ScopedEditView):
    def save_instance(self):
        question = self.form.instance
        if "bank" in self.form.changed_data:
            question.bank = self.form.cleaned_data["bank"]
        self.has_content_changes = self.form.has_changed()
        return bank_services.question_update(question=question, actor=self.request.user, **self.form.question_fields())


def _stem(question) -> str:
    return question.stem if len(question.stem) <= 60 else question.stem[:59] + "…"


class QuestionViewSet(ScopedViewSet):
    model = Question
    policy_factory = staticmethod(policy.question_policy)
    icon = "help"
    menu_label = gettext_lazy("Questions")
    menu_order = 110
    url_prefix = "exams/questions"
    name = "exams_questions"
    add_view_class = QuestionCreateView
    edit_view_class = QuestionEditView
    filterset_class = QuestionFilterSet
    search_fields = ["stem"]
    list_display = [
        Column("stem", label=gettext_lazy("Question"), accessor=_stem),
        "type",
        "knowledge_area",
        "difficulty",
        "level",
        "bank",
        "active",
    ]
    list_per_page = 50
    panels = [
        FieldPanel("bank"),
        FieldRowPanel(
            [FieldPanel("type"), FieldPanel("knowledge_area"), FieldPanel("difficulty"), FieldPanel("level")]
        ),
        FieldPanel("stem"),
        MultiFieldPanel(
            [FieldPanel(name) for name in ("option_a", "option_b", "option_c", "option_d", "option_e", "option_f")],
            heading=gettext_lazy("Options (choice questions)"),
        ),
        FieldPanel("answer_text"),
        FieldPanel("multiple_rule"),
        FieldPanel("reference_answer"),
        FieldPanel("explanation"),
        FieldRowPanel([FieldPanel("external_id"), FieldPanel("active")]),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=QuestionForm).bind_to_model(Question)


# --- blueprints ----------------------------------------------------------------------------------------------


class BlueprintCheckMixin:
    """Refuse a blueprint the banks cannot satisfy (checked on the submitted data, before anything is saved)."""

    def form_valid(self, form):
        try:
            blueprint_check(
                blueprint=form.instance,
                sections=form.unsaved_sections(),
                bank_ids=[bank.pk for bank in form.cleaned_data.get("banks", ())],
            )
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        return super().form_valid(form)


class BlueprintIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("sections")


class BlueprintCreateView(BlueprintCheckMixin, generic.CreateView):
    pass


class BlueprintEditView(BlueprintCheckMixin, ScopedEditView):
    pass


def _sections(blueprint) -> str:
    return " · ".join(str(s) for s in blueprint.sections.all())


class BlueprintViewSet(ScopedViewSet):
    model = Blueprint
    policy_factory = staticmethod(policy.blueprint_policy)
    icon = "clipboard-list"
    menu_label = gettext_lazy("Exam blueprints")
    menu_order = 120
    url_prefix = "exams/blueprints"
    name = "exams_blueprints"
    index_view_class = BlueprintIndexView
    add_view_class = BlueprintCreateView
    edit_view_class = BlueprintEditView
    list_display = [
        "name",
        "occupation",
        "level",
        Column("sections", label=gettext_lazy("Sections"), accessor=_sections),
        "pass_mark",
        "duration_minutes",
    ]
    list_filter = ["occupation", "level"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("provider"), FieldPanel("occupation"), FieldPanel("level")]),
        FieldPanel("banks", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("total_points"), FieldPanel("pass_mark")]),
        FieldRowPanel([FieldPanel("shuffle_options"), FieldPanel("review_policy")]),
        InlinePanel(
            "sections",
            heading=gettext_lazy("Sections"),
            label=gettext_lazy("Section"),
            min_num=1,
            panels=[
                FieldRowPanel([FieldPanel("type"), FieldPanel("knowledge_area"), FieldPanel("difficulty")]),
                FieldRowPanel([FieldPanel("count"), FieldPanel("points")]),
            ],
        ),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=BlueprintForm).bind_to_model(Blueprint)


# --- knowledge areas -----------------------------------------------------------------------------------------


class KnowledgeAreaViewSet(ModelViewSet):
    model = KnowledgeArea
    menu_hook = EXAMS_MENU_HOOK
    icon = "tag"
    menu_label = gettext_lazy("Knowledge areas")
    menu_order = 190
    url_prefix = "exams/knowledge-areas"
    name = "exams_knowledge_areas"
    copy_view_enabled = False
    list_display = ["name", "code", "sort_order"]
    form_fields = ["name", "code", "sort_order"]

    @cached_property
    def permission_policy(self):
        return policy.knowledge_area_policy()
