"""Candidate pages of theory exams (mobile first) and the autosave API.

* ``/exams/`` — my exams: sittings I am a candidate of (start, continue, results) and those I may register for;
* ``/exams/attempts/<id>/`` — the exam page: every question on one scrollable page with a navigator, a countdown
  from the server's deadline, answers autosaved by ``static/exams/exam.js``;
* ``POST /exams/attempts/<id>/answers`` — ``{position, response, seq}`` → ``{position, seq, applied}`` (JSON,
  CSRF-protected); 409 with ``code`` ``time_up`` or ``submitted`` once answers are no longer accepted;
* ``POST /exams/attempts/<id>/submit`` — submit (also sent by the page when time runs out);
* ``/exams/attempts/<id>/result`` — the result, once published, as the review policy allows.

The paper sent to the browser comes from ``selectors.exam_paper``: never an answer, a reference answer or points
awarded. Views stay thin: they parse, call one service and render.
"""

from __future__ import annotations

import json
import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.registry.selectors import person_for_user

from ..models import Attempt
from ..selectors import sittings as selectors
from ..services import attempts as attempt_services
from ..services import sittings as sitting_services

MAX_SEQ = 2**62


def _json_error(message: str, status: int, code: str = "") -> JsonResponse:
    return JsonResponse({"error": str(message), "code": code}, status=status, json_dumps_params={"ensure_ascii": False})


@login_required
def my_exams(request):
    person = person_for_user(request.user)
    context = {
        "person": person,
        "rows": selectors.my_candidacies(person) if person else [],
        "registrable": selectors.registrable_sittings(person) if person else [],
    }
    return TemplateResponse(request, "exams/candidate/my_exams.html", context)


@require_POST
@login_required
def register(request, sitting_id: int):
    person = person_for_user(request.user)
    sitting = get_object_or_404(selectors.registrable_sittings(person), pk=sitting_id) if person else None
    if sitting is None:
        raise Http404
    try:
        candidate = sitting_services.candidate_register(sitting=sitting, person=person, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if candidate.status == candidate.Status.APPROVED:
            messages.success(request, _("You are registered for this exam."))
        else:
            messages.success(request, _("Your registration is waiting for approval."))
    return redirect("exams:my_exams")


@require_POST
@login_required
def start(request, sitting_id: int):
    person = person_for_user(request.user)
    candidate = selectors.candidate_for(person, sitting_id) if person else None
    if candidate is None:
        raise Http404
    try:
        attempt = attempt_services.attempt_start(candidate=candidate, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("exams:my_exams")
    return redirect("exams:attempt", pk=attempt.pk)


def _own_attempt(request, pk: int) -> Attempt:
    attempt = selectors.attempt_for_user(request.user, pk)
    if attempt is None:
        raise Http404
    return attempt


@login_required
def attempt_page(request, pk: int):
    attempt = _own_attempt(request, pk)
    now = timezone.now()
    if attempt.status != Attempt.Status.IN_PROGRESS or now > selectors.cutoff(attempt):
        return redirect("exams:result", pk=attempt.pk)
    sitting = attempt.candidate.sitting
    paper = selectors.exam_paper(attempt)
    config = {
        "attempt": attempt.pk,
        "deadline": int(attempt.deadline_at.timestamp() * 1000),
        "serverNow": int(time.time() * 1000),
        "answersUrl": reverse("exams:answers", args=[attempt.pk]),
        "questions": [{"position": q["position"], "type": q["type"], "seq": q["seq"], "response": q["response"]}
                      for q in paper],
    }  # fmt: skip
    texts = {
        "saved": _("All answers saved"),
        "saving": _("Saving…"),
        "offline": _("Not saved yet: retrying…"),
        "timeUp": _("Time is up. Submitting your answers…"),
        "closed": _("Answers are no longer accepted."),
        "invalid": _("This answer could not be saved."),
        "confirm": _("You have answered %(answered)s of %(total)s questions. Submit now? You cannot change your "
                     "answers afterwards."),
        "leave": _("Some answers are not saved yet."),
    }  # fmt: skip
    context = {"attempt": attempt, "sitting": sitting, "paper": paper, "config": config, "texts": texts}
    return TemplateResponse(request, "exams/candidate/exam.html", context)


def _form_answers(request, attempt: Attempt) -> None:
    """Without JavaScript the exam page is a plain form: save its answers before submitting."""
    seq = int(time.time() * 1000)
    for question in selectors.exam_paper(attempt):
        field = f"q{question['position']}"
        if question["type"] in ("single", "multiple"):
            response = request.POST.getlist(field)
        elif question["type"] == "true_false":
            value = request.POST.get(field)
            response = [value == "true"] if value in ("true", "false") else []
        elif question["type"] == "fill_blank":
            response = [request.POST.get(f"{field}_{i}", "") for i in range(question["blanks"])]
        else:
            response = [request.POST.get(field, "")]
        try:
            attempt_services.answer_save(user=request.user, attempt_id=attempt.pk, position=question["position"],
                                         response=response, seq=seq)  # fmt: skip
        except ValidationError:
            continue


@require_POST
@login_required
def submit(request, pk: int):
    attempt = _own_attempt(request, pk)
    if request.POST.get("nojs") and attempt.status == Attempt.Status.IN_PROGRESS:
        _form_answers(request, attempt)
    attempt_services.attempt_submit(attempt=attempt, actor=request.user, auto=request.POST.get("auto") == "1")
    messages.success(request, _("Your answers have been submitted."))
    return redirect("exams:result", pk=attempt.pk)


@login_required
def result(request, pk: int):
    attempt = _own_attempt(request, pk)
    if attempt.status == Attempt.Status.IN_PROGRESS and timezone.now() <= selectors.cutoff(attempt):
        return redirect("exams:attempt", pk=attempt.pk)
    context = {"attempt": attempt, "sitting": attempt.candidate.sitting, "result": selectors.attempt_result(attempt)}
    return TemplateResponse(request, "exams/candidate/result.html", context)


@require_POST
def answer_api(request, pk: int):
    """Autosave one answer (hot path: parse, then one SQL statement; no template, no model loading)."""
    if not request.user.is_authenticated:
        return _json_error(_("Please log in first."), 403, "login")
    try:
        data = json.loads(request.body or b"")
        position, seq, response = data["position"], data["seq"], data.get("response")
    except (ValueError, UnicodeDecodeError, TypeError, KeyError):
        return _json_error(_("The request is not valid JSON."), 400, "bad_request")
    if not all(isinstance(v, int) and not isinstance(v, bool) and 0 < v < MAX_SEQ for v in (position, seq)):
        return _json_error(_("“position” and “seq” must be positive whole numbers."), 400, "bad_request")
    try:
        saved = attempt_services.answer_save(
            user=request.user, attempt_id=pk, position=position, response=response, seq=seq
        )
    except attempt_services.AttemptNotFound:
        return _json_error(_("No such question in your exam."), 404, "not_found")
    except attempt_services.AnswerRefused as exc:
        status = 400 if exc.code == "bad_response" else 409
        return _json_error(" ".join(exc.messages), status, exc.code or "")
    return JsonResponse({"position": position, "seq": saved.seq, "applied": saved.applied})
