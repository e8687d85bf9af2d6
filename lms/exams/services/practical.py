"""Practical assessment (操作技能考核): sessions, the examiner panel, candidates and mark sheets.

Rules (DESIGN.md §3; numbers are settings, see ``selectors.practical``):

* A session uses a rubric whose criteria add up to 100 points.
* The panel is an odd number of examiners, at least three, with one chief examiner, before marking opens
  (the first mark saved); from then on the panel is fixed.
* Recusal: an examiner never assesses a candidate from their own institution (the institution recorded on the
  panel or the candidacy, and wherever the person works today). Both adding an examiner and adding a
  candidate are refused with a message naming the examiner, the candidate and the institution.
* Each examiner keeps one mark sheet per candidate: drafts may change freely; submitting needs every criterion
  marked and locks the sheet (audited). A locked sheet changes only through the chief examiner, with a reason
  (``MarkChange``, audited), and only until the candidate's level result is decided.
* When every examiner of the panel has submitted a candidate's sheet, the final score is computed
  (``scoring.final_score``: the session's aggregation, the disagreement flag, pass ≥ the rubric's pass mark).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.registry import audit
from lms.registry.masking import mask_name
from lms.registry.models import Institution, Person, TrainingProvider
from lms.registry.selectors import current_employments, is_banned

from .. import scoring
from ..choices import Aggregation
from ..models import Examiner, MarkChange, MarkSheet, PracticalCandidate, PracticalSession, Rubric
from ..selectors import practical as sel
from ..selectors import results as results_sel

# --- sessions ---------------------------------------------------------------------------------------------------


def _refuse_published(session: PracticalSession) -> None:
    if session.status == PracticalSession.Status.PUBLISHED:
        raise ValidationError(_("The results of this session are published: it can no longer change."))


def _check_rubric(rubric: Rubric, provider: TrainingProvider) -> None:
    if not rubric.active:
        raise ValidationError({"rubric": _("The rubric “%(rubric)s” is no longer in use.") % {"rubric": rubric.name}})
    if rubric.provider_id not in (None, provider.pk):
        raise ValidationError({"rubric": _("The rubric belongs to another training provider.")})
    problem = sel.rubric_problem(rubric)
    if problem:
        raise ValidationError({"rubric": problem})


@transaction.atomic
def practical_session_create(
    *,
    rubric: Rubric,
    provider: TrainingProvider,
    title: str,
    place: str,
    starts_at: datetime,
    aggregation: str = Aggregation.MEAN,
    disagreement_points: Decimal = Decimal("15"),
    actor=None,
) -> PracticalSession:
    """Schedule a session for ``rubric`` (active, the provider's or the platform's, criteria adding up to 100)."""
    _check_rubric(rubric, provider)
    session = PracticalSession(
        title=title.strip(),
        rubric=rubric,
        provider=provider,
        place=place.strip(),
        starts_at=starts_at,
        aggregation=aggregation,
        disagreement_points=disagreement_points,
    )
    session.full_clean()
    session.save()
    audit.record(session, "exams.practical_session.create", actor=actor, rubric=rubric.pk)
    return session


UPDATABLE = ("title", "place", "starts_at", "rubric", "aggregation", "disagreement_points")


@transaction.atomic
def practical_session_update(*, session: PracticalSession, actor=None, **changes) -> PracticalSession:
    """Change a session's details; the rubric and the scoring rules are fixed once marking has begun."""
    session = PracticalSession.objects.select_for_update().get(pk=session.pk)
    _refuse_published(session)
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise TypeError(f"cannot update {sorted(unknown)}")
    changed = {k: v for k, v in changes.items() if getattr(session, k) != v}
    fixed = {"rubric", "aggregation", "disagreement_points"} & set(changed)
    if fixed and sel.marking_started(session):
        raise ValidationError(_("Marking has begun: the rubric and the scoring rules can no longer change."))
    if "rubric" in changed:
        _check_rubric(changed["rubric"], session.provider)
    for key, value in changed.items():
        setattr(session, key, value)
    session.full_clean()
    session.save()
    if changed:
        audit.record(session, "exams.practical_session.update", actor=actor, fields=sorted(changed))
    return session


# --- the panel --------------------------------------------------------------------------------------------------


