"""Judging: panels, sheets with recusal, marks that lock on submission, the chief judge's reopening, station
scores (the theory round's scores come from the exam engine: ``services.theory``).

* A judge's own unit defaults to where their person works today. Sheets are created only for pairs that may
  meet: never a contestant of the judge's own unit (recusal); every contestant needs at least three judges.
* A judge saves drafts freely; submitting needs every criterion marked and locks the sheet (audited). Only the
  station's chief judge (or a platform admin) reopens a locked sheet, with a reason kept with the marks before
  (``SheetReopen``, audited), until the results are published.
* When every sheet of a contestant at a station is in, the station score is the competition's aggregation of
  the totals (drop the highest and lowest with five judges or more), and judges far from the others are flagged.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.exams import scoring
from lms.exams.services.practical import marks_error
from lms.registry import audit
from lms.registry.models import Institution, Person, TrainingProvider
from lms.registry.selectors import current_employments, user_scope

from .. import marks as judging_marks
from ..choices import RoundKind
from ..models import Entry, Judge, Sheet, SheetReopen, Station, StationScore
from ..selectors import round_entries, station_criteria, station_maxima
from .competitions import MIN_JUDGES
from .guards import check_organizer, refuse_published, refuse_unless_running

REASON_MAX = 300


def locked_station(station: Station, *, lock: bool = True) -> Station:
    qs = Station.objects.select_related("round", "round__competition", "round__competition__region", "track")
    return (qs.select_for_update(of=("self",)) if lock else qs).get(pk=station.pk)


# --- the panel --------------------------------------------------------------------------------------------------


def _current_institution(user) -> Institution | None:
    person = Person.objects.filter(user=user).first()
    if person is None:
        return None
    employment = current_employments(person).order_by("-start_date", "-pk").first()
    return employment.institution if employment else None


@transaction.atomic
def judge_add(
    *,
    station: Station,
    user,
    actor,
    institution: Institution | None = None,
    provider: TrainingProvider | None = None,
    is_chief: bool = False,
) -> Judge:
    """Put ``user`` on the station's panel (own unit: ``institution``/``provider``, else where their person
    works today); a new chief replaces the old one. Refused once marks have been submitted at the station."""
    station = locked_station(station)
    competition = station.round.competition
    check_organizer(actor, competition)
    refuse_published(competition)
    if station.sheets.filter(submitted_at__isnull=False).exists():
        raise ValidationError(_("Marks have been submitted at this station: the panel can no longer change."))
    if Judge.objects.filter(station=station, user=user).exists():
        raise ValidationError(_("%(user)s already judges at this station.") % {"user": user}, code="duplicate")
    if institution is None and provider is None:
        institution = _current_institution(user)
    if is_chief:
        Judge.objects.filter(station=station, is_chief=True).update(is_chief=False)
    judge = Judge.objects.create(
        station=station, user=user, institution=institution, provider=provider, is_chief=is_chief
    )
    audit.record(judge, "competitions.judge.add", actor=actor, station=station.pk, chief=is_chief)
    return judge


@transaction.atomic
def judge_remove(*, judge: Judge, actor) -> None:
    """Take a judge off the panel (with their empty sheets); refused once they have marked a contestant."""
    station = locked_station(judge.station)
    competition = station.round.competition
    check_organizer(actor, competition)
    refuse_published(competition)
    sheets = list(Sheet.objects.filter(judge=judge))
    if any(s.marks or s.locked for s in sheets):
        raise ValidationError(
            _("This judge has marked contestants: their sheets must stay. Reopen and correct them instead."),
            code="has_marks",
        )
    entry_ids = {s.entry_id for s in sheets}
    audit.record(judge, "competitions.judge.remove", actor=actor, station=station.pk)
    Sheet.objects.filter(judge=judge).delete()
    judge.delete()
    for entry in Entry.objects.filter(pk__in=entry_ids):
        station_score_update(station=station, entry=entry)


@transaction.atomic
def station_remove(*, station: Station, actor) -> None:
    """Remove a station set up by mistake, with its panel and their empty sheets; refused once anyone has marked a
    contestant there or a score exists (audited on the competition: the station is gone)."""
    station = locked_station(station)
    competition = station.round.competition
    check_organizer(actor, competition)
    refuse_published(competition)
    sheets = list(station.sheets.all())
    if station.scores.exists() or any(s.marks or s.locked for s in sheets):
        raise ValidationError(
            _("Marks or scores exist at station “%(station)s”: it cannot be removed.") % {"station": station.name},
            code="in_use",
        )
    label = {"station": station.name, "round": station.round.name, "track": station.track.name}
    station.sheets.all().delete()
    station.judges.all().delete()
    station.delete()
    audit.record(competition, "competitions.station.remove", actor=actor, **label)


# --- sheets -----------------------------------------------------------------------------------------------------


@transaction.atomic
def sheets_assign(*, station: Station, actor) -> int:
    """Create the sheets of a practical station (idempotent; returns how many were created): one per judge and
    contestant taking part in the station's round, except the judge's own unit's contestants (recusal).
    Refused, with nothing created, when a contestant would have fewer than three judges."""
    station = locked_station(station)
    competition = station.round.competition
    check_organizer(actor, competition)
    refuse_unless_running(competition)
    if station.round.kind != RoundKind.PRACTICAL or not station.rubric_id:
        raise ValidationError(_("Only a practical station with a rubric has judges' sheets."), code="not_practical")
    # judges see codes only: entries still without a code get their sheets at the next assignment
    entries = list(round_entries(station.round, station.track_id).exclude(code="").order_by("draw_number", "pk"))
    judges = list(station.judges.all())
    panels = {e.pk: [j for j in judges if e.unit_key not in j.unit_keys] for e in entries}
    short = [e for e in entries if len(panels[e.pk]) < MIN_JUDGES]
    if short:
        message = _(
            "Contestant %(code)s would have only %(n)s judges here (judges of the contestant's own unit recuse "
            "themselves); every contestant needs at least %(min)s."
        )
        raise ValidationError(
            [
                ValidationError(
                    message % {"code": e.code, "n": len(panels[e.pk]), "min": MIN_JUDGES}, code="too_few_judges"
                )
                for e in short
            ]
        )
    existing = set(Sheet.objects.filter(station=station).values_list("entry_id", "judge_id"))
    new = [
        Sheet(station=station, entry=e, judge=j) for e in entries for j in panels[e.pk] if (e.pk, j.pk) not in existing
    ]
    Sheet.objects.bulk_create(new)
    # contestants who no longer take part (or judges who now recuse) lose their empty sheets
    wanted = {(e.pk, j.pk) for e in entries for j in panels[e.pk]}
    stale = [
        s.pk
        for s in Sheet.objects.filter(station=station, submitted_at__isnull=True)
        if (s.entry_id, s.judge_id) not in wanted and not s.marks
    ]
    Sheet.objects.filter(pk__in=stale).delete()
    if new or stale:
        audit.record(station, "competitions.station.assign", actor=actor, created=len(new), removed=len(stale))
    return len(new)


def _open_sheet(sheet: Sheet, actor) -> Sheet:
    sheet = (
        Sheet.objects.select_for_update(of=("self",))
        .select_related("judge", "entry", "station", "station__round", "station__round__competition")
        .get(pk=sheet.pk)
    )
    if actor is None or sheet.judge.user_id != actor.pk:
        raise ValidationError(_("This is not your sheet."), code="not_judge")
    refuse_unless_running(sheet.station.round.competition)
    if sheet.locked:
        raise ValidationError(
            _("Your marks for %(code)s are submitted and locked. Ask the chief judge to reopen them.")
            % {"code": sheet.entry.code},
            code="locked",
        )
    return sheet


def _clean_time(time_seconds) -> int | None:
    if time_seconds is None or time_seconds == "":
        return None
    try:
        value = int(time_seconds)
    except (TypeError, ValueError):
        value = -1
    if value < 0:
        raise ValidationError({"time_seconds": _("Give the time used in whole seconds.")}, code="time")
    return value


def _clean(sheet: Sheet, marks: dict, *, complete: bool) -> dict:
    criteria = station_criteria(sheet.station)
    clean, problems = scoring.clean_marks(marks or {}, station_maxima(sheet.station), complete=complete)
    if problems:
        raise marks_error(problems, criteria)
    return clean


@transaction.atomic
def sheet_save(*, sheet: Sheet, marks: dict, actor, time_seconds=None) -> Sheet:
    """Save the judge's draft (criterion id -> points, each 0..max; blanks allowed; and the time used)."""
    sheet = _open_sheet(sheet, actor)
    clean = _clean(sheet, marks, complete=False)
    sheet.marks = scoring.as_json(clean)
    sheet.total = scoring.sheet_total(clean) if clean else None
    if time_seconds is not None:
        sheet.time_seconds = _clean_time(time_seconds)
    sheet.save(update_fields=["marks", "total", "time_seconds"])
    return sheet


