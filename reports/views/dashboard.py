"""Admin: the statistics dashboard of health and HR officers (and platform admins).

Pick an indicator, a year, a region (the user's region and below, ``statistics.regions_for``) and a level; the
page shows the indicator per child region or institution as a bar chart with the target line, the region's
trend over the last years, the progress of the child regions against their targets with the projection and
those that will miss it, and every figure again as a table with its XLSX and CSV download. Bars and rows drill
down: county -> township or institution -> the institution's staff list (masked ID numbers).

Everything is computed by ``reports.selectors.statistics``; the files are written by ``reports.exports``.
Out-of-scope regions and institutions are 404; users without a reporting role get 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lms.registry.models import Institution, Region

from .. import exports, frames
from ..selectors import statistics as stats
from . import charts, tables
from .params import DashboardForm, Params, parse, parse_date, selectable_regions, this_year

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def require_reporter(request) -> None:
    if not stats.can_report(request.user):
        raise PermissionDenied


def download(content: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX if fmt == "xlsx" else CSV)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def table_file(tables_: list[stats.Table], fmt: str, name: str) -> HttpResponse:
    if fmt == "xlsx":
        return download(exports.to_xlsx(tables_), f"{name}.xlsx", fmt)
    if fmt == "csv" and len(tables_) == 1:
        return download(exports.to_csv(tables_[0]), f"{name}.csv", fmt)
    raise Http404


def _fmt(params: Params):
    return charts.percent if params.spec.unit == "%" else charts.plain


def _target_label(value, fmt) -> str:
    return _("Target %(value)s") % {"value": fmt(float(value))}


def _row_link(params: Params):
    """Drill-down: an area row opens the dashboard of that area, an institution row its staff list."""
    dashboard = reverse("reports_dashboard:index")
    on = params.on.isoformat() if params.on else stats.default_date(params.year).isoformat()
    own = tables.own_level(params)

    def link(row: dict) -> str:
        if params.by == "institution":
            pk = row.get("id")
            return f"{reverse('reports_dashboard:staff', args=[int(pk)])}?on={on}" if pk else ""
        if params.by == own or row.get("unit") in (None, frames.NO_UNIT):
            return ""
        return f"{dashboard}?{params.query(region=row['unit'], by=None)}"

    return link


def _region_link(params: Params):
    """A progress row (always a child region) opens the dashboard of that region."""
    dashboard = reverse("reports_dashboard:index")

    def link(row: dict) -> str:
        if row["unit"] == params.region.code:  # the region's own row
            return ""
        return f"{dashboard}?{params.query(region=row['unit'], by=None)}"

    return link


def _breadcrumbs(user, region: Region) -> list[Region]:
    """The region's ancestors that the user may report on, top first, and the region itself."""
    chain, current = [region], region
    while current.parent_id:
        current = current.parent
        chain.append(current)
    allowed = set(stats.regions_for(user).filter(pk__in=[r.pk for r in chain]).values_list("pk", flat=True))
    return [r for r in reversed(chain) if r.pk in allowed]


def _bar_chart(params: Params, table: stats.Table, link, target) -> str:
    fmt = _fmt(params)
    key = table.value_key
    bars = [
        charts.Bar(label=str(row.get("name") or "–"), value=tables.number(row.get(key)), href=link(row))
        for row in table.frame.to_dict("records")
    ]
    figure = tables.figure_header(table, "")
    description = _("%(figure)s for each of %(count)d rows.") % {"figure": figure, "count": len(bars)}
    if target is not None:
        description += " " + _("The dashed line is the target, %(value)s.") % {"value": fmt(float(target))}
    return charts.bar_chart(
        bars,
        title=table.title,
        description=description,
        target=None if target is None else float(target),
        target_label="" if target is None else _target_label(target, fmt),
        fmt=fmt,
        empty_message=_("No data"),
        more_message=_("The first %(n)d rows are drawn; the table lists all %(total)d.")
        % {"n": charts.MAX_BARS, "total": len(bars)},
        chart_id="chart-bars",
    )


def _trend_chart(params: Params, trend: stats.Table, projection: dict) -> str:
    fmt = _fmt(params)
    points = [charts.Point(str(row["year"]), tables.number(row["value"])) for row in trend.frame.to_dict("records")]
    target = trend.target
    if projection:
        points.append(charts.Point(projection["date"].isoformat(), projection["value"], projected=True))
    description = _("%(figure)s of %(region)s by year.") % {
        "figure": tables.figure_header(trend, ""),
        "region": params.region.name,
    }
    if projection:
        description += " " + _("The dashed segment is the linear projection to %(date)s: %(value)s.") % {
            "date": projection["date"].isoformat(),
            "value": fmt(projection["value"]),
        }
    return charts.line_chart(
        points,
        title=trend.title,
        description=description,
        target=None if target is None else float(target),
        target_label="" if target is None else _target_label(target, fmt),
        fmt=fmt,
        empty_message=_("No data"),
        chart_id="chart-trend",
    )


