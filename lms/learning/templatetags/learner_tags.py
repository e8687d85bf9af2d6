"""Template tags giving the Wagtail page templates of learning their data (page models stay plain).

``{% catalogue_state as cat %}`` on the catalogue, ``{% course_state page as st %}`` on a course,
``{% lesson_state page as st %}`` on a lesson. Each calls the selectors; nothing here writes.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.registry.models import Region
from lms.registry.selectors import person_for_user

from .. import progress as rules
from .. import selectors
from ..choices import Occupation, TrainingKind
from ..models import CoursePage, LessonProgress, TrainingCatalogue
from ..services.enrollment import enrollment_refusal

register = template.Library()


def _person(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(request, "_learner_person"):
        request._learner_person = person_for_user(user)
    return request._learner_person


@register.simple_tag
def catalogue_url() -> str:
    """Where the training catalogue is (empty if there is none yet)."""
    catalogue = TrainingCatalogue.objects.live().first()
    return (catalogue.url or "") if catalogue else ""


@register.simple_tag(takes_context=True)
def catalogue_state(context) -> dict:
    request = context["request"]
    params = request.GET
    q = params.get("q", "").strip()[:100]
    kind = params.get("kind", "") if params.get("kind", "") in TrainingKind.values else ""
    occupation = params.get("occupation", "") if params.get("occupation", "") in Occupation.values else ""
    region = None
    if params.get("region", "").isdigit():
        region = Region.objects.filter(pk=int(params["region"])).first()
    open_only = params.get("open") == "1"
    courses = selectors.catalogue_courses(q=q, kind=kind, occupation=occupation, region=region, open_only=open_only)
    return {
        "courses": courses,
        "q": q,
        "kind": kind,
        "occupation": occupation,
        "region": region,
        "open_only": open_only,
        "kinds": TrainingKind.choices,
        "occupations": Occupation.choices,
        "regions": selectors.catalogue_regions(_person(request)),
        "filtered": bool(q or kind or occupation or region or open_only),
    }


@register.simple_tag(takes_context=True)
def course_state(context, course: CoursePage) -> dict:
    request = context["request"]
    person = _person(request)
    enrollment = selectors.open_enrollment(person, course) if person else None
    refusal = None
    if person is not None and enrollment is None:
        refusal = enrollment_refusal(person, course)
    return {
        "person": person,
        "enrollment": enrollment,
        "refusal": refusal,
        "outline": selectors.course_outline(course, enrollment),
        "today": timezone.localdate(),
    }


def _questions(block) -> list[dict]:
    """A quiz's questions as the page may show them: prompts and answer texts, never which is correct."""
    out = []
    for question in block.value["questions"]:
        choices = [choice["text"] for choice in question["choices"]]
        multi = sum(1 for choice in question["choices"] if choice["correct"]) != 1
        out.append({"prompt": question["prompt"], "choices": choices, "multi": multi})
    return out


@register.simple_tag(takes_context=True)
def lesson_state(context, lesson) -> dict:
    request = context["request"]
    course = CoursePage.objects.ancestor_of(lesson).first()
    enrollment = selectors.enrollment_for_lesson(request.user, lesson) if course else None
    state = {"course": course, "enrollment": enrollment, "person": _person(request)}
    if enrollment is None:
        if course is not None and state["person"] is not None:
            state["refusal"] = enrollment_refusal(state["person"], course)
        return state
    progress = LessonProgress.objects.filter(enrollment=enrollment, lesson=lesson).first()
    watched = progress.watched if progress else {}
    position = progress.position if progress else {}
    passed = set(progress.gates_passed) if progress else set()
    blocks, has_video = [], False
    for block in lesson.body:
        item = {"type": block.block_type, "id": block.id, "value": block.value}
        if block.block_type == "video" and block.value["video"]:
            media = block.value["video"]
            mid = str(media.pk)
            has_video = True
            item.update(
                media=media,
                position=float(position.get(mid, 0)),
                percent=rules.video_percent(watched.get(mid, []), float(media.duration or 0)),
            )
        elif block.block_type in ("gate", "practice_quiz"):
            item.update(questions=_questions(block), passed=block.id in passed, title=block.value["title"])
            item["value"] = None  # the template gets no access to the correct answers
        blocks.append(item)
    lessons = selectors.course_lessons(course)
    index = next((i for i, item in enumerate(lessons) if item.pk == lesson.pk), None)
    return {
        **state,
        "blocks": blocks,
        "has_video": has_video,
        "dwell_seconds": progress.dwell_seconds if progress else 0,
        "dwell_required": course.text_dwell_seconds,
        "credited": bool(progress and progress.credited_at),
        "course_completed": enrollment.status == enrollment.Status.COMPLETED,
        "previous": lessons[index - 1] if index else None,
        "next": lessons[index + 1] if index is not None and index + 1 < len(lessons) else None,
        "course_url": course.url,
        "heartbeat_seconds": getattr(settings, "LEARNING_HEARTBEAT_SECONDS", rules.HEARTBEAT_SECONDS),
        "messages": {
            "right": _("Right"),
            "wrong": _("Wrong"),
            "passed": _("Passed."),
            "failed": _("Not passed yet: read the lesson again and retry."),
            "score": _("Correct answers"),
            "error": _("Could not reach the server; your progress will be sent again."),
        },
    }
