"""Admin (Wagtail) side of course authoring: templates, hours requirements, "new course from template".

Course pages themselves are edited in Wagtail's page editor; who may edit where comes from the
page permissions and review workflow that ``services.authoring`` sets up.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permission_policies.base import BasePermissionPolicy

from .. import selectors, services
from ..models import AnnualHoursRequirement, CourseTemplate, ProviderCatalogue

# --- platform-admin viewsets -----------------------------------------------------------------------


class PlatformAdminPolicy(BasePermissionPolicy):
    """Only platform admins (active superusers) may do anything."""

    def user_has_permission(self, user, action):
        return bool(user.is_active and user.is_superuser)

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(is_active=True, is_superuser=True)

    def instances_user_has_any_permission_for(self, user, actions):
        qs = self.model._default_manager.all()
        return qs if self.user_has_permission(user, "change") else qs.none()


class PlatformAdminViewSet(ModelViewSet):
    copy_view_enabled = False
    inspect_view_enabled = True

    @property
    def permission_policy(self):
        return PlatformAdminPolicy(self.model)


class CourseTemplateViewSet(PlatformAdminViewSet):
    model = CourseTemplate
    icon = "list-ul"
    menu_label = _("Course templates")
    list_display = ["name", "kind", "occupation", "min_hours", "source"]
    list_filter = ["kind", "occupation"]
    search_fields = ["name", "source"]
    search_backend_name = None


class HoursRequirementViewSet(PlatformAdminViewSet):
    model = AnnualHoursRequirement
    icon = "time"
    menu_label = _("Annual hours requirements")
    form_fields = ["post", "kind", "hours"]
    list_display = ["post", "kind", "hours"]
    list_filter = ["post", "kind"]


class AuthoringGroup(ViewSetGroup):
    menu_label = _("Course setup")
    menu_icon = "list-ul"
    menu_order = 230
    items = (CourseTemplateViewSet("course_templates"), HoursRequirementViewSet("hours_requirements"))


@hooks.register("register_admin_viewset")
def register_authoring_viewsets():
    return AuthoringGroup()


# --- provider staff: new course from a template ---------------------------------------------------


class CourseFromTemplateForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Course template"), queryset=CourseTemplate.objects.none())
    provider = forms.ModelChoiceField(label=_("Training provider"), queryset=None)
    title = forms.CharField(label=_("Course title"), max_length=255)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = selectors.course_templates()
        self.fields["template"].label_from_instance = lambda t: f"{t.name} (≥ {t.min_hours})"
        providers = selectors.authoring_providers(user)
        self.fields["provider"].queryset = providers
        if providers.count() == 1:
            self.fields["provider"].initial = providers.first()
            self.fields["provider"].widget = forms.HiddenInput()


class CourseFromTemplateView(WagtailAdminTemplateMixin, FormView):
    template_name = "wagtailadmin/generic/form.html"
    form_class = CourseFromTemplateForm
    page_title = _("New course from a template")
    header_icon = "list-ul"

    def dispatch(self, request, *args, **kwargs):
        if not selectors.authoring_providers(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        if self.request.method == "GET" and self.request.GET.get("provider"):
            kwargs["initial"] = {"provider": self.request.GET["provider"]}
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=reverse("learning_course_from_template"),
            submit_button_label=_("Create draft course"),
            **kwargs,
        )

    def form_valid(self, form):
        course = services.course_from_template(
            template=form.cleaned_data["template"],
            provider=form.cleaned_data["provider"],
            title=form.cleaned_data["title"],
            actor=self.request.user,
        )
        messages.success(
            self.request, _("Draft course '%(title)s' created from the template.") % {"title": course.title}
        )
        return redirect("wagtailadmin_pages:edit", course.pk)


@hooks.register("register_admin_urls")
def register_authoring_urls():
    return [
        path("learning/course-from-template/", CourseFromTemplateView.as_view(), name="learning_course_from_template")
    ]


class CourseFromTemplateMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.authoring_providers(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_course_from_template_menu_item():
    return CourseFromTemplateMenuItem(
        _("New course from template"), reverse("learning_course_from_template"), icon_name="list-ul", order=220
    )


@hooks.register("register_page_header_buttons")
def course_from_template_button(page, user, view_name=None, next_url=None):
    """On a provider's section: "new course from template" next to Wagtail's own "add child page"."""
    if isinstance(page.specific_deferred, ProviderCatalogue) and page.permissions_for_user(user).can_add_subpage():
        provider_id = ProviderCatalogue.objects.filter(pk=page.pk).values_list("provider_id", flat=True).first()
        yield Button(
            _("New course from template"),
            f"{reverse('learning_course_from_template')}?provider={provider_id}",
            icon_name="list-ul",
            priority=15,
        )
