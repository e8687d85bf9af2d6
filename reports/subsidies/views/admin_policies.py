"""Admin: subsidy policies with their amounts, and the working-day calendar of public notices.

HR officers see the policies that apply in their region (theirs and those of the regions above) and edit those of
their region and below; platform admins all. Saving goes through ``services.policy_save`` (validated, audited).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import reasons, selectors, services
from ..models import SubsidyPolicy, WorkingDayOverride
from . import forms


def _require_reviewer(request) -> None:
    if not selectors.can_review(request.user):
        raise PermissionDenied


def policy_index(request):
    if not (selectors.can_review(request.user) or selectors.can_file(request.user)):
        raise PermissionDenied
    editable = set(selectors.policies_editable_by(request.user).values_list("pk", flat=True))
    policies = selectors.policies_for(request.user).prefetch_related("rates")
    rows = [
        {
            "policy": p,
            "editable": p.pk in editable,
            "rates": [
                (reasons.occupation_label(r.occupation), reasons.level_label(r.level), r.amount)
                for r in sorted(p.rates.all(), key=lambda r: (r.occupation, -r.level))
            ],
        }
        for p in policies
    ]
    return TemplateResponse(
        request,
        "subsidies/admin/policy_index.html",
        {"rows": rows, "can_add": selectors.policy_regions_for(request.user).exists()},
    )


def _rates_initial(policy: SubsidyPolicy | None) -> list[dict]:
    if policy is None or policy.pk is None:
        return []
    return [{"occupation": r.occupation, "level": r.level, "amount": r.amount} for r in policy.rates.all()]


def _rates(formset) -> list[tuple]:
    return [
        (f.cleaned_data["occupation"], f.cleaned_data["level"], f.cleaned_data["amount"])
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


def _edit(request, policy: SubsidyPolicy | None):
    _require_reviewer(request)
    regions = selectors.policy_regions_for(request.user)
    if request.method == "POST":
        form = forms.PolicyForm(request.POST, instance=policy, regions=regions)
        formset = forms.RateFormSet(request.POST, prefix="rates")
        if form.is_valid() and formset.is_valid():
            try:
                saved = services.policy_save(policy=form.save(commit=False), rates=_rates(formset), actor=request.user)
            except ValidationError as exc:
                messages.error(request, "; ".join(exc.messages))
            else:
                messages.success(request, _("Policy “%(name)s” saved.") % {"name": saved.name})
                return redirect("subsidy_policies:index")
    else:
        form = forms.PolicyForm(instance=policy, regions=regions)
        formset = forms.RateFormSet(initial=_rates_initial(policy), prefix="rates")
    return TemplateResponse(
        request, "subsidies/admin/policy_edit.html", {"form": form, "formset": formset, "policy": policy}
    )


def policy_create(request):
    return _edit(request, None)


def policy_edit(request, pk: int):
    policy = selectors.policies_editable_by(request.user).filter(pk=pk).first()
    if policy is None:
        raise Http404
    return _edit(request, policy)


def workdays(request):
    _require_reviewer(request)
    if request.method == "POST":
        form = forms.WorkdayForm(request.POST)
        if form.is_valid():
            services.workday_set(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Calendar saved."))
            return redirect("subsidy_policies:workdays")
    else:
        form = forms.WorkdayForm()
    today = timezone.localdate()
    days = WorkingDayOverride.objects.filter(day__gte=today.replace(month=1, day=1))
    return TemplateResponse(request, "subsidies/admin/workdays.html", {"form": form, "days": days})


@require_POST
def workday_delete(request, pk: int):
    _require_reviewer(request)
    override = WorkingDayOverride.objects.filter(pk=pk).first()
    if override is None:
        raise Http404
    services.workday_set(day=override.day, working=override.day.weekday() < 5, actor=request.user)
    messages.success(request, _("Calendar saved."))
    return redirect("subsidy_policies:workdays")
