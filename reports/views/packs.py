"""Admin: the monthly report packs of the user's regions (list, download). Other regions' packs are 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import packs
from .dashboard import download, require_reporter

PAGE = 120  # ten years of one region's packs


@require_GET
def pack_list(request):
    require_reporter(request)
    rows = packs.packs_for(request.user).order_by("-month", "region__code")[:PAGE]
    return TemplateResponse(request, "reports/admin/packs.html", {"packs": rows})


@require_GET
def pack_download(request, pk: int):
    require_reporter(request)
    pack = packs.packs_for(request.user).filter(pk=pk).first()
    if pack is None:
        raise Http404
    content = packs.pack_bytes(pack)
    if content is None:
        messages.error(request, _("The file of this pack is missing or damaged (its SHA-256 does not match)."))
        return redirect("reports_packs:index")
    response = download(content, packs.pack_filename(pack), "xlsx")
    response["X-Content-SHA256"] = pack.sha256
    return response
