"""Roster import pages in the admin: template download, upload + dry-run preview, commit, status."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import selectors, services
from ..models import RosterImport
from ..staff_rows import COLUMNS
from .forms import RosterUploadForm

TEMPLATE_EXAMPLE = ["张小华", "530302199001011238", "13812345678", "保育人员", "2024-03-01", "", "2025-02-20"]


def _require_roster_right(request) -> None:
    if not selectors.institutions_for_roster(request.user).exists():
        raise PermissionDenied


def roster_template(request, fmt: str):
    """The expected columns, with one example row, as XLSX (text-formatted ID column) or CSV."""
    _require_roster_right(request)
    headers = [c.header for c in COLUMNS]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerows([headers, TEMPLATE_EXAMPLE])
        response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="roster-template.csv"'
        return response
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(headers)
    ws.append(TEMPLATE_EXAMPLE)
    for i, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="C0392B" if col.required else "7F8C8D")
        ws.column_dimensions[get_column_letter(i)].width = 22
        for row in range(2, 2001):
            ws.cell(row=row, column=i).number_format = "@"  # text, so Excel keeps ID numbers intact
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("说明")
    notes.append([_("Column"), _("Required"), _("How to fill it in")])
    for col in COLUMNS:
        notes.append([col.header, _("Yes") if col.required else _("No"), str(col.help)])
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["C"].width = 60
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="roster-template.xlsx"'
    return response


def roster_upload(request):
    _require_roster_right(request)
    form = RosterUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        roster = services.roster_preview(
            institution=form.cleaned_data["institution"],
            data=upload.read(),
            filename=upload.name,
            actor=request.user,
        )
        return redirect("registry_roster_detail", roster.pk)
    recent = selectors.visible(request.user, RosterImport).select_related("institution", "uploaded_by")[:20]
    return TemplateResponse(request, "registry/roster_upload.html", {"form": form, "recent": recent})


def roster_detail(request, pk: int):
    roster = get_object_or_404(selectors.visible(request.user, RosterImport), pk=pk)
    if request.method == "POST":
        if not services.roster_start_commit(roster=roster, actor=request.user):
            messages.error(request, _("This roster cannot be imported (already imported, or nothing valid in it)."))
            return redirect("registry_roster_detail", roster.pk)
        messages.success(request, _("The import has started."))
        return redirect("registry_roster_detail", roster.pk)
    return TemplateResponse(
        request,
        "registry/roster_detail.html",
        {
            "roster": roster,
            "errors": roster.errors[:1000],
            "more_errors": max(0, len(roster.errors) - 1000),
            "can_commit": services.roster_can_commit(roster),
        },
    )


def roster_errors_csv(request, pk: int):
    """The error report as CSV (UTF-8 with BOM so that Excel opens it), to fix the file and re-import."""
    roster = get_object_or_404(selectors.visible(request.user, RosterImport), pk=pk)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Row"), _("Column"), _("Problem")])
    for e in roster.errors:
        writer.writerow([e["row"], e["column"], e["message"]])
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roster-{roster.pk}-errors.csv"'
    return response
