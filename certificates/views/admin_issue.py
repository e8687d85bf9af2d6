"""Admin: bulk issuance of training certificates for course completions that have none, with a progress bar.

"Issue all (N)" creates an :class:`~certificates.models.IssuanceBatch` through ``services.batch_create``, which
queues ``tasks.batch_issue_task`` after commit. The batch page polls a small JSON endpoint every second
(certificates/static/certificates/admin/batch.js). A batch that stopped (failed, or a worker died) can be run
again: the run continues after the last committed chunk, and issuance is idempotent, so nothing is issued twice.

Who may: see ``admin_scope.completions_issuable_by`` (platform admins all, provider staff their own courses,
health and HR officers their region). A batch is followed by the user who started it (and platform admins);
anyone else gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from lms.registry.masking import mask_name

from .. import services, tasks
from ..models import IssuanceBatch
from ..selectors import admin as admin_scope

PREVIEW_ROWS = 100
MAX_BATCH = 10_000  # completions per batch; "issue all" again for the next ones
SHOWN_ERRORS = 50


def _require_issuer(request) -> None:
    if not admin_scope.can_issue_bulk(request.user):
        raise PermissionDenied


def _batch_or_404(request, pk) -> IssuanceBatch:
    batch = admin_scope.batches_for(request.user).filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch


def issue_index(request):
    """The completions in the user's scope that have no certificate, and "issue all (N)"."""
    _require_issuer(request)
    completions = admin_scope.completions_issuable_by(request.user)
    if request.method == "POST":
        ids = list(completions.values_list("pk", flat=True)[:MAX_BATCH])
        if not ids:
            messages.info(request, _("Every course completion in your scope already has a certificate."))
            return redirect("certificate_issuance:index")
        try:
            batch = services.batch_create(completion_ids=ids, actor=request.user)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
            return redirect("certificate_issuance:index")
        messages.success(
            request,
            ngettext("Issuing %(count)d certificate.", "Issuing %(count)d certificates.", batch.total)
            % {"count": batch.total},
        )
        return redirect("certificate_issuance:batch", pk=batch.pk)
    total = completions.count()
    rows = [
        {
            "name": mask_name(c.person.name),
            "id_number": c.person.id_number_masked,
            "course": c.course.title,
            "hours": c.hours,
            "completed_at": c.completed_at,
        }
        for c in completions.select_related("person", "course")[:PREVIEW_ROWS]
    ]
    return TemplateResponse(
        request,
        "certificates/admin/issue_index.html",
        {
            "total": total,
            "to_issue": min(total, MAX_BATCH),
            "rows": rows,
            "more": max(0, total - len(rows)),
            "batches": admin_scope.batches_for(request.user).select_related("created_by")[:10],
        },
    )


def batch_state(batch: IssuanceBatch) -> dict:
    """What the progress page shows (also its JSON endpoint)."""
    return {
        "id": batch.pk,
        "status": batch.status,
        "status_label": str(batch.get_status_display()),
        "total": batch.total,
        "done": batch.done,
        "issued": batch.issued,
        "failed": batch.failed,
        "percent": batch.percent,
        "running": batch.status in (IssuanceBatch.Status.PENDING, IssuanceBatch.Status.RUNNING),
        "errors": [{"item": e.get("item"), "error": e.get("error", "")} for e in (batch.errors or [])[-SHOWN_ERRORS:]],
    }


def batch_detail(request, pk: int):
    batch = _batch_or_404(request, pk)
    return TemplateResponse(
        request,
        "certificates/admin/batch.html",
        {
            "batch": batch,
            "state": batch_state(batch),
            "progress_url": reverse("certificate_issuance:progress", args=[batch.pk]),
            "rerun_url": reverse("certificate_issuance:rerun", args=[batch.pk]),
            "zip_url": reverse("certificate_issuance:zip", args=[batch.pk])
            if admin_scope.can_download_zip(request.user)
            else "",
            "can_rerun": batch.status != IssuanceBatch.Status.FINISHED,
        },
    )


@require_GET
def batch_progress(request, pk: int):
    return JsonResponse(batch_state(_batch_or_404(request, pk)))  # never cached: the admin adds no-store


@require_POST
def batch_rerun(request, pk: int):
    """Run the batch again (after a failure or a lost worker): continues after the last committed chunk."""
    batch = _batch_or_404(request, pk)
    batch_id = batch.pk
    transaction.on_commit(lambda: tasks.batch_issue_task.delay(batch_id), robust=True)
    messages.success(request, _("The batch is running again; certificates already issued are kept."))
    return redirect("certificate_issuance:batch", pk=batch_id)


class IssuanceMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_scope.can_issue_bulk(request.user)


class IssuanceViewSet(ViewSet):
    name = "certificate_issuance"
    url_prefix = "certificate-issuance"
    icon = "upload"
    menu_label = gettext_lazy("Bulk issuance")
    menu_item_class = IssuanceMenuItem

    @cached_property
    def menu_url(self):
        return reverse("certificate_issuance:index")

    def get_urlpatterns(self):
        from . import admin_zip

        return [
            path("", issue_index, name="index"),
            path("batches/<int:pk>/", batch_detail, name="batch"),
            path("batches/<int:pk>/progress.json", batch_progress, name="progress"),
            path("batches/<int:pk>/rerun/", batch_rerun, name="rerun"),
            path("batches/<int:pk>/certificates.zip", admin_zip.batch_zip, name="zip"),
        ]