def _current_institution(person_id: int | None) -> Institution | None:
    if person_id is None:
        return None
    employment = current_employments(Person(pk=person_id)).order_by("-start_date", "-pk").first()
    return employment.institution if employment else None


def _recusal_error(*, examiner_name: str, candidate: PracticalCandidate, institution_id: int, adding: str):
    institution = Institution.objects.filter(pk=institution_id).values_list("name", flat=True).first() or "?"
    values = {
        "examiner": examiner_name,
        "candidate": mask_name(candidate.person.name),
        "slot": candidate.slot,
        "institution": institution,
    }
    if adding == "examiner":
        message = _(
            "%(examiner)s cannot examine this session: they work at %(institution)s, like candidate "
            "%(candidate)s (no. %(slot)s). An examiner may not assess candidates from their own institution "
            "(recusal)."
        )
    else:
        message = _(
            "%(candidate)s cannot be scheduled in this session: examiner %(examiner)s works at %(institution)s, "
            "the candidate's institution. An examiner may not assess candidates from their own institution "
            "(recusal)."
        )
    return ValidationError(message % values, code="recusal")


def _refuse_if_panel_fixed(session: PracticalSession) -> None:
    _refuse_published(session)
    if sel.marking_started(session):
        raise ValidationError(_("Marking has begun: the panel can no longer change."))


@transaction.atomic
def examiner_add(
    *, session: PracticalSession, user, is_chief: bool = False, institution: Institution | None = None, actor=None
) -> Examiner:
    """Put ``user`` on the session's panel (their institution: ``institution``, else their current employment).

    Refused when they already sit on it, when marking has begun, and when a candidate of the session comes
    from their institution (recusal)."""
    session = PracticalSession.objects.select_for_update().get(pk=session.pk)
    _refuse_if_panel_fixed(session)
    if Examiner.objects.filter(session=session, user=user).exists():
        raise ValidationError(_("%(name)s is already on the panel.") % {"name": sel.display_name(user)})
    person_id = Person.objects.filter(user=user).values_list("pk", flat=True).first()
    examiner = Examiner(
        session=session, user=user, institution=institution or _current_institution(person_id), is_chief=is_chief
    )
    own = sel.examiner_institution_ids(examiner)
    for candidate in session.candidates.select_related("person").order_by("slot", "pk"):
        shared = own & sel.candidate_institution_ids(candidate)
        if shared:
            raise _recusal_error(
                examiner_name=sel.display_name(user), candidate=candidate, institution_id=min(shared), adding="examiner"
            )
    if is_chief:
        Examiner.objects.filter(session=session, is_chief=True).update(is_chief=False)
    examiner.save()
    audit.record(examiner, "exams.examiner.add", actor=actor, session=session.pk, chief=is_chief)
    return examiner


@transaction.atomic
def examiner_remove(*, examiner: Examiner, actor=None) -> None:
    _refuse_if_panel_fixed(PracticalSession.objects.select_for_update().get(pk=examiner.session_id))
    audit.record(examiner, "exams.examiner.remove", actor=actor, session=examiner.session_id)
    examiner.delete()


@transaction.atomic
def examiner_make_chief(*, examiner: Examiner, actor=None) -> Examiner:
    """Make ``examiner`` the session's chief examiner (the previous chief stays on the panel)."""
    session = PracticalSession.objects.select_for_update().get(pk=examiner.session_id)
    _refuse_published(session)
    Examiner.objects.filter(session=session, is_chief=True).exclude(pk=examiner.pk).update(is_chief=False)
    examiner.is_chief = True
    examiner.save(update_fields=["is_chief"])
    audit.record(examiner, "exams.examiner.chief", actor=actor, session=session.pk)
    return examiner


# --- candidates -------------------------------------------------------------------------------------------------


