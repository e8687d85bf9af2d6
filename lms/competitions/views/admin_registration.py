"""Admin pages where institution admins and provider staff register their contestants.

* The list: competitions open to the user's units (``selectors.competitions_for``: not drafts, in a region that
  covers the unit).
* One competition: per track, a person of the user's roster (``selectors.registrable_people``) is registered for
  one of the user's units (``services.entries.entry_register``). An ineligible person's entry is saved refused with
  the reasons, shown as a warning; a full quota or a closed registration is an error on the track's form. Below,
  the units' entries (``selectors.entries_for``) with status and refusal reason — never the codes — and a withdraw
  button (``services.entries.entry_withdraw``).

Anyone without an institution admin or provider staff grant gets a 404 here (organizers use the run pages).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lms.registry.models import Person

from .. import selectors
from ..choices import Group
from ..models import Competition, Entry, Track
from ..services import entries as entries_svc
from .admin_policy import add_errors, is_unit_staff, show_errors

ACTIVE = (Entry.Status.PENDING, Entry.Status.APPROVED)


class RegisterForm(forms.Form):
    person = forms.ModelChoiceField(label=gettext_lazy("Contestant"), queryset=Person.objects.none())
    unit = forms.ModelChoiceField(label=gettext_lazy("Registering unit"), queryset=Person.objects.none())

    def __init__(self, *args, track: Track, user, units, **kwargs):
        super().__init__(*args, prefix=f"track{track.pk}", **kwargs)
        self.track = track
        self.fields["person"].queryset = selectors.registrable_people(user, track).order_by("name", "pk")
        self.fields["unit"].queryset = units
        only = list(units[:2])
        if len(only) == 1:
            self.fields["unit"].initial = only[0].pk

    def unit_kwargs(self) -> dict:
        unit = self.cleaned_data["unit"]
        return {"provider": unit} if self.track.group == Group.STUDENT else {"institution": unit}


def _units(user, competition: Competition) -> dict:
    """The user's units inside the competition's region: institutions (staff tracks), providers (student tracks)."""
    institutions, providers = selectors.units_for(user)
    prefix = competition.region.scope_prefix
    return {
        Group.STAFF: institutions.filter(region__code__startswith=prefix).order_by("name"),
        Group.STUDENT: providers.filter(region__code__startswith=prefix).order_by("name"),
    }


def _competition(request, pk: int) -> Competition:
    if not is_unit_staff(request.user):
        raise Http404
    competition = selectors.competitions_for(request.user).filter(pk=pk).select_related("region").first()
    if competition is None:
        raise Http404
    return competition


@require_http_methods(["GET"])
def register_index(request):
    if not is_unit_staff(request.user):
        raise Http404
    competitions = selectors.competitions_for(request.user).select_related("region").order_by("-starts_on")
    return TemplateResponse(request, "competitions/admin/register_index.html", {"competitions": competitions})


def _register(request, competition: Competition, form: RegisterForm) -> bool:
    if not form.is_valid():
        return False
    person = form.cleaned_data["person"]
    try:
        entry = entries_svc.entry_register(track=form.track, person=person, actor=request.user, **form.unit_kwargs())
    except ValidationError as exc:
        add_errors(form, exc)
        return False
    if entry.status == Entry.Status.REFUSED:
        messages.warning(
            request,
            _("%(name)s cannot take part: %(reason)s") % {"name": person.name, "reason": entry.refusal_reason},
        )
    else:
        messages.success(
            request, _("%(name)s is registered and awaits the organizer's approval.") % {"name": person.name}
        )
    return True


def _withdraw(request, competition: Competition) -> None:
    entry = selectors.entries_for(request.user, competition).filter(pk=request.POST.get("entry") or 0).first()
    if entry is None:
        raise Http404
    try:
        entries_svc.entry_withdraw(entry=entry, actor=request.user)
    except ValidationError as exc:
        show_errors(request, exc, prefix=f"{entry.person.name}: ")
        return
    messages.success(request, _("%(name)s: entry withdrawn.") % {"name": entry.person.name})


def _places(track: Track, units: list, entries) -> list[tuple]:
    rows = []
    for unit in units:
        kwargs = {"provider": unit} if track.group == Group.STUDENT else {"institution": unit}
        used = sum(1 for e in entries if e.track_id == track.pk and e.status in ACTIVE and e.unit_key[1] == unit.pk)
        rows.append((unit, used, entries_svc.unit_quota(track, **kwargs)))
    return rows


@require_http_methods(["GET", "POST"])
def register_competition(request, pk: int):
    competition = _competition(request, pk)
    user = request.user
    units = _units(user, competition)
    tracks = list(competition.tracks.all())
    bound = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "withdraw":
            _withdraw(request, competition)
            return redirect("competition_register:competition", pk=competition.pk)
        if action != "register":
            raise Http404
        track = next((t for t in tracks if str(t.pk) == request.POST.get("track")), None)
        if track is None or not units[track.group].exists():
            raise Http404
        bound = RegisterForm(request.POST, track=track, user=user, units=units[track.group])
        if _register(request, competition, bound):
            return redirect("competition_register:competition", pk=competition.pk)
    entries = list(
        selectors.entries_for(user, competition)
        .select_related("track", "person", "institution", "provider")
        .order_by("track__sort_order", "person__name", "pk")
    )
    open_ = competition.status == Competition.Status.OPEN
    sections = []
    for track in tracks:
        track_units = list(units[track.group])
        form = None
        if open_ and track_units:
            form = (
                bound
                if bound is not None and bound.track == track
                else RegisterForm(track=track, user=user, units=units[track.group])
            )
        sections.append({"track": track, "form": form, "places": _places(track, track_units, entries)})
    return TemplateResponse(
        request,
        "competitions/admin/register.html",
        {
            "competition": competition,
            "sections": sections,
            "entries": entries,
            "open": open_,
            "withdrawable": (Entry.Status.PENDING, Entry.Status.APPROVED),
        },
    )
