"""Wagtail admin: the "Exams" menu, question banks, questions, blueprints, knowledge areas, XLSX import/export.

**The Exams menu.** This module registers one "Exams" (考试) submenu in the admin's main menu. Its items come from
the ``register_exams_menu_item`` hook (:data:`EXAMS_MENU_HOOK`), which works like Wagtail's
``register_admin_menu_item``: a function returning a ``wagtail.admin.menu.MenuItem``. Other areas add theirs either
way::

    from wagtail import hooks
    from wagtail.admin.menu import MenuItem
    from .admin_bank import EXAMS_MENU_HOOK

    class SittingViewSet(ModelViewSet):
        menu_hook = EXAMS_MENU_HOOK          # a viewset's own menu item goes into the Exams menu
        menu_order = 200
        ...

    @hooks.register(EXAMS_MENU_HOOK)
    def marking_menu_item():                 # or any MenuItem (hide it with its is_shown(request))
        return MenuItem(_("Marking queue"), reverse("exams_marking"), icon_name="edit", order=230)

Orders: 100–199 question banks (banks 100, questions 110, blueprints 120, knowledge areas 190), 200–299 sittings,
300–399 practical assessment, 400–499 results. The submenu shows only to users with at least one visible item.
``construct_exams_menu`` (like ``construct_main_menu``) may edit the items per request.

**Banks.** The viewsets live in ``admin_bank_views`` (forms in ``admin_bank_forms``, scoping in
``admin_bank_policy``); the upload/download views are below.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from ..selectors import bank as selectors
from ..services import bank_import
from . import admin_bank_policy as policy
from .admin_bank_forms import ImportForm
from .admin_bank_views import (
    EXAMS_MENU_HOOK,
    BlueprintViewSet,
    KnowledgeAreaViewSet,
    QuestionBankViewSet,
    QuestionViewSet,
)

__all__ = ["EXAMS_MENU_HOOK", "exams_menu"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

exams_menu = Menu(register_hook_name=EXAMS_MENU_HOOK, construct_hook_name="construct_exams_menu")


@hooks.register("register_admin_menu_item")
def register_exams_menu():
    return SubmenuMenuItem(gettext_lazy("Exams"), exams_menu, icon_name="form", name="exams", order=330)


@hooks.register("register_admin_viewset")
def register_bank_viewsets():
    return [QuestionBankViewSet(), QuestionViewSet(), BlueprintViewSet(), KnowledgeAreaViewSet()]


# --- import and export -----------------------------------------------------------------------------------------


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def bank_import_view(request, pk: int):
    """Upload a workbook into a bank: success count, or every problem with its row number (nothing imported)."""
    bank = policy.scoped_object(policy.bank_policy(), request.user, pk, "change")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = bank_import.questions_import(bank=bank, data=upload.read(), filename=upload.name, actor=request.user)
        if result.ok:
            messages.success(
                request,
                _("%(added)s, %(updated)s in “%(bank)s”.")
                % {
                    "added": ngettext("%(n)d question added", "%(n)d questions added", result.created)
                    % {"n": result.created},
                    "updated": ngettext("%(n)d updated", "%(n)d updated", result.updated) % {"n": result.updated},
                    "bank": bank.name,
                },
            )
            return redirect(reverse("exams_questions:index") + f"?bank={bank.pk}")
    return TemplateResponse(
        request,
        "exams/admin/bank_import.html",
        {
            "bank": bank,
            "form": form,
            "result": result,
            "template_url": reverse("exams_bank_template"),
            "export_url": reverse("exams_bank_export", args=[bank.pk]),
            "banks_url": reverse("exams_banks:index"),
        },
    )


def bank_export_view(request, pk: int):
    """The bank's questions as a workbook in the import template."""
    bank = policy.scoped_object(policy.bank_policy(), request.user, pk, "view")
    data = bank_import.questions_export(bank.questions.order_by("pk"))
    return _xlsx(data, f"question-bank-{bank.pk}.xlsx")


def bank_template_view(request):
    if not selectors.can_manage_banks(request.user):
        return HttpResponse(status=403)
    return _xlsx(bank_import.template_xlsx(), "question-template.xlsx")


@hooks.register("register_admin_urls")
def register_bank_urls():
    return [
        path("exams/banks/<int:pk>/import/", bank_import_view, name="exams_bank_import"),
        path("exams/banks/<int:pk>/export/", bank_export_view, name="exams_bank_export"),
        path("exams/bank-template/", bank_template_view, name="exams_bank_template"),
    ]