@transaction.atomic
def practical_candidate_add(
    *, session: PracticalSession, person: Person, slot: int | None = None, actor=None
) -> PracticalCandidate:
    """Schedule ``person`` in the session at ``slot`` (the next free one by default).

    Refused for a banned person, one who already passed this occupation and level, one already scheduled here,
    a taken slot, and when an examiner of the panel works at the candidate's institution (recusal). A failed
    candidate of an earlier session may be scheduled again (retake)."""
    session = PracticalSession.objects.select_for_update().select_related("rubric").get(pk=session.pk)
    _refuse_published(session)
    name = mask_name(person.name)
    if is_banned(person.pk):
        raise ValidationError(_("%(name)s is under a lifetime ban (终身禁入) and cannot be assessed.") % {"name": name})
    if results_sel.has_passed(person.pk, session.rubric.occupation, session.rubric.level):
        raise ValidationError(_("%(name)s has already passed this occupation and level.") % {"name": name})
    if session.candidates.filter(person=person).exists():
        raise ValidationError(_("%(name)s is already scheduled in this session.") % {"name": name})
    if slot is None:
        slot = (session.candidates.aggregate(m=Max("slot"))["m"] or 0) + 1
    elif session.candidates.filter(slot=slot).exists():
        raise ValidationError({"slot": _("Slot %(slot)s is taken.") % {"slot": slot}})
    candidate = PracticalCandidate(
        session=session, person=person, institution=_current_institution(person.pk), slot=slot
    )
    own = sel.candidate_institution_ids(candidate)
    for examiner in session.examiners.select_related("user"):
        shared = own & sel.examiner_institution_ids(examiner)
        if shared:
            raise _recusal_error(
                examiner_name=sel.display_name(examiner.user),
                candidate=candidate,
                institution_id=min(shared),
                adding="candidate",
            )
    candidate.save()
    audit.record(candidate, "exams.practical_candidate.add", actor=actor, session=session.pk, slot=slot)
    return candidate


@transaction.atomic
def practical_candidate_remove(*, candidate: PracticalCandidate, actor=None) -> None:
    _refuse_published(PracticalSession.objects.select_for_update().get(pk=candidate.session_id))
    if candidate.mark_sheets.exists():
        raise ValidationError(_("Examiners have marked this candidate: the candidacy can no longer be removed."))
    audit.record(candidate, "exams.practical_candidate.remove", actor=actor, session=candidate.session_id)
    candidate.delete()


# --- mark sheets ------------------------------------------------------------------------------------------------


def marks_error(problems: list[scoring.MarkProblem], criteria) -> ValidationError:
    """The marks a sheet cannot accept, one translated message (code ``marks``) per problem, named by criterion
    (practical assessment here, and the competitions' judges' sheets)."""
    titles = {str(c.pk): c.title for c in criteria}
    messages = []
    for p in problems:
        title = titles.get(p.criterion, p.criterion)
        if p.code == "missing":
            messages.append(_("“%(criterion)s” has no mark yet.") % {"criterion": title})
        elif p.code == "unknown":
            messages.append(_("“%(criterion)s” is not a criterion of this rubric.") % {"criterion": title})
        else:
            messages.append(
                _("“%(criterion)s”: give a number from 0 to %(max)s.")
                % {"criterion": title, "max": scoring.points_text(p.max_points)}
            )
    return ValidationError([ValidationError(m, code="marks") for m in messages])


def _examiner(candidate: PracticalCandidate, actor) -> Examiner:
    examiner = Examiner.objects.filter(session_id=candidate.session_id, user=actor).first()
    if examiner is None:
        raise ValidationError(_("You are not an examiner of this session."), code="not_examiner")
    return examiner


def _open_sheet(candidate: PracticalCandidate, actor) -> tuple[MarkSheet, list]:
    session = PracticalSession.objects.get(pk=candidate.session_id)
    _refuse_published(session)
    problems = sel.panel_problems(session)
    if problems:
        raise ValidationError([_("Marking has not opened yet.")] + problems, code="panel")
    examiner = _examiner(candidate, actor)
    sheet, _created = MarkSheet.objects.select_for_update().get_or_create(candidate=candidate, examiner=examiner)
    if sheet.locked:
        raise ValidationError(
            _("Your marks for this candidate are submitted and locked. Ask the chief examiner to change them."),
            code="locked",
        )
    return sheet, sel.criteria_of(session.rubric_id)


@transaction.atomic
def marksheet_save(*, candidate: PracticalCandidate, marks: dict, actor) -> MarkSheet:
    """Save the actor's draft marks for the candidate (criterion id -> points, each 0..max; blanks allowed)."""
    sheet, criteria = _open_sheet(candidate, actor)
    clean, problems = scoring.clean_marks(marks, sel.maxima(criteria), complete=False)
    if problems:
        raise marks_error(problems, criteria)
    sheet.marks = scoring.as_json(clean)
    sheet.total = scoring.sheet_total(clean) if clean else None
    sheet.save(update_fields=["marks", "total"])
    return sheet


