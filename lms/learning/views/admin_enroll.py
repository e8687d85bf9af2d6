"""Admin (Wagtail) pages for institution admins: enroll staff in a course, staff hours vs requirement."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.registry.models import Employment
from lms.registry.selectors import ADD, institutions_for

from .. import selectors, services
from ..models import CoursePage, Enrollment


def _require_staff_right(request) -> None:
    if not institutions_for(request.user, ADD, Employment).exists():
        raise PermissionDenied


class StaffEnrollForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=CoursePage.objects.none())
    people = forms.ModelMultipleChoiceField(
        label=_("Staff"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one person.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.live().order_by("title")
        self.fields["people"].queryset = selectors.staff_for_enrollment(user)


def staff_enroll(request):
    _require_staff_right(request)
    form = StaffEnrollForm(request.POST or None, user=request.user)
    result = None
    if request.method == "POST" and form.is_valid():
        people = list(form.cleaned_data["people"])
        enrolled, refused = services.enroll_many(
            people=people,
            course=form.cleaned_data["course"],
            actor=request.user,
            source=Enrollment.Source.INSTITUTION,
        )
        names = {p.pk: p.name for p in people}
        result = {
            "course": form.cleaned_data["course"],
            "enrolled": sorted(names[e.person_id] for e in enrolled),
            "refused": sorted((names[pk], reason) for pk, reason in refused.items()),
        }
        form = StaffEnrollForm(user=request.user, initial={"course": form.cleaned_data["course"]})
    return TemplateResponse(request, "learning/admin/staff_enroll.html", {"form": form, "result": result})


def staff_hours(request):
    _require_staff_right(request)
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    year = min(max(year, 2000), this_year + 1)
    context = {
        "rows": selectors.staff_hours(request.user, year),
        "year": year,
        "years": range(this_year, this_year - 5, -1),
    }
    return TemplateResponse(request, "learning/admin/staff_hours.html", context)


@hooks.register("register_admin_urls")
def register_staff_learning_urls():
    return [
        path("learning/staff-enroll/", staff_enroll, name="learning_staff_enroll"),
        path("learning/staff-hours/", staff_hours, name="learning_staff_hours"),
    ]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return institutions_for(request.user, ADD, Employment).exists()


@hooks.register("register_admin_menu_item")
def register_staff_enroll_menu_item():
    return StaffMenuItem(_("Enroll staff in a course"), reverse("learning_staff_enroll"), icon_name="group", order=220)


@hooks.register("register_admin_menu_item")
def register_staff_hours_menu_item():
    return StaffMenuItem(_("Staff training hours"), reverse("learning_staff_hours"), icon_name="time", order=221)
