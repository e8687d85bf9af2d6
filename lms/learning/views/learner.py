"""Learner pages: enroll, my courses, my hours, lesson videos (Wagtail serves the page types themselves).

The JSON endpoints players and quizzes post to live in :mod:`.learner_api`.
"""

from __future__ import annotations

import mimetypes
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.registry.selectors import person_for_user

from .. import selectors, services
from ..models import CoursePage, Enrollment

RANGE = re.compile(r"bytes=(\d*)-(\d*)")
CHUNK = 1024 * 1024  # the most one ranged response carries; players ask for the rest


@require_POST
@login_required
def enroll(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    person = person_for_user(request.user)
    if person is None:
        messages.error(request, _("Only a registered childcare worker can enroll."))
    else:
        try:
            services.enroll(person=person, course=course, actor=request.user, source=Enrollment.Source.SELF)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("You are enrolled. Start with the first lesson."))
    return redirect(course.url or "learning:my_courses")


@login_required
def my_courses(request):
    person = person_for_user(request.user)
    enrollments = selectors.learner_enrollments(person) if person else []
    context = {
        "person": person,
        "active": [e for e in enrollments if e.status == Enrollment.Status.ACTIVE],
        "completed": [e for e in enrollments if e.status == Enrollment.Status.COMPLETED],
        "hours_status": selectors.hours_vs_requirement(person) if person else [],
        "year": timezone.localdate().year,
    }
    return TemplateResponse(request, "learning/my_courses.html", context)


@login_required
def my_hours(request):
    person = person_for_user(request.user)
    context = {
        "person": person,
        "rows": selectors.hours_table(person) if person else [],
        "hours_status": selectors.hours_vs_requirement(person) if person else [],
        "year": timezone.localdate().year,
    }
    return TemplateResponse(request, "learning/my_hours.html", context)


@login_required
def lesson_video(request, lesson_id: int, media_id: int):
    """A lesson's video file, to learners enrolled in its course only (HTTP ranges for seeking)."""
    lesson = selectors.lesson_for_progress(lesson_id)
    if lesson is None or selectors.enrollment_for_lesson(request.user, lesson) is None:
        raise Http404
    media = next((m for m in lesson.videos if m.pk == media_id), None)
    if media is None or not media.file:
        raise Http404
    content_type = mimetypes.guess_type(media.file.name)[0] or "application/octet-stream"
    try:
        size = media.file.size
        handle = media.file.open("rb")
    except OSError as exc:
        raise Http404 from exc
    match = RANGE.fullmatch(request.headers.get("Range", "").strip())
    if not match or not (match[1] or match[2]):
        response = FileResponse(handle, content_type=content_type)
    else:
        if match[1]:
            start, end = int(match[1]), int(match[2]) if match[2] else size - 1
        else:
            start, end = max(0, size - int(match[2])), size - 1
        end = min(end, size - 1, start + CHUNK - 1)
        if start >= size or start > end:
            handle.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        with handle:
            handle.seek(start)
            response = HttpResponse(handle.read(end - start + 1), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"
    return response
