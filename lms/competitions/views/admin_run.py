"""Admin pages that run one competition (organizers only; ``admin_policy.managed_competition``, else 404):

* the run page: status, configuration problems, what stops publication, and the buttons open registration /
  close registration and start / draw codes / compute results / publish results (each a POST to its service;
  a refusal is shown as error messages);
* entries: filter by track and status, approve or refuse (with a reason) through ``services.entries.entry_decide``
  (no codes on this page: names and codes meet only on the mapping page);
* the code mapping (code ↔ contestant), audited as ``competitions.mapping.view`` at every viewing.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from lms.registry import audit

from .. import selectors
from ..models import Competition, Entry
from ..services import competitions as competitions_svc
from ..services import entries as entries_svc
from ..services import results as results_svc
from .admin_policy import managed_competition, show_errors

Status = Competition.Status

# action -> the statuses in which its button shows
ACTIONS = {
    "open": (Status.DRAFT,),
    "start": (Status.OPEN,),
    "draw": (Status.RUNNING,),
    "compute": (Status.RUNNING,),
    "publish": (Status.RUNNING,),
}


def _act(request, competition: Competition, action: str) -> None:
    actor = request.user
    if action == "open":
        competitions_svc.competition_open(competition=competition, actor=actor)
        messages.success(request, _("Registration is open."))
    elif action == "start":
        competitions_svc.competition_start(competition=competition, actor=actor)
        messages.success(request, _("Registration is closed and the competition is under way."))
    elif action == "draw":
        count = entries_svc.codes_draw(competition=competition, actor=actor)
        messages.success(
            request,
            ngettext("%(n)d contestant got a code.", "%(n)d contestants got codes.", count) % {"n": count},
        )
    elif action == "compute":
        results_svc.results_compute(competition=competition, actor=actor)
        messages.success(request, _("Results computed."))
    elif action == "publish":
        results_svc.results_publish(competition=competition, actor=actor)
        messages.success(request, _("Results published."))


def _results(competition: Competition):
    """Computed totals by track and rank: codes only (names next to codes are on the audited mapping page)
    until the results are published."""
    return (
        competition.entries.filter(status=Entry.Status.APPROVED)
        .exclude(total__isnull=True, stopped_after__isnull=True)
        .select_related("track", "person", "institution", "provider", "stopped_after")
        .order_by("track__sort_order", "track_id", F("rank").asc(nulls_last=True), "-total", "draw_number")
    )


@require_http_methods(["GET", "POST"])
def run_view(request, pk: int):
    competition = managed_competition(request, pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            raise Http404
        try:
            _act(request, competition, action)
        except ValidationError as exc:
            show_errors(request, exc)
        return redirect("competition_admin:run", pk=competition.pk)
    counts = dict(competition.entries.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    running = competition.status == Status.RUNNING
    return TemplateResponse(
        request,
        "competitions/admin/run.html",
        {
            "competition": competition,
            "problems": competitions_svc.config_problems(competition),
            "results_problems": results_svc.results_problems(competition) if running else [],
            "counts": [(label, counts.get(value, 0)) for value, label in Entry.Status.choices],
            "coded": competition.entries.exclude(code="").count(),
            "actions": {name for name, statuses in ACTIONS.items() if competition.status in statuses},
            "tracks": competition.tracks.all(),
            "rounds": competition.rounds.all(),
            "results": _results(competition),
            "published": competition.status == Status.PUBLISHED,
        },
    )


# --- entries ----------------------------------------------------------------------------------------------------


def _decide(request, competition: Competition) -> None:
    entry = Entry.objects.filter(competition=competition, pk=request.POST.get("entry") or 0).first()
    if entry is None:
        raise Http404
    approve = request.POST.get("action") == "approve"
    reason = (request.POST.get("reason") or "").strip()
    try:
        entry = entries_svc.entry_decide(entry=entry, approve=approve, actor=request.user, reason=reason)
    except ValidationError as exc:
        show_errors(request, exc, prefix=f"{entry.person.name}: ")
        return
    if entry.status == Entry.Status.APPROVED:
        messages.success(request, _("%(name)s: approved.") % {"name": entry.person.name})
    else:
        messages.warning(
            request, _("%(name)s: refused (%(reason)s).") % {"name": entry.person.name, "reason": entry.refusal_reason}
        )


@require_http_methods(["GET", "POST"])
def entries_view(request, pk: int):
    competition = managed_competition(request, pk)
    if request.method == "POST":
        if request.POST.get("action") not in ("approve", "refuse"):
            raise Http404
        _decide(request, competition)
        url = reverse("competition_admin:entries", args=[competition.pk])
        query = request.POST.get("query", "")
        return redirect(f"{url}?{query}" if query else url)
    tracks = list(competition.tracks.all())
    rows = competition.entries.select_related("track", "person", "institution", "provider").order_by(
        "track__sort_order", "status", "registered_at", "pk"
    )
    track = request.GET.get("track", "")
    if track.isdigit():
        rows = rows.filter(track_id=int(track))
    status = request.GET.get("status", "")
    if status in Entry.Status.values:
        rows = rows.filter(status=status)
    return TemplateResponse(
        request,
        "competitions/admin/entries.html",
        {
            "competition": competition,
            "rows": rows,
            "tracks": tracks,
            "statuses": Entry.Status.choices,
            "track": track,
            "status": status,
            "query": request.GET.urlencode(),
            "can_decide": competition.status in (Status.OPEN, Status.RUNNING),
        },
    )


# --- code mapping -----------------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def mapping_view(request, pk: int):
    """Which contestant has which code: for the organizer's eyes only; every viewing is in the audit log."""
    competition = managed_competition(request, pk)
    rows = selectors.code_mapping(competition)
    audit.record(competition, "competitions.mapping.view", actor=request.user, rows=len(rows))
    response = TemplateResponse(request, "competitions/admin/mapping.html", {"competition": competition, "rows": rows})
    response["Cache-Control"] = "no-store"
    return response
