"""Judges' tablet pages of a competition (mounted at /competitions/judge/).

* ``stations`` — the stations the user judges (anyone else sees an empty list);
* ``station`` — the user's contestants at a station, by code only (never a name, a unit or an ID number),
  with the state of the user's own sheet; contestants of the judge's own unit are never listed (recusal:
  no sheet exists for them);
* ``mark`` — marks per criterion with a live total and the time used (``mm:ss``): save a draft, or submit
  (confirmed) to lock the sheet; a locked sheet is read-only;
* ``chief`` / ``reopen`` — the chief judge's overview (every judge's totals, outliers, the station score) and the
  reopening of a locked sheet with a reason.

Stations the user does not judge and other judges' sheets are "not found"; the chief's pages refuse other
judges. The services decide everything else (locks, ranges, who may reopen, publication).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lms.exams.selectors.practical import criteria_of, display_name

from ..models import Competition, Station
from ..selectors.judging import JUDGING_STATUSES, judge_of, judge_rows, judge_stations, sheet_for, sheet_for_chief
from ..services import judging
from .judge_chief import chief_context
from .judge_forms import TIME_FIELD, criteria_rows, format_time, parse_time, posted_marks


def _station_of_judge(request, station_id: int):
    station = get_object_or_404(
        Station.objects.select_related("round", "track", "track__competition", "rubric"), pk=station_id
    )
    judge = judge_of(request.user, station)
    if judge is None or station.rubric_id is None or station.track.competition.status not in JUDGING_STATUSES:
        raise Http404
    return station, judge


@never_cache
@login_required
@require_GET
def stations(request):
    mine = judge_stations(request.user).filter(rubric__isnull=False)  # theory stations have no judges' pages
    return render(request, "competitions/judge/stations.html", {"stations": mine})


@never_cache
@login_required
@require_GET
def station(request, station_id: int):
    station, judge = _station_of_judge(request, station_id)
    rows = judge_rows(station, judge)
    return render(
        request,
        "competitions/judge/station.html",
        {
            "station": station,
            "competition": station.track.competition,
            "judge": judge,
            "rows": rows,
            "done": sum(1 for r in rows if r.state == "locked"),
        },
    )


def _next_to_mark(station, judge, after_sheet_id: int):
    rows = [r for r in judge_rows(station, judge) if r.state != "locked" and r.sheet.pk != after_sheet_id]
    return rows[0] if rows else None


def _sheet_of_judge(request, station, sheet_id: int):
    sheet = sheet_for(request.user, sheet_id)
    if sheet is None or sheet.station_id != station.pk:
        raise Http404
    return sheet


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mark(request, station_id: int, sheet_id: int):
    """One contestant's sheet of the user. POST ``action=save`` keeps a draft; ``action=submit`` asks for a
    confirmation (JavaScript confirms in place and posts ``confirmed=1``) and then locks the sheet."""
    station, judge = _station_of_judge(request, station_id)
    sheet = _sheet_of_judge(request, station, sheet_id)
    criteria = criteria_of(station.rubric_id)
    marks, time_text = dict(sheet.marks), format_time(sheet.time_seconds)
    errors: list[str] = []
    status, confirming = 200, False
    if request.method == "POST":
        marks, time_text = posted_marks(request.POST, criteria), request.POST.get(TIME_FIELD, "").strip()
        action = request.POST.get("action")
        try:
            seconds = parse_time(time_text)
            # the draft is kept first, so that nothing typed is lost when the submission is refused
            sheet = judging.sheet_save(sheet=sheet, marks=marks, actor=request.user, time_seconds=seconds)
            if action != "submit":
                messages.success(request, _("Draft saved."))
                return redirect("competition_judge_mark", station_id=station.pk, sheet_id=sheet.pk)
            if request.POST.get("confirmed") != "1":
                confirming = True
            else:
                judging.sheet_submit(sheet=sheet, actor=request.user, marks=marks, time_seconds=seconds)
                messages.success(request, _("Marks submitted and locked."))
                return redirect("competition_judge_mark", station_id=station.pk, sheet_id=sheet.pk)
        except ValidationError as exc:
            errors = exc.messages
            status = 409 if getattr(exc, "code", None) == "locked" else 400
        sheet = _sheet_of_judge(request, station, sheet_id)
        if sheet.locked:
            marks, time_text = dict(sheet.marks), format_time(sheet.time_seconds)
    return render(
        request,
        "competitions/judge/mark.html",
        {
            "station": station,
            "competition": station.track.competition,
            "judge": judge,
            "sheet": sheet,
            "code": sheet.entry.code,
            "rows": criteria_rows(criteria, marks),
            "time_text": time_text,
            "time_field": TIME_FIELD,
            "full_score": sum((c.max_points for c in criteria), 0),
            "locked": sheet.locked or station.track.competition.status == Competition.Status.PUBLISHED,
            "confirming": confirming and not errors,
            "errors": errors,
            "next": _next_to_mark(station, judge, sheet.pk) if sheet.locked else None,
        },
        status=status,
    )


def _chief_station(request, station_id: int):
    station, judge = _station_of_judge(request, station_id)
    if not judge.is_chief:
        raise PermissionDenied
    return station, judge


@never_cache
@login_required
@require_GET
def chief(request, station_id: int):
    station, judge = _chief_station(request, station_id)
    return render(request, "competitions/judge/chief.html", chief_context(station, judge))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def reopen(request, station_id: int, sheet_id: int):
    """The chief judge reopens a locked sheet with a reason: its judge can then change and submit it again."""
    station, _chief = _chief_station(request, station_id)
    sheet = sheet_for_chief(request.user, sheet_id)
    if sheet is None or sheet.station_id != station.pk:
        raise Http404
    reason, errors, status = "", [], 200
    if request.method == "POST":
        reason = request.POST.get("reason", "").strip()
        try:
            judging.sheet_reopen(sheet=sheet, reason=reason, actor=request.user)
        except ValidationError as exc:
            errors, status = exc.messages, 400
        else:
            messages.success(request, _("The sheet was reopened: its judge can change and submit it again."))
            return redirect("competition_judge_chief", station_id=station.pk)
    criteria = criteria_of(station.rubric_id)
    return render(
        request,
        "competitions/judge/reopen.html",
        {
            "station": station,
            "competition": station.track.competition,
            "sheet": sheet,
            "code": sheet.entry.code,
            "judge_name": display_name(sheet.judge.user),
            "rows": criteria_rows(criteria, dict(sheet.marks)),
            "time_text": format_time(sheet.time_seconds),
            "reason": reason,
            "errors": errors,
            "reopenings": sheet.reopenings.select_related("reopened_by"),
        },
        status=status,
    )
