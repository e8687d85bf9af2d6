"""Admin: claim batches — the list, a new batch, the batch page, and the provider's side of it (add certificates,
check again, remove a claim, submit, the provider's bank account).

Who sees which batch: ``selectors.batches_for`` (404 otherwise); the services refuse the actions a user may not
take (403). The HR officer's actions on the same page are in ``admin_review``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certificates.models import Certificate
from lms.registry.masking import mask_name

from .. import reasons, selectors, services
from ..models import Claim, ClaimBatch, PayeeAccount
from ..selectors import facts
from . import forms

PICKER_ROWS = 100


def require_admin_user(request) -> None:
    if not selectors.can_use_subsidies_admin(request.user):
        raise PermissionDenied


def batch_or_404(request, pk) -> ClaimBatch:
    batch = selectors.batches_for(request.user).filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch


def run(request, call: Callable, success: str) -> bool:
    """Call a service; its ValidationError becomes an error message (PermissionDenied stays a 403)."""
    try:
        call()
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return False
    messages.success(request, success)
    return True


def back(batch: ClaimBatch):
    return redirect("subsidy_batches:batch", pk=batch.pk)


# --- list and new batch -----------------------------------------------------------------------------------------


def batch_index(request):
    require_admin_user(request)
    batches = (
        selectors.batches_for(request.user)
        .annotate(
            n_claims=Count("claims"),
            n_held=Count("claims", filter=Q(claims__status__in=Claim.HELD)),
            total=Sum("claims__amount", filter=Q(claims__status__in=Claim.HELD)),
        )
        .order_by("-created_at", "-id")
    )
    status = request.GET.get("status", "")
    if status in ClaimBatch.Status.values:
        batches = batches.filter(status=status)
    page = Paginator(batches, 50).get_page(request.GET.get("page"))
    providers = selectors.providers_for(request.user)
    return TemplateResponse(
        request,
        "subsidies/admin/batch_index.html",
        {
            "page": page,
            "status": status,
            "statuses": ClaimBatch.Status.choices,
            "form": forms.BatchCreateForm(providers=providers) if selectors.can_file(request.user) else None,
            "accounts": PayeeAccount.objects.filter(provider__in=providers).select_related("provider")
            if selectors.can_file(request.user)
            else [],
        },
    )


@require_POST
def batch_new(request):
    require_admin_user(request)
    form = forms.BatchCreateForm(request.POST, providers=selectors.providers_for(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose a training provider and a subsidy type."))
        return redirect("subsidy_batches:index")
    batch = services.batch_create(
        provider=form.cleaned_data["provider"], subsidy_type=form.cleaned_data["subsidy_type"], actor=request.user
    )
    messages.success(request, _("Batch created: add the certificates to claim for."))
    return back(batch)


# --- the batch page ---------------------------------------------------------------------------------------------


def claim_rows(batch: ClaimBatch, user) -> list[dict]:
    full = selectors.can_see_bank_details(user)
    claims = batch.claims.select_related("person", "certificate", "decided_by").prefetch_related("objections")
    rows = []
    for claim in claims.order_by("pk"):
        rows.append(
            {
                "claim": claim,
                "name": claim.person.name if full else mask_name(claim.person.name),
                "id_number": claim.person.id_number_masked,
                "occupation": reasons.occupation_label(claim.occupation),
                "level": reasons.level_label(claim.level),
                "reasons": reasons.messages(claim.failures),
                "objections": list(claim.objections.all()),
            }
        )
    return rows


def _payee(batch: ClaimBatch, user) -> dict | None:
    if not batch.provider_id:
        account = PayeeAccount.objects.filter(person_id=batch.claimant_id).first()
    else:
        account = PayeeAccount.objects.filter(provider_id=batch.provider_id).first()
    if account is None:
        return None
    full = selectors.can_see_bank_details(user)
    return {"account": account, "number": account.number if full else account.number_masked}


def _picker(request, batch: ClaimBatch) -> dict:
    """The provider's trainees' certificates not yet in the batch (search by number or name)."""
    certificates = facts.claimable_certificates(batch.provider).exclude(subsidy_claims__batch=batch)
    query = request.GET.get("q", "").strip()
    if query:
        certificates = certificates.filter(Q(number__icontains=query) | Q(holder__name__icontains=query))
    total = certificates.count()
    rows = [
        {
            "certificate": c,
            "name": mask_name(c.holder.name),
            "id_number": c.holder.id_number_masked,
            "what": forms.certificate_label(c),
        }
        for c in certificates[:PICKER_ROWS]
    ]
    return {"rows": rows, "total": total, "query": query}


def batch_detail(request, pk: int):
    batch = batch_or_404(request, pk)
    user = request.user
    can_file = batch.status == ClaimBatch.Status.DRAFT and selectors.batches_fileable_by(user).filter(pk=pk).exists()
    can_review = selectors.batches_reviewable_by(user).filter(pk=pk).exists()
    rows = claim_rows(batch, user)
    held = [r["claim"] for r in rows if r["claim"].held]
    context = {
        "batch": batch,
        "rows": rows,
        "can_file": can_file,
        "can_review": can_review,
        "total": sum((c.amount for c in held), start=0),
        "n_held": len(held),
        "pending": sum(r["claim"].status == Claim.Status.SUBMITTED for r in rows),
        "payee": _payee(batch, user),
        "exportable": can_review and services.exportable(batch),
        "reject_form": forms.RejectForm(),
        "objection_form": forms.ObjectionForm(),
        "resolve_form": forms.ResolveForm(),
        "pay_form": forms.PayForm(initial={"paid_on": batch.publicity_until}),
        "account_form": forms.AccountForm() if can_file else None,
        "picker": _picker(request, batch) if can_file else None,
    }
    return TemplateResponse(request, "subsidies/admin/batch.html", context)


# --- the provider's actions -------------------------------------------------------------------------------------


@require_POST
def batch_add(request, pk: int):
    batch = batch_or_404(request, pk)
    ids = [int(v) for v in request.POST.getlist("certificate") if v.isdigit()]
    certificates = list(Certificate.objects.select_related("type").filter(pk__in=ids))
    if not certificates:
        messages.error(request, _("Tick the certificates to claim for."))
        return back(batch)
    run(
        request,
        lambda: services.claims_add(batch=batch, certificates=certificates, actor=request.user),
        _("Claims added and checked."),
    )
    return back(batch)


@require_POST
def batch_check(request, pk: int):
    batch = batch_or_404(request, pk)
    run(request, lambda: services.batch_check(batch=batch, actor=request.user), _("Every claim was checked again."))
    return back(batch)


@require_POST
def claim_remove(request, pk: int, claim_pk: int):
    batch = batch_or_404(request, pk)
    claim = batch.claims.filter(pk=claim_pk).first()
    if claim is None:
        raise Http404
    run(request, lambda: services.claim_remove(claim=claim, actor=request.user), _("Claim removed."))
    return back(batch)


@require_POST
def batch_submit(request, pk: int):
    batch = batch_or_404(request, pk)
    run(
        request,
        lambda: services.batch_submit(batch=batch, actor=request.user),
        _("Batch submitted: claims that passed the checks await the HR bureau's review."),
    )
    return back(batch)


@require_POST
def account_set(request, pk: int):
    batch = batch_or_404(request, pk)
    form = forms.AccountForm(request.POST)
    if not form.is_valid() or not batch.provider_id:
        messages.error(request, _("Give the account holder, the bank and the account number."))
        return back(batch)
    run(
        request,
        lambda: services.payee_account_set(provider=batch.provider, actor=request.user, **form.cleaned_data),
        _("Bank account saved."),
    )
    return back(batch)
