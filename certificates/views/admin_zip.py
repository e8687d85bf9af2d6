"""Admin: the PDFs of selected certificates, or of an issuance batch, as one ZIP file.

Provider staff download their own providers' certificates, platform admins any (``admin_scope``). The ZIP is
written into an anonymous temporary file (never held in memory) and streamed from there. Members are named
``<number>-<masked name>.pdf`` (characters that Windows forbids in file names, such as the mask's ``*``,
become their full-width forms). A certificate without a rendered PDF is rendered on the spot through
``services.certificate_pdf_render`` (at most ``RENDER_LIMIT`` per download); the others are queued for
rendering and listed in a README.txt inside the ZIP.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import zipfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from .. import services, tasks
from ..models import Certificate
from ..selectors import admin as admin_scope

logger = logging.getLogger(__name__)

MAX_CERTIFICATES = 2000  # per ZIP
RENDER_LIMIT = 50  # PDFs rendered during one download; the rest are queued
_FORBIDDEN = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in '\\/:*?"<>|'})


def member_name(certificate: Certificate) -> str:
    """``<number>-<masked name>.pdf``, safe as a file name on every system."""
    holder = certificate.snapshot.get("holder_name", "")
    return f"{certificate.number}-{holder}.pdf".translate(_FORBIDDEN).replace("\x00", "")


def _require_downloader(request) -> None:
    if not admin_scope.can_download_zip(request.user):
        raise PermissionDenied


def _rendered(certificate: Certificate, budget: list[int]) -> tuple[Certificate | None, str]:
    """The certificate with its PDF (rendered now if the budget allows), or None and why not."""
    if certificate.pdf:
        return certificate, ""
    if budget[0] <= 0:
        certificate_id = certificate.pk
        transaction.on_commit(lambda: tasks.render_pdf_task.delay(certificate_id), robust=True)
        return None, _("not rendered yet (queued; download again in a few minutes)")
    budget[0] -= 1
    try:
        rendered = services.certificate_pdf_render(certificate_id=certificate.pk)
    except Exception:  # a broken render must not cost the whole download
        logger.exception("rendering the PDF of certificate %s failed", certificate.number)
        return None, _("the PDF could not be rendered")
    if rendered is None or not rendered.pdf:
        return None, _("the PDF could not be rendered")
    return rendered, ""


def build_zip(rows: list[Certificate], *, truncated: bool = False):
    """Write the ZIP into an anonymous temporary file; returns (file at position 0, PDFs written,
    [(number, why its PDF is missing)])."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the FileResponse)
    missing: list[tuple[str, str]] = []
    written = 0
    budget = [RENDER_LIMIT]
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for row in rows:
            certificate, problem = _rendered(row, budget)
            if certificate is not None:
                try:
                    with certificate.pdf.open("rb") as source, archive.open(member_name(certificate), "w") as target:
                        shutil.copyfileobj(source, target)
                except OSError:
                    logger.warning("PDF of certificate %s is missing from storage", certificate.number)
                    problem = _("the PDF file is missing from storage")
                else:
                    written += 1
                    continue
            missing.append((row.number, problem))
        if missing or truncated:
            lines = []
            if truncated:
                lines += [
                    ngettext(
                        "Only the first %(count)d certificate is in this file.",
                        "Only the first %(count)d certificates are in this file.",
                        len(rows),
                    )
                    % {"count": len(rows)},
                    "",
                ]
            if missing:
                lines += [_("Certificates whose PDF is not in this file:"), ""]
                lines += [f"{number}\t{problem}" for number, problem in missing]
            archive.writestr("README.txt", "\r\n".join(lines) + "\r\n", compress_type=zipfile.ZIP_DEFLATED)
    out.seek(0)
    return out, written, missing


def _response(certificates, filename: str) -> FileResponse:
    rows = list(certificates.order_by("number")[: MAX_CERTIFICATES + 1])
    truncated = len(rows) > MAX_CERTIFICATES
    out, written, missing = build_zip(rows[:MAX_CERTIFICATES], truncated=truncated)
    logger.info("certificate ZIP %s: %d PDFs, %d missing", filename, written, len(missing))
    return FileResponse(out, as_attachment=True, filename=filename, content_type="application/zip")


@require_POST
def selected_zip(request):
    """The PDFs of the certificates ticked in the listing (``id`` fields); any id out of scope is a 404."""
    _require_downloader(request)
    try:
        ids = {int(value) for value in request.POST.getlist("id")}
    except ValueError:
        raise Http404 from None
    if not ids:
        messages.error(request, _("Tick the certificates to download first."))
        return redirect("certificate_admin:index")
    certificates = admin_scope.certificates_downloadable_by(request.user).filter(pk__in=ids)
    if certificates.count() != len(ids):
        raise Http404
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _response(certificates, f"certificates-{stamp}.zip")


@require_GET
def batch_zip(request, pk: int):
    """The PDFs of the certificates of an issuance batch (those the user may download)."""
    _require_downloader(request)
    batch = admin_scope.batches_for(request.user).filter(pk=pk).first()
    if batch is None:
        raise Http404
    issued = admin_scope.batch_certificates(batch).values("pk")
    certificates = admin_scope.certificates_downloadable_by(request.user).filter(pk__in=issued)
    return _response(certificates, f"certificates-batch-{batch.pk}.zip")
