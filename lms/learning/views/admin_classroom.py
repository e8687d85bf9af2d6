"""Admin (Wagtail) side of classroom sessions and attendance.

Provider staff schedule sessions only for courses under their own provider's catalogue section;
platform admins see all. Scoping lives in ``learning.selectors``; attendance corrections go through
``services.attendance_correct`` (reason required, audited).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies.base import BasePermissionPolicy

from lms.registry.masking import mask_name
from lms.registry.selectors import user_scope

from .. import selectors, services
from ..models import ClassSession

# --- permissions ----------------------------------------------------------------------------------


class ClassSessionPermissionPolicy(BasePermissionPolicy):
    """Model rights: provider staff may view/add/change; only platform admins delete. Rows: selectors."""

    def user_has_permission(self, user, action):
        scope = user_scope(user)
        if scope.is_platform_admin:
            return True
        return action in ("view", "add", "change") and bool(scope.provider_ids)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return selectors.class_sessions_for(user, action).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_permission_for(self, user, action):
        return selectors.class_sessions_for(user, action)

    def instances_user_has_any_permission_for(self, user, actions):
        qs = ClassSession.objects.none()
        for action in actions:
            qs = qs | selectors.class_sessions_for(user, action)
        return qs

    def users_with_any_permission(self, actions):
        from lms.registry.models import Role

        return (
            get_user_model().objects.filter(Q(is_superuser=True) | Q(role_grants__role=Role.PROVIDER_STAFF)).distinct()
        )


def _scoped_session(request, pk, action: str = "view") -> ClassSession:
    session = selectors.class_sessions_for(request.user, "view").filter(pk=pk).first()
    if session is None:
        raise Http404
    if action != "view" and not selectors.class_sessions_for(request.user, action).filter(pk=pk).exists():
        raise PermissionDenied
    return session


# --- session views --------------------------------------------------------------------------------


class ScopedSessionMixin:
    object_action = "view"

    def get_object(self, *args, **kwargs):
        return _scoped_session(self.request, self.kwargs["pk"], self.object_action)


class ScopedChoicesMixin:
    """Limit the course and instructor choices to the user's own providers."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        user = self.request.user
        if "course" in form.fields:
            form.fields["course"].queryset = selectors.courses_for_sessions(user).order_by("title")
        if "instructor" in form.fields:
            form.fields["instructor"].queryset = selectors.instructors_for(user)
        return form


class SessionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return selectors.class_sessions_for(self.request.user, "view")


class SessionCreateView(ScopedChoicesMixin, generic.CreateView):
    pass


class SessionEditView(ScopedChoicesMixin, ScopedSessionMixin, generic.EditView):
    object_action = "change"


class SessionDeleteView(ScopedSessionMixin, generic.DeleteView):
    object_action = "delete"


class SessionInspectView(ScopedSessionMixin, generic.InspectView):
    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Show the check-in QR code"),
                url=reverse("learning:class_qr", args=[self.object.pk]),
                icon_name="link-external",
                attrs={"target": "_blank", "data-testid": "qr-link"},
                priority=10,
            ),
            HeaderButton(
                _("Attendance"),
                url=reverse("learning_class_attendance", args=[self.object.pk]),
                icon_name="list-ul",
                priority=20,
            ),
        ]


def _qr_link(session) -> str:
    return format_html(
        '<a href="{}" target="_blank">{}</a> · <a href="{}">{}</a>',
        reverse("learning:class_qr", args=[session.pk]),
        _("QR code"),
        reverse("learning_class_attendance", args=[session.pk]),
        _("Attendance"),
    )


class ClassSessionViewSet(ModelViewSet):
    model = ClassSession
    icon = "date"
    menu_label = gettext_lazy("Classroom sessions")
    add_to_admin_menu = True
    menu_order = 320
    url_prefix = "learning/class-sessions"
    name = "class_sessions"
    index_view_class = SessionIndexView
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView
    delete_view_class = SessionDeleteView
    inspect_view_class = SessionInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "title",
        "course",
        "place",
        "starts_at",
        "capacity",
        "instructor",
        Column("links", label=gettext_lazy("Check-in"), accessor=_qr_link),
    ]
    list_filter = ["requires_checkout"]
    search_fields = ["title", "place"]
    search_backend_name = None
    form_fields = [
        "course",
        "title",
        "place",
        "starts_at",
        "ends_at",
        "capacity",
        "instructor",
        "hours",
        "requires_checkout",
    ]
    inspect_view_fields = [
        "course",
        "title",
        "place",
        "starts_at",
        "ends_at",
        "capacity",
        "instructor",
        "hours",
        "requires_checkout",
    ]

    @property
    def permission_policy(self):
        return ClassSessionPermissionPolicy(ClassSession)


# --- attendance and corrections -----------------------------------------------------------------------


class CorrectionForm(forms.Form):
    person = forms.ModelChoiceField(label=gettext_lazy("Learner"), queryset=None)
    checked_in_at = forms.DateTimeField(label=gettext_lazy("Checked in at"), required=False)
    checked_out_at = forms.DateTimeField(label=gettext_lazy("Checked out at"), required=False)
    reason = forms.CharField(label=gettext_lazy("Reason for correction"), max_length=200)

    def __init__(self, *args, session: ClassSession, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = selectors.session_learners(session)
        field.label_from_instance = lambda p: f"{mask_name(p.name)} {p.id_number_masked}"


def attendance_view(request, pk: int):
    """The session's attendance, and the form to correct one learner's times (reason required)."""
    session = _scoped_session(request, pk)
    if not selectors.can_run_session(request.user, session):
        raise PermissionDenied
    form = CorrectionForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.attendance_correct(
                session=session,
                person=data["person"],
                checked_in_at=data["checked_in_at"],
                checked_out_at=data["checked_out_at"],
                reason=data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("Attendance corrected."))
            return redirect("learning_class_attendance", pk=session.pk)
    rows = [
        {
            "name": mask_name(a.person.name),
            "id_number": a.person.id_number_masked,
            "checked_in_at": a.checked_in_at,
            "checked_out_at": a.checked_out_at,
            "credited": a.credited_at is not None,
            "corrected_by": a.corrected_by,
            "reason": a.correction_reason,
        }
        for a in selectors.session_attendances(session)
    ]
    return TemplateResponse(
        request,
        "learning/classroom/admin_attendance.html",
        {
            "session": session,
            "rows": rows,
            "form": form,
            "checked_in": selectors.session_checked_in_count(session),
            "qr_url": reverse("learning:class_qr", args=[session.pk]),
            "inspect_url": reverse("class_sessions:inspect", args=[session.pk]),
        },
    )


@hooks.register("register_admin_viewset")
def register_class_session_viewset():
    return ClassSessionViewSet()


@hooks.register("register_admin_urls")
def register_attendance_urls():
    return [path("learning/class-sessions/<int:pk>/attendance/", attendance_view, name="learning_class_attendance")]
