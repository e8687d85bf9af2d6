"""Admin pages of one competition's stations and judges, and of its unit quotas (organizers only).

* Stations: add a station (round, track, name, a rubric for a practical round or an exam sitting for a theory
  round); add a judge by user name (own unit for recusal, chief or not) and remove one
  (``services.judging.judge_add`` / ``judge_remove``); assign the sheets (``sheets_assign``: a recusal that would
  leave a contestant with too few judges is refused, naming the code); for theory stations enrol the approved
  contestants in the sitting and take its scores (``theory_enrol`` / ``theory_import``).
* Quotas: a unit's own number of places in a track, instead of the track's places per unit.

Configuration writes here are audited as ``competitions.competition.update`` (with what changed).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from lms.exams.models import Rubric, Sitting
from lms.registry import audit
from lms.registry.models import Institution, TrainingProvider

from ..choices import RoundKind
from ..models import Competition, Judge, Quota, Station, Track
from ..services import judging as judging_svc
from ..services import theory as theory_svc
from .admin_policy import add_errors, managed_competition, show_errors


def _units_in(competition: Competition):
    prefix = competition.region.scope_prefix
    return (
        Institution.objects.filter(region__code__startswith=prefix).order_by("name"),
        TrainingProvider.objects.filter(region__code__startswith=prefix).order_by("name"),
    )


def _refuse_when_published(competition: Competition) -> None:
    if competition.status == Competition.Status.PUBLISHED:
        raise ValidationError(_("The results of this competition are published: it can no longer change."))


# --- forms ------------------------------------------------------------------------------------------------------


class StationForm(forms.ModelForm):
    class Meta:
        model = Station
        fields = ["round", "track", "name", "place", "rubric", "sitting", "weight"]

    def __init__(self, *args, competition: Competition, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance_competition = competition
        self.fields["round"].queryset = competition.rounds.all()
        self.fields["track"].queryset = competition.tracks.all()
        self.fields["rubric"].queryset = Rubric.objects.filter(active=True).order_by("name")
        self.fields["sitting"].queryset = Sitting.objects.order_by("-opens_at")

    def clean(self):
        data = super().clean()
        round_, rubric, sitting = data.get("round"), data.get("rubric"), data.get("sitting")
        if round_ is None:
            return data
        if round_.kind == RoundKind.PRACTICAL:
            if rubric is None:
                self.add_error("rubric", _("A practical station needs a rubric."))
            if sitting is not None:
                self.add_error("sitting", _("A practical station has no exam sitting."))
        else:
            if sitting is None:
                self.add_error("sitting", _("A theory station needs an exam sitting."))
            if rubric is not None:
                self.add_error("rubric", _("A theory station has no rubric."))
        return data


class JudgeForm(forms.Form):
    station = forms.ModelChoiceField(label=gettext_lazy("Station"), queryset=Station.objects.none())
    username = forms.CharField(label=gettext_lazy("Judge's user name"), max_length=150)
    institution = forms.ModelChoiceField(
        label=gettext_lazy("Own institution"),
        queryset=Institution.objects.none(),
        required=False,
        help_text=gettext_lazy("Leave empty to use the institution where the judge works today."),
    )
    provider = forms.ModelChoiceField(
        label=gettext_lazy("Own school / training provider"), queryset=TrainingProvider.objects.none(), required=False
    )
    is_chief = forms.BooleanField(label=gettext_lazy("Chief judge"), required=False)

    def __init__(self, *args, competition: Competition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = Station.objects.filter(
            round__competition=competition, round__kind=RoundKind.PRACTICAL
        ).select_related("round", "track")
        self.fields["institution"].queryset, self.fields["provider"].queryset = _units_in(competition)

    def clean_username(self):
        user = get_user_model().objects.filter(username=self.cleaned_data["username"].strip(), is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("There is no active user with this user name."))
        return user


class QuotaForm(forms.Form):
    track = forms.ModelChoiceField(label=gettext_lazy("Track"), queryset=Track.objects.none())
    institution = forms.ModelChoiceField(
        label=gettext_lazy("Institution"), queryset=Institution.objects.none(), required=False
    )
    provider = forms.ModelChoiceField(
        label=gettext_lazy("School / training provider"), queryset=TrainingProvider.objects.none(), required=False
    )
    places = forms.IntegerField(label=gettext_lazy("Places"), min_value=0, max_value=999)

    def __init__(self, *args, competition: Competition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = competition.tracks.all()
        self.fields["institution"].queryset, self.fields["provider"].queryset = _units_in(competition)

    def clean(self):
        data = super().clean()
        if bool(data.get("institution")) == bool(data.get("provider")):
            raise forms.ValidationError(_("Choose either an institution or a school / training provider."))
        return data


# --- stations ---------------------------------------------------------------------------------------------------


def _station(competition: Competition, pk) -> Station:
    station = Station.objects.filter(round__competition=competition, pk=pk or 0).select_related("round").first()
    if station is None:
        raise Http404
    return station


def _add_station(request, competition, form) -> bool:
    if not form.is_valid():
        return False
    try:
        _refuse_when_published(competition)
        station = form.save()
    except ValidationError as exc:
        add_errors(form, exc)
        return False
    audit.record(competition, "competitions.competition.update", actor=request.user, station_added=station.name)
    messages.success(request, _("Station “%(name)s” added.") % {"name": station.name})
    return True


def _add_judge(request, form) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        judging_svc.judge_add(
            station=data["station"],
            user=data["username"],
            actor=request.user,
            institution=data["institution"],
            provider=data["provider"],
            is_chief=data["is_chief"],
        )
    except ValidationError as exc:
        add_errors(form, exc)
        return False
    messages.success(request, _("Judge added."))
    return True


def _station_action(request, competition, action: str) -> None:
    actor = request.user
    if action == "remove_judge":
        judge = Judge.objects.filter(station__round__competition=competition, pk=request.POST.get("judge") or 0).first()
        if judge is None:
            raise Http404
        judging_svc.judge_remove(judge=judge, actor=actor)
        messages.success(request, _("Judge removed."))
        return
    station = _station(competition, request.POST.get("station"))
    if action == "assign":
        n = judging_svc.sheets_assign(station=station, actor=actor)
        messages.success(request, ngettext("%(n)d sheet created.", "%(n)d sheets created.", n) % {"n": n})
    elif action == "remove_station":
        name = station.name
        judging_svc.station_remove(station=station, actor=actor)
        messages.success(request, _("Station “%(name)s” removed.") % {"name": name})
    elif action == "theory_enrol":
        n = theory_svc.theory_enrol(station=station, actor=actor)
        messages.success(request, ngettext("%(n)d contestant enrolled.", "%(n)d contestants enrolled.", n) % {"n": n})
    elif action == "theory_import":
        n = theory_svc.theory_import(station=station, actor=actor)
        messages.success(request, ngettext("%(n)d score imported.", "%(n)d scores imported.", n) % {"n": n})
    else:
        raise Http404


@require_http_methods(["GET", "POST"])
def stations_view(request, pk: int):
    competition = managed_competition(request, pk)
    station_form = StationForm(prefix="station", competition=competition)
    judge_form = JudgeForm(prefix="judge", competition=competition)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "add_station":
            station_form = StationForm(request.POST, prefix="station", competition=competition)
            done = _add_station(request, competition, station_form)
        elif action == "add_judge":
            judge_form = JudgeForm(request.POST, prefix="judge", competition=competition)
            done = _add_judge(request, judge_form)
        else:
            try:
                _station_action(request, competition, action)
            except ValidationError as exc:
                show_errors(request, exc)
            done = True
        if done:
            return redirect("competition_admin:stations", pk=competition.pk)
    stations = (
        Station.objects.filter(round__competition=competition)
        .select_related("round", "track", "rubric", "sitting")
        .prefetch_related("judges__user", "judges__institution", "judges__provider")
        .annotate(
            sheet_count=Count("sheets", distinct=True),
            submitted_count=Count("sheets", filter=Q(sheets__submitted_at__isnull=False), distinct=True),
            score_count=Count("scores", distinct=True),
        )
    )
    return TemplateResponse(
        request,
        "competitions/admin/stations.html",
        {
            "competition": competition,
            "stations": stations,
            "station_form": station_form,
            "judge_form": judge_form,
            "published": competition.status == Competition.Status.PUBLISHED,
        },
    )


# --- quotas -----------------------------------------------------------------------------------------------------


def _save_quota(request, competition, form) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        _refuse_when_published(competition)
    except ValidationError as exc:
        add_errors(form, exc)
        return False
    unit = {"institution": data["institution"], "provider": data["provider"]}
    quota, created = Quota.objects.update_or_create(track=data["track"], **unit, defaults={"places": data["places"]})
    audit.record(
        competition,
        "competitions.competition.update",
        actor=request.user,
        quota={"track": quota.track_id, "unit": str(quota.institution or quota.provider), "places": quota.places},
    )
    messages.success(request, _("Quota saved."))
    return True


@require_http_methods(["GET", "POST"])
def quotas_view(request, pk: int):
    competition = managed_competition(request, pk)
    editing = Quota.objects.filter(track__competition=competition, pk=request.GET.get("edit") or 0).first()
    initial = (
        {"track": editing.track_id, "institution": editing.institution_id, "provider": editing.provider_id,
         "places": editing.places}
        if editing
        else None
    )  # fmt: skip
    form = QuotaForm(initial=initial, competition=competition)
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            quota = Quota.objects.filter(track__competition=competition, pk=request.POST.get("quota") or 0).first()
            if quota is None:
                raise Http404
            try:
                _refuse_when_published(competition)
            except ValidationError as exc:
                show_errors(request, exc)
                return redirect("competition_admin:quotas", pk=competition.pk)
            audit.record(
                competition,
                "competitions.competition.update",
                actor=request.user,
                quota_removed={"track": quota.track_id, "unit": str(quota.institution or quota.provider)},
            )
            quota.delete()
            messages.success(request, _("Quota removed."))
            return redirect("competition_admin:quotas", pk=competition.pk)
        form = QuotaForm(request.POST, competition=competition)
        if _save_quota(request, competition, form):
            return redirect("competition_admin:quotas", pk=competition.pk)
    quotas = (
        Quota.objects.filter(track__competition=competition)
        .select_related("track", "institution", "provider")
        .order_by("track__sort_order", "institution__name", "provider__name")
    )
    return TemplateResponse(
        request,
        "competitions/admin/quotas.html",
        {"competition": competition, "quotas": quotas, "form": form, "tracks": competition.tracks.all()},
    )
