"""Front site: a caregiver's own subsidy claims (and filing 技能提升补贴 themselves), and the public notice (公示).

* ``GET/POST /subsidies/`` — signed-in caregivers: their claims (by providers or themselves) with status, amount
  and reasons; the bank account of their social-security card (shown masked); a form to check a subsidy on one of
  their certificates ("check" shows what the rules say, "claim" files it).
* ``GET/POST /subsidies/notice/`` — anyone: the claims on public notice now, names masked (张*华), with a form to
  object to one (recorded by ``services.objection_record`` for the HR bureau).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.registry.masking import mask_name
from lms.registry.selectors import person_for_user

from .. import reasons, selectors, services
from ..models import Claim, ClaimBatch, PayeeAccount, SubsidyPolicy, SubsidyType
from ..selectors import facts
from . import forms


def _self_claimable_types() -> list[tuple[str, str]]:
    types = set(
        SubsidyPolicy.objects.filter(active=True, self_claim_allowed=True).values_list("subsidy_type", flat=True)
    )
    return [(value, label) for value, label in SubsidyType.choices if value in types]


@login_required
def my_claims(request):
    person = person_for_user(request.user)
    if person is None:
        return TemplateResponse(request, "subsidies/front/my_claims.html", {"person": None})
    types = _self_claimable_types()
    certificates = facts.own_claimable_certificates(person)
    claim_form = forms.SelfClaimForm(certificates=certificates, subsidy_types=types)
    account_form = forms.AccountForm(initial={"account_name": person.name})
    check = None
    if request.method == "POST" and request.POST.get("action") == "account":
        account_form = forms.AccountForm(request.POST)
        if account_form.is_valid():
            try:
                services.payee_account_set(person=person, actor=request.user, **account_form.cleaned_data)
            except ValidationError as exc:
                account_form.add_error("number", exc.messages[0])
            else:
                messages.success(request, _("Bank account saved."))
                return redirect("subsidies:my_claims")
    elif request.method == "POST":
        claim_form = forms.SelfClaimForm(request.POST, certificates=certificates, subsidy_types=types)
        if claim_form.is_valid():
            check = _check_or_file(request, person, claim_form.cleaned_data)
            if check is None:
                return redirect("subsidies:my_claims")
    claims = [
        {"claim": c, "reasons": reasons.messages(c.failures), "what": forms.certificate_label(c.certificate)}
        for c in selectors.own_claims(person).exclude(status=Claim.Status.DRAFT)
    ]
    return TemplateResponse(
        request,
        "subsidies/front/my_claims.html",
        {
            "person": person,
            "claims": claims,
            "claim_form": claim_form if types and certificates.exists() else None,
            "account": PayeeAccount.objects.filter(person=person).first(),
            "account_form": account_form,
            "check": check,
        },
    )


def _check_or_file(request, person, data) -> dict | None:
    """ "check": what the rules say (a dict for the page); "claim": file it (None once filed)."""
    certificate, subsidy_type = data["certificate"], data["subsidy_type"]
    if request.POST.get("action") != "claim":
        evaluation, region = services.self_claim_check(
            person=person, certificate=certificate, subsidy_type=subsidy_type
        )
        if evaluation is None:
            return {
                "passed": False,
                "reasons": [_("You have no current employer on record, so no region to claim in.")],
            }
        return {
            "passed": evaluation.passed,
            "amount": evaluation.amount,
            "reasons": reasons.messages(evaluation.stored_failures()),
            "region": region,
        }
    try:
        claim = services.self_claim_submit(
            person=person, certificate=certificate, subsidy_type=subsidy_type, actor=request.user
        )
    except services.ClaimRefused as exc:
        return {"passed": False, "reasons": exc.messages}
    except ValidationError as exc:
        return {"passed": False, "reasons": exc.messages}
    messages.success(
        request, _("Claim filed: %(amount)s yuan, now awaiting the HR bureau's review.") % {"amount": claim.amount}
    )
    return None


def notice_entries(today) -> list[dict]:
    """Claims on public notice today, with masked names only."""
    claims = (
        Claim.objects.filter(
            status=Claim.Status.APPROVED,
            batch__status=ClaimBatch.Status.PUBLICITY,
            batch__publicity_from__lte=today,
            batch__publicity_until__gte=today,
        )
        .select_related("person", "batch", "batch__provider", "batch__region")
        .order_by("batch__publicity_from", "batch_id", "pk")
    )
    return [
        {
            "claim": c,
            "name": mask_name(c.person.name),
            "occupation": reasons.occupation_label(c.occupation),
            "level": reasons.level_label(c.level),
            "filer": c.batch.provider.name if c.batch.provider_id else _("the holder"),
        }
        for c in claims
    ]


def public_notice(request):
    today = timezone.localdate()
    form = forms.ObjectionForm()
    if request.method == "POST":
        form = forms.ObjectionForm(request.POST)
        claim = Claim.objects.filter(pk=request.POST.get("claim") or 0).select_related("batch").first()
        if form.is_valid() and claim is not None:
            try:
                services.objection_record(claim=claim, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, "; ".join(exc.messages))
            else:
                messages.success(request, _("Thank you: your objection has been passed to the HR bureau."))
                return redirect("subsidies:notice")
        else:
            messages.error(request, _("Write the objection."))
    return TemplateResponse(
        request, "subsidies/front/notice.html", {"entries": notice_entries(today), "form": form, "today": today}
    )
