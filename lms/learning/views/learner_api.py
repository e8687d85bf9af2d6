"""JSON endpoints of lessons: heartbeats from players and readers, gate quizzes, practice quizzes.

Thin on purpose: parse and check the JSON, find the learner's enrollment, call one service. The
heartbeat endpoint is on the hot path (every learner, every 10 s), so it renders no template and
loads no page: the lesson, its course and its rule come from the cache (``selectors.lesson_target``),
and the service finds the enrollment in the same locked statement that reads the progress.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import progress as rules
from .. import selectors, services
from ..models import Enrollment, LessonProgress

MAX_SECONDS = 24 * 3600.0


class BadInput(Exception):
    pass


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": str(message)}, status=status, json_dumps_params={"ensure_ascii": False})


def _payload(request) -> dict:
    try:
        data = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadInput(_("The request is not valid JSON.")) from exc
    if not isinstance(data, dict):
        raise BadInput(_("The request is not valid JSON."))
    return data


def _id(data: dict, name: str) -> int:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise BadInput(_("“%(field)s” is missing or not a number.") % {"field": name})
    try:
        number = int(value)
    except ValueError as exc:
        raise BadInput(_("“%(field)s” is missing or not a number.") % {"field": name}) from exc
    if number <= 0:
        raise BadInput(_("“%(field)s” is missing or not a number.") % {"field": name})
    return number


def _seconds(data: dict, name: str) -> float:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadInput(_("“%(field)s” is missing or not a number.") % {"field": name})
    value = float(value)
    if not math.isfinite(value) or value < 0 or value > MAX_SECONDS:
        raise BadInput(_("“%(field)s” is out of range.") % {"field": name})
    return value


def _answers(data: dict) -> list[list[int]]:
    answers = data.get("answers")
    if not isinstance(answers, list) or len(answers) > 200:
        raise BadInput(_("The answers are missing or malformed."))
    out = []
    for chosen in answers:
        if not isinstance(chosen, list) or len(chosen) > 50:
            raise BadInput(_("The answers are missing or malformed."))
        if any(isinstance(i, bool) or not isinstance(i, int) or i < 0 for i in chosen):
            raise BadInput(_("The answers are missing or malformed."))
        out.append(chosen)
    return out


def _lesson_and_enrollment(request, data: dict):
    """(lesson, enrollment) or an error response."""
    if not request.user.is_authenticated:
        return None, None, _error(_("Please log in first."), 403)
    lesson = selectors.lesson_for_progress(_id(data, "lesson"))
    if lesson is None:
        return None, None, _error(_("No such lesson."), 404)
    enrollment = selectors.enrollment_for_lesson(request.user, lesson)
    if enrollment is None:
        return None, None, _error(_("You are not enrolled in this course."), 403)
    return lesson, enrollment, None


def _json_endpoint(view):
    """POST only; BadInput and ValidationError become 400 with a user-facing message."""

    @require_POST
    def wrapper(request):
        try:
            return view(request, _payload(request))
        except BadInput as exc:
            return _error(exc.args[0])
        except ValidationError as exc:
            return _error(" ".join(exc.messages))

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@_json_endpoint
def heartbeat(request, data):
    """``{"lesson", "media" (id or null), "start", "end"}`` → the lesson's verified state."""
    media = data.get("media")
    if media is not None:
        media = str(_id(data, "media"))
    start = _seconds(data, "start") if media is not None else 0.0
    end = _seconds(data, "end") if media is not None else 0.0
    if not request.user.is_authenticated:
        return _error(_("Please log in first."), 403)
    target = selectors.lesson_target(_id(data, "lesson"))
    if target is None:
        return _error(_("No such lesson."), 404)
    try:
        state = services.learner_heartbeat(user=request.user, lesson=target, media_id=media, start=start, end=end)
    except PermissionDenied:
        return _error(_("You are not enrolled in this course."), 403)
    return JsonResponse(asdict(state))


def _progress_state(enrollment: Enrollment, lesson) -> dict:
    progress = LessonProgress.objects.filter(enrollment=enrollment, lesson=lesson).first()
    status = Enrollment.objects.filter(pk=enrollment.pk).values_list("status", flat=True).first()
    return {
        "credited": bool(progress and progress.credited_at),
        "gates_passed": list(progress.gates_passed) if progress else [],
        "course_completed": status == Enrollment.Status.COMPLETED,
    }


@_json_endpoint
def gate(request, data):
    """``{"lesson", "block", "answers": [[choice index, ...], ...]}`` → graded on the server."""
    block_id = data.get("block")
    if not isinstance(block_id, str) or not block_id:
        raise BadInput(_("“%(field)s” is missing.") % {"field": "block"})
    answers = _answers(data)
    lesson, enrollment, error = _lesson_and_enrollment(request, data)
    if error:
        return error
    result = services.gate_submit(enrollment=enrollment, lesson=lesson, block_id=block_id, answers=answers)
    body = {
        "passed": result.passed,
        "correct": result.correct,
        "total": result.total,
        "per_question": result.per_question,
        **_progress_state(enrollment, lesson),
    }
    if result.passed:  # explanations could give the answers away before a pass
        block = selectors.lesson_block(lesson, block_id, "gate")
        body["explanations"] = [q["explanation"] for q in block.value["questions"]]
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@_json_endpoint
def practice(request, data):
    """``{"lesson", "block", "answers"}`` → per question right or wrong, with explanations; nothing recorded."""
    block_id = data.get("block")
    if not isinstance(block_id, str) or not block_id:
        raise BadInput(_("“%(field)s” is missing.") % {"field": "block"})
    answers = _answers(data)
    lesson, _enrollment, error = _lesson_and_enrollment(request, data)
    if error:
        return error
    block = selectors.lesson_block(lesson, block_id, "practice_quiz")
    if block is None:
        raise BadInput(_("This quiz is not part of the lesson."))
    questions = block.value["questions"]
    result = rules.grade(questions, answers, 1)
    return JsonResponse(
        {
            "correct": result.correct,
            "total": result.total,
            "per_question": result.per_question,
            "explanations": [q["explanation"] for q in questions],
        },
        json_dumps_params={"ensure_ascii": False},
    )
