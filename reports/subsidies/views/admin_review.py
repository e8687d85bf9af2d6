"""Admin: the HR officer's actions on a batch page — approve or reject each claim, approve all, start the public
notice, record and resolve objections, mark paid, and download the payment list (XLSX).

Only platform admins and HR officers whose region covers the batch get here (the services check it: 403).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .. import selectors, services
from . import forms
from .admin_batches import back, batch_or_404, run

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _claim(batch, claim_pk):
    claim = batch.claims.filter(pk=claim_pk).first()
    if claim is None:
        raise Http404
    return claim


@require_POST
def claim_approve(request, pk: int, claim_pk: int):
    batch = batch_or_404(request, pk)
    claim = _claim(batch, claim_pk)
    run(request, lambda: services.claim_approve(claim=claim, actor=request.user), _("Claim approved."))
    return back(batch)


@require_POST
def claim_reject(request, pk: int, claim_pk: int):
    batch = batch_or_404(request, pk)
    claim = _claim(batch, claim_pk)
    form = forms.RejectForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    run(request, lambda: services.claim_reject(claim=claim, reason=reason, actor=request.user), _("Claim rejected."))
    return back(batch)


@require_POST
def batch_approve_all(request, pk: int):
    batch = batch_or_404(request, pk)
    approved, refused = services.batch_approve_pending(batch=batch, actor=request.user)
    if approved:
        messages.success(
            request, ngettext("%(n)d claim approved.", "%(n)d claims approved.", approved) % {"n": approved}
        )
    for line in refused:
        messages.error(request, line)
    return back(batch)


@require_POST
def batch_publish(request, pk: int):
    batch = batch_or_404(request, pk)
    run(
        request,
        lambda: services.batch_publish(batch=batch, actor=request.user),
        _("The approved claims are on public notice."),
    )
    return back(batch)


@require_POST
def objection_record(request, pk: int, claim_pk: int):
    batch = batch_or_404(request, pk)
    claim = _claim(batch, claim_pk)
    form = forms.ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the objection."))
        return back(batch)
    run(
        request,
        lambda: services.objection_record(claim=claim, actor=request.user, **form.cleaned_data),
        _("Objection recorded."),
    )
    return back(batch)


@require_POST
def objection_resolve(request, pk: int, objection_pk: int):
    batch = batch_or_404(request, pk)
    objection = selectors.batch_objection(batch, objection_pk)
    if objection is None:
        raise Http404
    form = forms.ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how the objection was resolved."))
        return back(batch)
    run(
        request,
        lambda: services.objection_resolve(objection=objection, actor=request.user, **form.cleaned_data),
        _("Objection resolved."),
    )
    return back(batch)


@require_POST
def batch_pay(request, pk: int):
    batch = batch_or_404(request, pk)
    form = forms.PayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the payment date."))
        return back(batch)
    run(
        request,
        lambda: services.batch_mark_paid(
            batch=batch,
            actor=request.user,
            paid_on=form.cleaned_data["paid_on"],
            reference=form.cleaned_data["reference"],
        ),
        _("Batch marked paid."),
    )
    return back(batch)


def batch_export(request, pk: int):
    batch = batch_or_404(request, pk)
    try:
        data = services.payment_xlsx(batch=batch, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return back(batch)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="subsidy-payment-{batch.pk}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
