"""Admin pages that revoke, suspend and reinstate a certificate (``certificates.services``, audited there).

A certificate the user may not see is "not found" (404); one the user sees but may not manage
(``selectors.can_manage``: platform admins, health and HR officers of the region) is "permission denied".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy

from .. import selectors, services
from ..forms import ReinstateForm, RevokeForm, SuspendForm
from ..models import Certificate
from .admin import visible_certificate

TEMPLATE = "certificates/admin/certificate_status.html"


@dataclass(frozen=True)
class StatusAction:
    name: str
    title: str
    form_class: type
    service: Callable
    applies: Callable[[Certificate], bool]
    not_applicable: str
    done: str
    button: str
    danger: bool = False


ACTIONS = {
    "revoke": StatusAction(
        name="revoke",
        title=gettext_lazy("Revoke certificate"),
        form_class=RevokeForm,
        service=services.certificate_revoke,
        applies=lambda c: c.status != Certificate.Status.REVOKED,
        not_applicable=gettext_lazy("This certificate is already revoked."),
        done=gettext_lazy("Certificate %(number)s revoked. The verify page and the status list show it now."),
        button=gettext_lazy("Revoke"),
        danger=True,
    ),
    "suspend": StatusAction(
        name="suspend",
        title=gettext_lazy("Suspend certificate"),
        form_class=SuspendForm,
        service=services.certificate_suspend,
        applies=lambda c: c.status == Certificate.Status.VALID,
        not_applicable=gettext_lazy("Only a valid certificate can be suspended."),
        done=gettext_lazy("Certificate %(number)s suspended."),
        button=gettext_lazy("Suspend"),
        danger=True,
    ),
    "reinstate": StatusAction(
        name="reinstate",
        title=gettext_lazy("Reinstate certificate"),
        form_class=ReinstateForm,
        service=services.certificate_reinstate,
        applies=lambda c: c.status == Certificate.Status.SUSPENDED,
        not_applicable=gettext_lazy("Only a suspended certificate can be reinstated."),
        done=gettext_lazy("Certificate %(number)s is valid again."),
        button=gettext_lazy("Reinstate"),
    ),
}


def managed_certificate(request, pk) -> Certificate:
    certificate = visible_certificate(request, pk)
    if not selectors.can_manage(request.user, certificate):
        raise PermissionDenied
    return certificate


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _status_view(request, pk, action: StatusAction):
    certificate = managed_certificate(request, pk)
    applies = action.applies(certificate)
    form = action.form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not applies:
            form.add_error(None, action.not_applicable)
        else:
            data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
            try:
                action.service(certificate=certificate, actor=request.user, **data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, action.done % {"number": certificate.number})
                return redirect("certificate_admin:inspect", pk=certificate.pk)
    return TemplateResponse(
        request,
        TEMPLATE,
        {
            "action": action,
            "certificate": certificate,
            "holder": certificate.snapshot.get("holder_name", ""),
            "applies": applies,
            "form": form,
            "inspect_url": _inspect_url(certificate),
        },
        status=400 if request.method == "POST" else 200,
    )


def _inspect_url(certificate: Certificate) -> str:
    return reverse("certificate_admin:inspect", args=[certificate.pk])


def revoke(request, pk: int):
    return _status_view(request, pk, ACTIONS["revoke"])


def suspend(request, pk: int):
    return _status_view(request, pk, ACTIONS["suspend"])


def reinstate(request, pk: int):
    return _status_view(request, pk, ACTIONS["reinstate"])