def _downloads(params: Params, kind: str, **extra) -> dict:
    base = reverse("reports_dashboard:export", args=[kind])
    query = params.query(**extra)
    return {fmt: f"{base}?{query}&format={fmt}" for fmt in ("xlsx", "csv")}


@require_GET
def dashboard(request):
    require_reporter(request)
    params = parse(request)
    user = request.user
    table, own_table = tables.main_tables(user, params)
    trend = tables.trend_table(user, params, table, own_table)
    own = tables.own_progress(params)
    projection = tables.trend_projection(params, own)
    progress = tables.progress_tables(user, params, table, own)
    link = _row_link(params)
    target = table.target if table.target is not None else getattr(tables.main_target(params), "value", None)
    main = tables.display(table, link=link)
    main["downloads"] = _downloads(params, "table")
    trend_display = tables.display(trend)
    trend_display["downloads"] = _downloads(params, "trend")
    progress_display = []
    for progress_table, missing in progress:
        shown = tables.display(progress_table, link=_region_link(params))
        shown["downloads"] = _downloads(params, "progress", measure=progress_table.meta["measure"] or None)
        shown["missing"] = missing
        progress_display.append(shown)
    return TemplateResponse(
        request,
        "reports/admin/dashboard.html",
        {
            "form": DashboardForm(
                initial={
                    "indicator": params.indicator,
                    "year": params.year,
                    "region": params.region.code,
                    "by": params.by,
                    "on": params.on,
                },
                params=params,
                regions=selectable_regions(user),
            ),
            "params": params,
            "spec": params.spec,
            "breadcrumbs": [
                (r, f"{reverse('reports_dashboard:index')}?{params.query(region=r.code, by=None)}")
                for r in _breadcrumbs(user, params.region)
            ],
            "bar_chart": mark_safe(_bar_chart(params, table, link, target)),  # noqa: S308 - escaped by charts
            "trend_chart": mark_safe(_trend_chart(params, trend, projection)),  # noqa: S308 - escaped by charts
            "projection": projection,
            "target": target,
            "own_targets": [  # targets of other measures, e.g. director and care person-times
                (tables.figure_header(table, measure), value)
                for measure, value in sorted(table.targets.items())
                if measure
            ],
            "table": main,
            "trend": trend_display,
            "progress": progress_display,
            "all_xlsx": f"{reverse('reports_dashboard:export', args=['all'])}?{params.query()}&format=xlsx",
        },
    )


@require_GET
def export(request, kind: str):
    """The dashboard's tables as files: ``kind`` is table, trend, progress (``measure``) or all (XLSX only)."""
    require_reporter(request)
    params = parse(request)
    fmt = request.GET.get("format", "xlsx")
    user = request.user
    table, own_table = tables.main_tables(user, params)
    name = f"{params.indicator}-{params.region.code}-{params.year}"
    if kind == "table":
        return table_file([table], fmt, f"{name}-{params.by}")
    if kind == "trend":
        return table_file([tables.trend_table(user, params, table, own_table)], fmt, f"{name}-trend")
    if kind == "progress":
        measure = request.GET.get("measure", "")
        chosen = [t for t, _missing in tables.progress_tables(user, params, table) if t.meta["measure"] == measure]
        return table_file(chosen, fmt, f"{name}-progress{'-' + measure if measure else ''}")
    if kind == "all" and fmt == "xlsx":
        everything = [table, tables.trend_table(user, params, table, own_table)]
        everything += [t for t, _missing in tables.progress_tables(user, params, table)]
        return table_file(everything, fmt, name)
    raise Http404


def _institution_or_404(request, pk: int) -> Institution:
    institution = Institution.objects.select_related("region").filter(pk=pk).first()
    if institution is None or not stats.regions_for(request.user).filter(pk=institution.region_id).exists():
        raise Http404
    return institution


def _staff_table(request, pk: int) -> tuple[Institution, stats.Table]:
    require_reporter(request)
    institution = _institution_or_404(request, pk)
    on = parse_date(request.GET.get("on")) or stats.default_date(this_year())
    try:
        return institution, stats.staff_list(request.user, institution=institution, on=on)
    except PermissionDenied as exc:
        raise Http404 from exc


@require_GET
def staff(request, pk: int):
    """The drill-down leaf: the institution's on-duty staff on a date, ID numbers masked."""
    institution, table = _staff_table(request, pk)
    shown = tables.display(table)
    on = table.meta["on"]
    base = reverse("reports_dashboard:staff_export", args=[pk])
    shown["downloads"] = {fmt: f"{base}?on={on}&format={fmt}" for fmt in ("xlsx", "csv")}
    region = institution.region
    back = f"{reverse('reports_dashboard:index')}?region={region.code}&by=institution"
    return TemplateResponse(
        request,
        "reports/admin/staff.html",
        {"institution": institution, "table": shown, "on": on, "back_url": back},
    )


@require_GET
def staff_export(request, pk: int):
    institution, table = _staff_table(request, pk)
    return table_file([table], request.GET.get("format", "xlsx"), f"staff-{institution.pk}-{table.meta['on']}")
