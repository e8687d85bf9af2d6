"""Admin: unemployment insurance periods (HR officers: people employed in their region; platform admins: all).

Look a person up by their full ID number (found through its keyed hash), declare a period, or import a CSV
(``services.insurance_import``; rows that cannot be imported are listed with the reason).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from lms.registry.selectors import person_by_id_number
from lms.registry.validators import normalize

from .. import selectors, services
from . import forms

MAX_UPLOAD = 5 * 1024 * 1024


def insurance_index(request):
    if not selectors.can_review(request.user):
        raise PermissionDenied
    records = selectors.insurance_records_for(request.user).order_by("-created_at", "-id")
    query = normalize(request.GET.get("q", ""))
    if query:
        person = person_by_id_number(query)
        records = records.filter(person=person) if person else records.none()
    form, upload, result = forms.InsuranceForm(), forms.InsuranceImportForm(), None
    if request.method == "POST" and "file" in request.FILES:
        upload = forms.InsuranceImportForm(request.POST, request.FILES)
        if upload.is_valid():
            file = upload.cleaned_data["file"]
            if file.size > MAX_UPLOAD:
                messages.error(request, _("The file is larger than 5 MB."))
            else:
                try:
                    result = services.insurance_import(content=file.read(), actor=request.user)
                except ValidationError as exc:
                    messages.error(request, "; ".join(exc.messages))
                else:
                    messages.success(request, _("%(n)d periods imported.") % {"n": result.imported})
    elif request.method == "POST":
        form = forms.InsuranceForm(request.POST)
        if form.is_valid() and _declare(request, form):
            return redirect("subsidy_insurance:index")
    return TemplateResponse(
        request,
        "subsidies/admin/insurance.html",
        {
            "page": Paginator(records, 50).get_page(request.GET.get("page")),
            "query": query,
            "form": form,
            "upload": upload,
            "result": result,
        },
    )


def _declare(request, form) -> bool:
    data = form.cleaned_data
    person = person_by_id_number(normalize(data["id_number"]))
    if person is None or not selectors.insurance_people_for(request.user).filter(pk=person.pk).exists():
        form.add_error("id_number", _("No person with this ID number is employed in your region."))
        return False
    try:
        services.insurance_record(
            person=person,
            first_month=data["first_month"],
            last_month=data["last_month"],
            insurer=data["insurer"],
            actor=request.user,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    messages.success(request, _("Insurance period recorded."))
    return True
