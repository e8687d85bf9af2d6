"""Judging: panels, sheets with recusal, marks that lock on submission, the chief judge's reopening, station
scores, and the theory round's scores taken from the exam engine.

* A judge's own unit defaults to where their person works today. Sheets are created only for pairs that may
  meet: never a contestant of the judge's own unit (recusal); every contestant needs at least three judges.
* A judge saves drafts freely; submitting needs every criterion marked and locks the sheet (audited). Only the
  station's chief judge (or a platform admin) reopens a locked sheet, with a reason kept with the marks before
  (``SheetReopen``, audited), until the results are published.
* When every sheet of a contestant at a station is in, the station score is the competition's aggregation of
  the totals (drop the highest and lowest with five judges or more), and judges far from the others are flagged.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.exams import scoring
from lms.exams.models import Attempt, Candidate
from lms.exams.selectors.sittings import can_manage_sitting
from lms.exams.services import sittings as exam_sittings
from lms.registry import audit
from lms.registry.models import Institution, Person, TrainingProvider
from lms.registry.selectors import current_employments, user_scope

from .. import marks as judging_marks
from ..choices import RoundKind
from ..models import Competition, Entry, Judge, Sheet, SheetReopen, Station, StationScore
from ..selectors import can_manage, round_entries, station_criteria, station_maxima
from .competitions import MIN_JUDGES

REASON_MAX = 300


def _station(station: Station, *, lock: bool = True) -> Station:
    qs = Station.objects.select_related("round", "round__competition", "round__competition__region", "track")
    return (qs.select_for_update(of=("self",)) if lock else qs).get(pk=station.pk)


def _check_organizer(actor, competition: Competition) -> None:
    if actor is not None and not can_manage(actor, competition):
        raise PermissionDenied


def _refuse_published(competition: Competition) -> None:
    if competition.status == Competition.Status.PUBLISHED:
        raise ValidationError(_("The results are published: judging can no longer change."), code="published")


def _refuse_unless_running(competition: Competition) -> None:
    _refuse_published(competition)
    if competition.status != Competition.Status.RUNNING:
        raise ValidationError(_("The competition is not under way."), code="not_running")


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
    station = _station(station)
    competition = station.round.competition
    _check_organizer(actor, competition)
    _refuse_published(competition)
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
    station = _station(judge.station)
    competition = station.round.competition
    _check_organizer(actor, competition)
    _refuse_published(competition)
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


# --- sheets -----------------------------------------------------------------------------------------------------


@transaction.atomic
def sheets_assign(*, station: Station, actor) -> int:
    """Create the sheets of a practical station (idempotent; returns how many were created): one per judge and
    contestant taking part in the station's round, except the judge's own unit's contestants (recusal).
    Refused, with nothing created, when a contestant would have fewer than three judges."""
    station = _station(station)
    competition = station.round.competition
    _check_organizer(actor, competition)
    _refuse_unless_running(competition)
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


def _problems_error(problems: list[scoring.MarkProblem], criteria) -> ValidationError:
    titles = {str(c.pk): c.title for c in criteria}
    messages = []
    for p in problems:
        title = titles.get(p.criterion, p.criterion)
        if p.code == "missing":
            messages.append(_("“%(criterion)s” has no mark yet.") % {"criterion": title})
        elif p.code == "unknown":
            messages.append(_("“%(criterion)s” is not a criterion of this station.") % {"criterion": title})
        else:
            messages.append(
                _("“%(criterion)s”: give a number from 0 to %(max)s.")
                % {"criterion": title, "max": scoring.points_text(p.max_points)}
            )
    return ValidationError([ValidationError(m, code="marks") for m in messages])


def _open_sheet(sheet: Sheet, actor) -> Sheet:
    sheet = (
        Sheet.objects.select_for_update(of=("self",))
        .select_related("judge", "entry", "station", "station__round", "station__round__competition")
        .get(pk=sheet.pk)
    )
    if actor is None or sheet.judge.user_id != actor.pk:
        raise ValidationError(_("This is not your sheet."), code="not_judge")
    _refuse_unless_running(sheet.station.round.competition)
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
        raise _problems_error(problems, criteria)
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
    _refuse_published(sheet.station.round.competition)
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


# --- the theory round -------------------------------------------------------------------------------------------


def _theory_station(station: Station, actor) -> Station:
    station = _station(station)
    competition = station.round.competition
    _check_organizer(actor, competition)
    _refuse_unless_running(competition)
    if not station.sitting_id:
        raise ValidationError(_("This station has no exam sitting."), code="no_sitting")
    return station


@transaction.atomic
def theory_import(*, station: Station, actor) -> int:
    """Take the theory scores from the sitting: per contestant of the round, the best graded attempt of the
    contestant's person (time = submitted − started). Idempotent (scores are updated); returns how many."""
    station = _theory_station(station, actor)
    entries = {e.person_id: e for e in round_entries(station.round, station.track_id)}
    attempts = (
        Attempt.objects.filter(
            candidate__sitting_id=station.sitting_id,
            candidate__person_id__in=list(entries),
            status=Attempt.Status.GRADED,
            score__isnull=False,
        )
        .select_related("candidate")
        .order_by("-score", "submitted_at", "pk")
    )
    best: dict[int, Attempt] = {}
    for attempt in attempts:
        best.setdefault(attempt.candidate.person_id, attempt)
    for person_id, attempt in best.items():
        seconds = None
        if attempt.submitted_at and attempt.started_at:
            seconds = max(int((attempt.submitted_at - attempt.started_at).total_seconds()), 0)
        StationScore.objects.update_or_create(
            station=station,
            entry=entries[person_id],
            defaults={
                "score": scoring.quantize(attempt.score),
                "judges": 0,
                "time_seconds": seconds,
                "outliers": 0,
            },
        )
    audit.record(station, "competitions.station.theory_import", actor=actor, scored=len(best), entries=len(entries))
    return len(best)


@transaction.atomic
def theory_enrol(*, station: Station, actor) -> int:
    """Register the round's contestants as approved candidates of the station's sitting (those already there
    are left alone, pending ones approved); returns how many were enrolled or approved."""
    station = _theory_station(station, actor)
    sitting = station.sitting
    manages_sitting = actor is not None and can_manage_sitting(actor, sitting)
    existing = {c.person_id: c for c in Candidate.objects.filter(sitting=sitting)}
    enrolled = 0
    for entry in round_entries(station.round, station.track_id).select_related("person").order_by("pk"):
        candidate = existing.get(entry.person_id)
        if candidate is not None and candidate.status != Candidate.Status.PENDING:
            continue
        if candidate is None:
            candidate = exam_sittings.candidate_register(sitting=sitting, person=entry.person, actor=actor)
        if candidate.status == Candidate.Status.PENDING:
            exam_sittings.candidate_decide(candidate=candidate, approve=True, actor=actor if manages_sitting else None)
        enrolled += 1
    if enrolled:
        audit.record(station, "competitions.station.theory_enrol", actor=actor, enrolled=enrolled)
    return enrolled
