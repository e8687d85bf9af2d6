"""Heartbeats, gates, credits and completion through the services (database)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lms.learning import services
from lms.learning.events import course_completed
from lms.learning.models import CourseCompletion, Enrollment, HoursEntry, LessonProgress

from .conftest import lessons_of

pytestmark = pytest.mark.django_db


def _play(enrollment, lesson, media_id, segments, start_at=None):
    """Send heartbeats every 10 s for consecutive ``segments`` [(start, end), ...]."""
    now = start_at or timezone.now()
    state = None
    for i, (a, b) in enumerate(segments):
        state = services.heartbeat_record(
            enrollment=enrollment, lesson=lesson, media_id=media_id, start=a, end=b, now=now + timedelta(seconds=10 * i)
        )
    return state


def _video_id(lesson):
    return str(lesson.videos[0].pk)


def test_watching_a_whole_video_credits_the_lesson_once(course, learner):
    enrollment = services.enroll(person=learner, course=course)
    video_lesson = lessons_of(course)[0]
    state = _play(enrollment, video_lesson, _video_id(video_lesson), [(i, i + 10) for i in range(0, 60, 10)])
    assert state.credited and state.watched_percent[_video_id(video_lesson)] == 100
    assert HoursEntry.objects.filter(person=learner).count() == 1
    # replayed heartbeats change nothing
    _play(enrollment, video_lesson, _video_id(video_lesson), [(0, 10), (10, 20)], timezone.now() + timedelta(minutes=5))
    assert HoursEntry.objects.filter(person=learner).count() == 1


def test_skipping_forward_earns_only_real_time(course, learner):
    enrollment = services.enroll(person=learner, course=course)
    lesson = lessons_of(course)[0]
    # claims to have played 0→60 in one 10-second heartbeat
    state = _play(enrollment, lesson, _video_id(lesson), [(0, 10), (10, 60)])
    progress = LessonProgress.objects.get(enrollment=enrollment, lesson=lesson)
    assert not state.credited
    assert progress.watched[_video_id(lesson)] == [[0.0, 21.0]]  # 10 s + one 10 s budget (+1 s jitter)


def test_two_tabs_cannot_double_count(course, learner):
    enrollment = services.enroll(person=learner, course=course)
    lesson = lessons_of(course)[0]
    mid = _video_id(lesson)
    now = timezone.now()
    # tab A plays 0..30, tab B plays 30..60 at the same wall-clock moments
    for i in range(3):
        t = now + timedelta(seconds=10 * i)
        services.heartbeat_record(
            enrollment=enrollment, lesson=lesson, media_id=mid, start=10 * i, end=10 * i + 10, now=t
        )
        services.heartbeat_record(
            enrollment=enrollment, lesson=lesson, media_id=mid, start=30 + 10 * i, end=40 + 10 * i, now=t
        )
    progress = LessonProgress.objects.get(enrollment=enrollment, lesson=lesson)
    from lms.learning.progress import covered

    assert covered(progress.watched[mid]) <= 30 + 3 * 1.0 + 10  # about 30 s of real time, not 60
    assert progress.credited_at is None


def test_gate_and_reading_time_then_course_completes_once(course, learner, django_capture_on_commit_callbacks):
    events = []
    course_completed.connect(lambda **kw: events.append(kw), weak=False, dispatch_uid="t")
    try:
        enrollment = services.enroll(person=learner, course=course)
        video_lesson, text_lesson = lessons_of(course)
        with django_capture_on_commit_callbacks(execute=True):
            _play(enrollment, video_lesson, _video_id(video_lesson), [(i, i + 10) for i in range(0, 60, 10)])
            gate = text_lesson.gates[0]
            wrong = services.gate_submit(
                enrollment=enrollment, lesson=text_lesson, block_id=gate.id, answers=[[1], [0]]
            )
            assert not wrong.passed
            right = services.gate_submit(
                enrollment=enrollment, lesson=text_lesson, block_id=gate.id, answers=[[0], [0]]
            )
            assert right.passed
            # reading time: 4 heartbeats of 10 s ≥ 30 s
            _play(enrollment, text_lesson, None, [(0, 0)] * 4, timezone.now() + timedelta(minutes=10))
            services.completion_check(enrollment=enrollment)
        enrollment.refresh_from_db()
        assert enrollment.status == Enrollment.Status.COMPLETED
        assert CourseCompletion.objects.filter(enrollment=enrollment).count() == 1
        assert len(events) == 1 and events[0]["person_id"] == learner.pk
        assert sum(e.hours for e in HoursEntry.objects.filter(person=learner)) == 2
    finally:
        course_completed.disconnect(dispatch_uid="t")


def test_banned_person_cannot_enroll_and_open_enrollments_close(course, learner, django_capture_on_commit_callbacks):
    from datetime import date

    from lms.registry.services import person_ban

    enrollment = services.enroll(person=learner, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        person_ban(person=learner, reason="虐待儿童", decided_on=date(2026, 1, 5), decided_by="曲靖市卫生健康委")
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.CLOSED
    with pytest.raises(ValidationError):
        services.enroll(person=learner, course=course)