@transaction.atomic
def sheet_submit(*, sheet: Sheet, actor, marks: dict | None = None, time_seconds=None) -> Sheet:
    """Submit the judge's marks (``marks``, or the saved draft): every criterion marked; the sheet locks and the
    station score follows when it was the last sheet of the contestant there."""
    sheet = _open_sheet(sheet, actor)
    clean = _clean(sheet, sheet.marks if marks is None else marks, complete=True)
    sheet.marks = scoring.as_json(clean)
    sheet.total = scoring.sheet_total(clean)
    if time_seconds is not None:
        sheet.time_seconds = _clean_time(time_seconds)
    sheet.submitted_at = timezone.now()
    sheet.outlier = False
    sheet.save(update_fields=["marks", "total", "time_seconds", "submitted_at", "outlier"])
    audit.record(
        sheet,
        "competitions.sheet.submit",
        actor=actor,
        code=sheet.entry.code,
        station=sheet.station_id,
        total=str(sheet.total),
        marks=sheet.marks,
    )
    station_score_update(station=sheet.station, entry=sheet.entry)
    return sheet


def station_score_update(*, station: Station, entry: Entry) -> StationScore | None:
    """The contestant's station score when every sheet there is submitted (with the outlier flags); otherwise
    remove any score. Locks the entry so two judges submitting at once cannot both miss the other's sheet."""
    with transaction.atomic():
        Entry.objects.select_for_update().filter(pk=entry.pk).first()
        station = Station.objects.select_related("round__competition").get(pk=station.pk)
        if not station.rubric_id:  # a theory station: scores come from the exam (theory_import)
            return StationScore.objects.filter(station=station, entry_id=entry.pk).first()
        sheets = list(Sheet.objects.filter(station=station, entry_id=entry.pk))
        if not sheets or any(not s.locked or s.total is None for s in sheets):
            StationScore.objects.filter(station=station, entry_id=entry.pk).delete()
            Sheet.objects.filter(station=station, entry_id=entry.pk, outlier=True).update(outlier=False)
            return None
        competition = station.round.competition
        totals = {s.judge_id: s.total for s in sheets}
        flagged = judging_marks.outliers(totals, competition.outlier_points)
        for s in sheets:
            if s.outlier != (s.judge_id in flagged):
                Sheet.objects.filter(pk=s.pk).update(outlier=s.judge_id in flagged)
        score, _created = StationScore.objects.update_or_create(
            station=station,
            entry_id=entry.pk,
            defaults={
                "score": judging_marks.station_score(list(totals.values()), competition.aggregation),
                "judges": len(sheets),
                "time_seconds": judging_marks.median_time([s.time_seconds for s in sheets]),
                "outliers": len(flagged),
            },
        )
        return score