@transaction.atomic
def marksheet_submit(*, candidate: PracticalCandidate, actor, marks: dict | None = None) -> MarkSheet:
    """Submit the actor's marks (``marks``, or the saved draft): every criterion marked; the sheet locks.

    Computes the candidate's final score when this was the panel's last sheet for them."""
    sheet, criteria = _open_sheet(candidate, actor)
    clean, problems = scoring.clean_marks(sheet.marks if marks is None else marks, sel.maxima(criteria), complete=True)
    if problems:
        raise marks_error(problems, criteria)
    sheet.marks = scoring.as_json(clean)
    sheet.total = scoring.sheet_total(clean)
    sheet.submitted_at = timezone.now()
    sheet.save(update_fields=["marks", "total", "submitted_at"])
    audit.record(sheet, "exams.marksheet.submit", actor=actor, total=str(sheet.total), marks=sheet.marks)
    candidate_score_update(candidate=sheet.candidate)
    return sheet


@transaction.atomic
def marksheet_change(*, sheet: MarkSheet, marks: dict, reason: str, actor) -> MarkChange:
    """The chief examiner changes a locked sheet (complete, valid marks and a reason); the final score follows."""
    sheet = MarkSheet.objects.select_for_update().select_related("candidate", "candidate__session").get(pk=sheet.pk)
    session = sheet.candidate.session
    if not Examiner.objects.filter(session=session, user=actor, is_chief=True).exists():
        raise ValidationError(_("Only the chief examiner may change submitted marks."), code="not_chief")
    _refuse_published(session)
    if not sheet.locked:
        raise ValidationError(_("These marks are not submitted yet: the examiner can still change them."))
    if hasattr(sheet.candidate, "level_result"):
        raise ValidationError(_("The candidate's level result has been decided: the marks can no longer change."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the change.")})
    criteria = sel.criteria_of(session.rubric_id)
    clean, problems = scoring.clean_marks(marks, sel.maxima(criteria), complete=True)
    if problems:
        raise marks_error(problems, criteria)
    after = scoring.as_json(clean)
    if after == sheet.marks:
        raise ValidationError(_("The marks are unchanged."))
    change = MarkChange.objects.create(sheet=sheet, changed_by=actor, reason=reason, before=sheet.marks, after=after)
    before_total = sheet.total
    sheet.marks = after
    sheet.total = scoring.sheet_total(clean)
    sheet.save(update_fields=["marks", "total"])
    audit.record(
        sheet,
        "exams.marksheet.change",
        actor=actor,
        reason=reason,
        before=change.before,
        after=after,
        total_before=str(before_total),
        total_after=str(sheet.total),
    )
    candidate_score_update(candidate=sheet.candidate)
    return change


def candidate_score_update(*, candidate: PracticalCandidate) -> PracticalCandidate:
    """Compute the final score when every examiner of the panel has submitted (else clear it).

    Locks the candidate first so that two examiners submitting at the same moment cannot both miss the
    other's sheet. Marks the session finished when every candidate has a score."""
    with transaction.atomic():
        candidate = PracticalCandidate.objects.select_for_update().get(pk=candidate.pk)
        session = PracticalSession.objects.select_related("rubric").get(pk=candidate.session_id)
        panel = set(session.examiners.values_list("pk", flat=True))
        sheets = {
            s.examiner_id: s.total
            for s in candidate.mark_sheets.filter(submitted_at__isnull=False, total__isnull=False)
        }
        if panel and panel <= set(sheets):
            final = scoring.final_score(
                [sheets[pk] for pk in panel],
                method=session.aggregation,
                threshold=session.disagreement_points,
                pass_mark=session.rubric.pass_mark,
            )
            candidate.score, candidate.passed, candidate.disagreement = final.score, final.passed, final.disagreement
        else:
            candidate.score, candidate.passed, candidate.disagreement = None, None, False
        candidate.save(update_fields=["score", "passed", "disagreement"])
        all_scored = not session.candidates.filter(score__isnull=True).exists()
        status = PracticalSession.Status.FINISHED if all_scored else PracticalSession.Status.SCHEDULED
        if session.status != PracticalSession.Status.PUBLISHED and session.status != status:
            PracticalSession.objects.filter(pk=session.pk).update(status=status)
    return candidate
