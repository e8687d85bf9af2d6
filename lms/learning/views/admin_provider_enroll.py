"""Admin (Wagtail) page for training providers: enroll registered learners in an own course from a roster file.

Step 1 uploads the file and shows a dry-run preview of every row. The parsed table (it holds ID
numbers) travels back in an encrypted, authenticated and expiring hidden field (Fernet under the
personal-data key, bound to the user and the course), so nothing is stored; step 2 re-validates it
against the database and enrolls.
"""

from __future__ import annotations

import json

from cryptography.fernet import InvalidToken
from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.registry import crypto
from lms.registry.roster_file import RosterFileError, dump_table, load_table, read_roster
from lms.registry.selectors import user_scope

from .. import selectors, services
from ..services import provider_enroll as pe

MAX_AGE = 3600  # seconds between preview and confirmation
MAX_BYTES = 5 * 1024 * 1024


def _is_provider_user(user) -> bool:
    scope = user_scope(user)
    return scope.is_platform_admin or bool(scope.provider_ids)


class ProviderEnrollForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=None)
    roster = forms.FileField(
        label=_("Learner list (.xlsx or .csv)"),
        help_text=_("Columns 姓名 and 身份证号; only people registered on the platform can be enrolled."),
    )

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses


def _course_or_404(courses, pk):
    try:
        return courses.get(pk=int(pk))
    except (TypeError, ValueError, courses.model.DoesNotExist):
        raise Http404 from None


LABELS = {
    pe.WILL_ENROLL: _("Will enroll"),
    pe.ENROLLED: _("Enrolled"),
    pe.ALREADY: _("Already enrolled"),
    pe.REFUSED: _("Refused"),
    pe.NOT_REGISTERED: _("Not registered"),
    pe.NAME_MISMATCH: _("Name mismatch"),
    pe.INVALID: _("Invalid row"),
}


def _summary(outcomes) -> list[tuple[str, int]]:
    """(label, count) of each outcome present, in a fixed order."""
    counts = {status: sum(1 for o in outcomes if o.status == status) for status in LABELS}
    return [(LABELS[status], n) for status, n in counts.items() if n]


def _rows(outcomes) -> list[tuple[object, str]]:
    return [(o, LABELS[o.status]) for o in outcomes]


def provider_enroll(request):
    if not _is_provider_user(request.user):
        raise PermissionDenied
    courses = selectors.courses_for_sessions(request.user).live().order_by("title")
    context: dict = {}
    if request.method == "POST" and request.POST.get("token"):
        try:
            data = json.loads(crypto.decrypt_bytes(request.POST["token"].encode("ascii"), ttl=MAX_AGE))
        except (InvalidToken, UnicodeEncodeError, ValueError):
            data = None
        if data is None or data.get("u") != request.user.pk:
            context["token_error"] = _("The preview has expired. Upload the file again.")
            form = ProviderEnrollForm(courses=courses)
        else:
            course = _course_or_404(courses, data["c"])
            outcomes = services.provider_roster_enroll(
                course=course, table=load_table(data["t"].encode()), actor=request.user, dry_run=False
            )
            context.update(course=course, rows=_rows(outcomes), counts=_summary(outcomes), done=True)
            form = ProviderEnrollForm(courses=courses, initial={"course": course})
        context["form"] = form
        return TemplateResponse(request, "learning/admin/provider_enroll.html", context)

    if request.method == "POST" and request.POST.get("course"):
        _course_or_404(courses, request.POST["course"])  # another provider's course: not found
    form = ProviderEnrollForm(request.POST or None, request.FILES or None, courses=courses)
    if request.method == "POST" and form.is_valid():
        course = form.cleaned_data["course"]
        upload = form.cleaned_data["roster"]
        try:
            if upload.size > MAX_BYTES:
                raise RosterFileError(_("The file is larger than 5 MB."))
            table = read_roster(upload.read(), upload.name)
            outcomes = services.provider_roster_enroll(course=course, table=table, actor=request.user, dry_run=True)
        except RosterFileError as exc:
            form.add_error("roster", str(exc))
        else:
            context.update(course=course, rows=_rows(outcomes), counts=_summary(outcomes))
            if any(o.status == pe.WILL_ENROLL for o in outcomes):
                payload = {"u": request.user.pk, "c": course.pk, "t": dump_table(table).decode()}
                context["token"] = crypto.encrypt_bytes(json.dumps(payload).encode()).decode("ascii")
    context["form"] = form
    return TemplateResponse(request, "learning/admin/provider_enroll.html", context)


@hooks.register("register_admin_urls")
def register_provider_enroll_urls():
    return [path("learning/provider-enroll/", provider_enroll, name="learning_provider_enroll")]


class ProviderMenuItem(MenuItem):
    def is_shown(self, request):
        return _is_provider_user(request.user)


@hooks.register("register_admin_menu_item")
def register_provider_enroll_menu_item():
    return ProviderMenuItem(
        _("Enroll learners from a list"), reverse("learning_provider_enroll"), icon_name="group", order=225
    )
