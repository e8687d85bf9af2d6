"""Examiner pages of practical assessment (tablet-friendly, mounted at /exams/practical/).

* ``sessions`` — the sessions the user sits on (anyone else sees an empty list);
* ``session`` — its candidates by slot number and masked name, with the state of the user's own sheet;
* ``mark`` — per-criterion marks with a live total: save a draft, or submit (confirmed) to lock the sheet;
  a locked sheet is read-only;
* ``chief`` / ``change`` — the chief examiner's overview (every examiner's totals, final scores, disagreement
  flags) and the change of a locked sheet with a reason;
* ``my_results`` — a candidate's own published level results and what a retake involves.

Sessions the user does not sit on are "not found"; the chief's pages refuse other examiners. The services
decide everything else (panel ready, locks, ranges, the chief's right to change).
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

from lms.registry.masking import mask_name
from lms.registry.selectors import person_for_user

from ..models import MarkSheet, PracticalCandidate, PracticalSession
from ..selectors import practical as sel
from ..selectors import results as results_sel
from ..services import practical as svc

FIELD = "mark-{}"


def _session_of_examiner(request, session_id: int):
    session = get_object_or_404(PracticalSession.objects.select_related("rubric", "provider"), pk=session_id)
    examiner = sel.examiner_of(request.user, session)
    if examiner is None:
        raise Http404
    return session, examiner


def _criteria_rows(criteria, marks: dict) -> list[dict]:
    return [
        {
            "criterion": c,
            "name": FIELD.format(c.pk),
            "value": marks.get(str(c.pk), ""),
            "max": c.max_points,
        }
        for c in criteria
    ]


def _posted_marks(request, criteria) -> dict[str, str]:
    return {str(c.pk): request.POST.get(FIELD.format(c.pk), "").strip() for c in criteria}


@never_cache
@login_required
@require_GET
def sessions(request):
    return render(request, "exams/examiner/sessions.html", {"sessions": sel.examiner_sessions(request.user)})


@never_cache
@login_required
@require_GET
def session(request, session_id: int):
    session, examiner = _session_of_examiner(request, session_id)
    rows = sel.examiner_candidates(session, examiner)
    return render(
        request,
        "exams/examiner/session.html",
        {
            "session": session,
            "examiner": examiner,
            "rows": rows,
            "problems": sel.panel_problems(session),
            "done": sum(1 for r in rows if r.status == "submitted"),
        },
    )


def _next_to_mark(session, examiner, after: PracticalCandidate):
    rows = sel.examiner_candidates(session, examiner)
    later = [r for r in rows if r.status != "submitted" and r.candidate.pk != after.pk]
    return next((r for r in later if r.slot > after.slot), later[0] if later else None)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mark(request, session_id: int, candidate_id: int):
    """One candidate's mark sheet of the user. POST ``action=save`` keeps a draft; ``action=submit`` asks for a
    confirmation (JavaScript confirms in place and posts ``confirmed=1``) and then locks the sheet."""
    session, examiner = _session_of_examiner(request, session_id)
    candidate = get_object_or_404(session.candidates.select_related("person"), pk=candidate_id)
    criteria = sel.criteria_of(session.rubric_id)
    sheet = MarkSheet.objects.filter(candidate=candidate, examiner=examiner).first()
    marks = dict(sheet.marks) if sheet else {}
    errors: list[str] = []
    status = 200
    confirming = False
    if request.method == "POST":
        marks = _posted_marks(request, criteria)
        action = request.POST.get("action")
        try:
            # the draft is kept first, so that nothing typed is lost when the submission is refused
            svc.marksheet_save(candidate=candidate, actor=request.user, marks=marks)
            if action != "submit":
                messages.success(request, _("Draft saved."))
                return redirect("exams:practical_mark", session_id=session.pk, candidate_id=candidate.pk)
            if request.POST.get("confirmed") != "1":
                confirming = True
            else:
                svc.marksheet_submit(candidate=candidate, actor=request.user)
                messages.success(request, _("Marks submitted and locked."))
                return redirect("exams:practical_mark", session_id=session.pk, candidate_id=candidate.pk)
        except ValidationError as exc:
            errors = exc.messages
            status = 409 if getattr(exc, "code", None) == "locked" else 400
        sheet = MarkSheet.objects.filter(candidate=candidate, examiner=examiner).first()
        if sheet and sheet.locked:
            marks = dict(sheet.marks)
    locked = bool(sheet and sheet.locked)
    return render(
        request,
        "exams/examiner/mark.html",
        {
            "session": session,
            "examiner": examiner,
            "candidate": candidate,
            "name": mask_name(candidate.person.name),
            "rows": _criteria_rows(criteria, marks),
            "sheet": sheet,
            "locked": locked,
            "confirming": confirming and not errors,
            "errors": errors,
            "problems": sel.panel_problems(session),
            "next": _next_to_mark(session, examiner, candidate) if locked else None,
        },
        status=status,
    )


def _chief_session(request, session_id: int):
    session, examiner = _session_of_examiner(request, session_id)
    if not examiner.is_chief:
        raise PermissionDenied
    return session, examiner


@never_cache
@login_required
@require_GET
def chief(request, session_id: int):
    session, examiner = _chief_session(request, session_id)
    examiners, rows = sel.chief_overview(session)
    return render(
        request,
        "exams/examiner/chief.html",
        {
            "session": session,
            "examiner": examiner,
            "examiners": [(e, sel.display_name(e.user)) for e in examiners],
            "rows": rows,
            "flagged": sum(1 for r in rows if r.candidate.disagreement),
            "ratio_warning": sel.ratio_warning(session),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def change(request, session_id: int, sheet_id: int):
    """The chief examiner changes a locked sheet (all marks and a reason)."""
    session, _examiner = _chief_session(request, session_id)
    sheet = sel.sheet_for_chief(request.user, sheet_id)
    if sheet is None or sheet.candidate.session_id != session.pk:
        raise Http404
    criteria = sel.criteria_of(session.rubric_id)
    marks, reason, errors, status = dict(sheet.marks), "", [], 200
    if request.method == "POST":
        marks, reason = _posted_marks(request, criteria), request.POST.get("reason", "")
        try:
            svc.marksheet_change(sheet=sheet, marks=marks, reason=reason, actor=request.user)
        except ValidationError as exc:
            errors, status = exc.messages, 400
        else:
            messages.success(request, _("The marks were changed and the final score recomputed."))
            return redirect("exams:practical_chief", session_id=session.pk)
    return render(
        request,
        "exams/examiner/change.html",
        {
            "session": session,
            "sheet": sheet,
            "name": mask_name(sheet.candidate.person.name),
            "examiner_name": sel.display_name(sheet.examiner.user),
            "rows": _criteria_rows(criteria, marks),
            "reason": reason,
            "errors": errors,
            "changes": sheet.changes.select_related("changed_by"),
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def my_results(request):
    person = person_for_user(request.user)
    results = list(results_sel.person_results(person).select_related("provider")) if person else []
    return render(
        request,
        "exams/examiner/my_results.html",
        {"items": [(r, results_sel.retake_plan(r)) for r in results], "review_levels": sel.review_levels()},
    )