@transaction.atomic
def sheet_reopen(*, sheet: Sheet, reason: str, actor) -> SheetReopen:
    """The station's chief judge (or a platform admin) reopens a locked sheet with a reason; the marks stay as
    the judge's draft, the station score goes until the judge submits again."""
    sheet = (
        Sheet.objects.select_for_update(of=("self",))
        .select_related("entry", "station", "station__round__competition")
        .get(pk=sheet.pk)
    )
    is_chief = Judge.objects.filter(station_id=sheet.station_id, user_id=getattr(actor, "pk", None), is_chief=True)
    if actor is None or not (is_chief.exists() or user_scope(actor).is_platform_admin):
        raise ValidationError(_("Only the chief judge of the station may reopen submitted marks."), code="not_chief")
    refuse_published(sheet.station.round.competition)
    if not sheet.locked:
        raise ValidationError(_("These marks are not submitted: the judge can still change them."), code="not_locked")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reopening the marks.")}, code="reason")
    reopen = SheetReopen.objects.create(
        sheet=sheet, reopened_by=actor, reason=reason[:REASON_MAX], marks_before=sheet.marks, total_before=sheet.total
    )
    sheet.submitted_at = None
    sheet.outlier = False
    sheet.save(update_fields=["submitted_at", "outlier"])
    audit.record(
        sheet,
        "competitions.sheet.reopen",
        actor=actor,
        code=sheet.entry.code,
        station=sheet.station_id,
        reason=reopen.reason,
        marks_before=reopen.marks_before,
        total_before=str(reopen.total_before),
    )
    station_score_update(station=sheet.station, entry=sheet.entry)
    return reopen
