"""The JSON endpoints of lessons over HTTP: heartbeat contract, gates, practice quizzes, errors."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext

from lms.learning import services
from lms.learning.models import Enrollment, HoursEntry, LessonPage, LessonProgress

from .conftest import GATE_QUESTIONS, build_course, lessons_of
from .learner_fixtures import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db

PRACTICE = [
    {
        "prompt": "喂奶后应让婴儿保持什么姿势?",
        "choices": [{"text": "竖抱拍嗝", "correct": True}, {"text": "立即平躺", "correct": False}],
        "explanation": "竖抱并轻拍背部,帮助排出吞咽的空气,防止溢奶。",
    }
]


def _post(client, url, payload, **extra):
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    return client.post(url, body, content_type="application/json", **extra)


def beat(client, lesson, media, start=0.0, end=0.0):
    return _post(client, "/learn/api/heartbeat/", {"lesson": lesson.pk, "media": media, "start": start, "end": end})


@pytest.fixture
def enrolled(learner_user, web_course):
    return services.enroll(person=learner_user.person, course=web_course)


def test_heartbeat_contract(learner_client, enrolled, web_course):
    lesson = lessons_of(web_course)[0]
    mid = str(lesson.videos[0].pk)
    response = beat(learner_client, lesson, mid, 0, 10)
    assert response.status_code == 200
    assert response.json() == {
        "credited": False,
        "watched_percent": {mid: 16},
        "position": {mid: 10.0},
        "dwell_seconds": 0,
        "course_completed": False,
    }
    # media may be sent as a number too; credit is limited by the wall time since the previous beat
    assert 10.0 < beat(learner_client, lesson, int(mid), 10, 12).json()["position"][mid] <= 12.0


def test_heartbeats_credit_the_video_lesson(learner_client, enrolled, web_course):
    lesson = lessons_of(web_course)[0]
    mid = lesson.videos[0].pk
    now = timezone.now()
    for i in range(6):
        with mock.patch("django.utils.timezone.now", return_value=now + timedelta(seconds=10 * i)):
            data = beat(learner_client, lesson, mid, i * 10, i * 10 + 10).json()
    assert data["credited"] and data["watched_percent"] == {str(mid): 100}
    assert HoursEntry.objects.filter(person=enrolled.person, hours=Decimal("1.0")).count() == 1


def test_reading_heartbeat_counts_dwell_time(learner_client, enrolled, web_course):
    lesson = lessons_of(web_course)[1]
    now = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=now):
        beat(learner_client, lesson, None)
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(seconds=10)):
        data = beat(learner_client, lesson, None).json()
    assert data["dwell_seconds"] >= 10 and data["watched_percent"] == {} and not data["credited"]


@pytest.mark.parametrize(
    "payload",
    [
        "not json",
        b"\xff\xfe",
        "[1, 2]",
        {},
        {"lesson": "abc", "media": None},
        {"lesson": True, "media": None},
        {"lesson": -1, "media": None},
        {"lesson": "LESSON", "media": "MEDIA", "start": "0", "end": 10},
        {"lesson": "LESSON", "media": "MEDIA", "start": 0},
        {"lesson": "LESSON", "media": "MEDIA", "start": -5, "end": 10},
        {"lesson": "LESSON", "media": "MEDIA", "start": 0, "end": 1e308 * 10},
        {"lesson": "LESSON", "media": "MEDIA", "start": 0, "end": True},
        {"lesson": "LESSON", "media": "x", "start": 0, "end": 1},
        {"lesson": "LESSON", "media": 999999, "start": 0, "end": 1},  # not a video of this lesson
    ],
)
def test_bad_heartbeats_get_400_with_a_message(learner_client, enrolled, web_course, payload, zh):
    lesson = lessons_of(web_course)[0]
    if isinstance(payload, dict):
        payload = {
            k: (lesson.pk if v == "LESSON" else lesson.videos[0].pk if v == "MEDIA" else v) for k, v in payload.items()
        }
    if isinstance(payload, dict) and payload.get("end") == float("inf"):
        payload = json.dumps(payload).replace("Infinity", "1e999")
    response = _post(learner_client, "/learn/api/heartbeat/", payload)
    assert response.status_code == 400
    assert response.json()["error"]


def test_heartbeat_refused_when_not_enrolled_or_logged_out(client, learner_client, web_course, learner_user):
    lesson = lessons_of(web_course)[0]
    response = beat(learner_client, lesson, lesson.videos[0].pk, 0, 10)
    assert response.status_code == 403
    assert response.json()["error"] == gettext("You are not enrolled in this course.")
    assert beat(client, lesson, lesson.videos[0].pk, 0, 10).status_code == 403
    assert _post(learner_client, "/learn/api/heartbeat/", {"lesson": 10**9, "media": None}).status_code == 404
    assert learner_client.get("/learn/api/heartbeat/").status_code == 405
    # a cancelled enrollment no longer counts
    enrollment = services.enroll(person=learner_user.person, course=web_course)
    services.enrollment_cancel(enrollment=enrollment)
    assert beat(learner_client, lesson, lesson.videos[0].pk, 0, 10).status_code == 403


def test_refused_heartbeat_leaves_the_learners_clock_alone(learner_client, enrolled, web_course, learner_user):
    from lms.learning.models import LearnerClock

    lesson = lessons_of(web_course)[0]
    assert beat(learner_client, lesson, lesson.videos[0].pk, 0, 10).status_code == 200
    clock = LearnerClock.objects.get(person=learner_user.person)
    other = build_course(provider=web_course.get_parent().specific.provider, title="未报名的课程")
    other_lesson = lessons_of(other)[0]
    assert beat(learner_client, other_lesson, other_lesson.videos[0].pk, 0, 10).status_code == 403
    assert LearnerClock.objects.get(person=learner_user.person).last_seen_at == clock.last_seen_at
    # the learner's next heartbeat in their own course still earns the full gap since the last accepted one
    progress = LessonProgress.objects.get(enrollment=enrolled, lesson=lesson)
    assert progress.watched[str(lesson.videos[0].pk)] == [[0.0, 10.0]]


def test_heartbeat_needs_the_csrf_token(learner_user, enrolled, web_course):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner_user)
    lesson = lessons_of(web_course)[0]
    assert beat(client, lesson, lesson.videos[0].pk, 0, 10).status_code == 403
    client.get(lesson.url)  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = _post(
        client,
        "/learn/api/heartbeat/",
        {"lesson": lesson.pk, "media": lesson.videos[0].pk, "start": 0, "end": 10},
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200


def test_heartbeat_query_count(learner_client, enrolled, web_course, django_assert_max_num_queries):
    lesson = lessons_of(web_course)[0]
    mid = lesson.videos[0].pk
    beat(learner_client, lesson, mid, 0, 5)  # first beat: creates the clock and progress rows, fills the cache
    with CaptureQueriesContext(connection) as queries:
        assert beat(learner_client, lesson, mid, 5, 10).status_code == 200
    statements = [q["sql"] for q in queries.captured_queries]
    assert not any("wagtailcore_page" in sql for sql in statements), "the lesson and its rule come from the cache"
    # the session's user, the enrollment, then (in one transaction) the clock, the progress row and its update
    work = [sql for sql in statements if not sql.upper().startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))]
    assert len(work) <= 5, "\n".join(statements)


def test_lesson_rule_cache_follows_a_new_revision(learner_client, enrolled, web_course):
    lesson = lessons_of(web_course)[0]
    mid = str(lesson.videos[0].pk)
    assert beat(learner_client, lesson, mid, 0, 5).status_code == 200
    # the provider replaces the video and publishes: the old video no longer counts
    from .conftest import make_video

    new_video = make_video(30, "新视频")
    lesson.body = [("video", {"video": new_video, "caption": ""})]
    lesson.save_revision().publish()
    assert beat(learner_client, lesson, mid, 5, 10).status_code == 400
    assert beat(learner_client, lesson, new_video.pk, 0, 5).status_code == 200


def test_unpublished_lesson_stops_taking_heartbeats_at_once(learner_client, enrolled, web_course):
    lesson = lessons_of(web_course)[0]
    mid = str(lesson.videos[0].pk)
    assert beat(learner_client, lesson, mid, 0, 5).status_code == 200  # the lesson is now cached
    lesson.unpublish()
    assert beat(learner_client, lesson, mid, 5, 10).status_code == 404
    lesson.save_revision().publish()
    assert beat(learner_client, lesson, mid, 5, 10).status_code == 200


def test_course_rule_change_applies_to_the_next_heartbeat(learner_client, enrolled, web_course):
    lesson = lessons_of(web_course)[0]
    media = lesson.videos[0]
    mid = str(media.pk)
    assert beat(learner_client, lesson, mid, 0, 10).json()["credited"] is False
    # the provider lowers the share of video to watch to 10%: the next heartbeat credits the lesson
    web_course.video_ratio = Decimal("0.10")
    web_course.save_revision().publish()
    assert float(media.duration) * 0.10 <= 11
    assert beat(learner_client, lesson, mid, 10, 11).json()["credited"] is True


def test_lesson_moved_to_another_course_follows_its_new_course(learner_client, enrolled, web_course, learner_user):
    lesson = lessons_of(web_course)[0]
    mid = str(lesson.videos[0].pk)
    assert beat(learner_client, lesson, mid, 0, 5).status_code == 200
    other = build_course(provider=web_course.get_parent().specific.provider, title="另一门课程")
    lesson.slug = "moved-lesson"
    lesson.save_revision().publish()
    lesson.move(other, pos="last-child")
    assert beat(learner_client, lesson, mid, 5, 10).status_code == 403  # not enrolled in the new course
    services.enroll(person=learner_user.person, course=other)
    assert beat(learner_client, lesson, mid, 5, 10).status_code == 200


def _gate(lesson):
    return lesson.gates[0].id


def test_gate_graded_on_the_server(learner_client, enrolled, web_course):
    lesson = lessons_of(web_course)[1]
    url = "/learn/api/gate/"
    wrong = _post(learner_client, url, {"lesson": lesson.pk, "block": _gate(lesson), "answers": [[1], [0]]}).json()
    assert wrong["passed"] is False and wrong["per_question"] == [False, True] and "explanations" not in wrong
    right = _post(learner_client, url, {"lesson": lesson.pk, "block": _gate(lesson), "answers": [[0], [0]]}).json()
    assert right["passed"] is True and right["correct"] == 2 and right["total"] == 2
    assert right["explanations"][0] == GATE_QUESTIONS[0]["explanation"]
    assert right["gates_passed"] == [_gate(lesson)] and right["credited"] is False  # reading time still missing


def test_gate_then_reading_completes_the_course(learner_client, enrolled, web_course):
    video_lesson, text_lesson = lessons_of(web_course)
    mid = video_lesson.videos[0].pk
    now = timezone.now()
    for i in range(6):
        with mock.patch("django.utils.timezone.now", return_value=now + timedelta(seconds=10 * i)):
            beat(learner_client, video_lesson, mid, i * 10, i * 10 + 10)
    gate = {"lesson": text_lesson.pk, "block": _gate(text_lesson), "answers": [[0], [0]]}
    assert _post(learner_client, "/learn/api/gate/", gate).json()["passed"]
    for i in range(4):
        with mock.patch("django.utils.timezone.now", return_value=now + timedelta(seconds=100 + 10 * i)):
            data = beat(learner_client, text_lesson, None).json()
    assert data["credited"] and data["course_completed"]
    enrolled.refresh_from_db()
    assert enrolled.status == Enrollment.Status.COMPLETED
    html = learner_client.get(web_course.url).content.decode()
    assert 'data-testid="course-completed"' in html
    my = learner_client.get("/learn/my/").content.decode()
    assert web_course.title in my.split('data-testid="completed-courses"')[1]


@pytest.mark.parametrize(
    "payload",
    [
        {"lesson": "L", "block": "", "answers": []},
        {"lesson": "L", "block": "G"},
        {"lesson": "L", "block": "G", "answers": "0"},
        {"lesson": "L", "block": "G", "answers": [0, 1]},
        {"lesson": "L", "block": "G", "answers": [["a"]]},
        {"lesson": "L", "block": "G", "answers": [[True]]},
        {"lesson": "L", "block": "G", "answers": [[-1]]},
        {"lesson": "L", "block": "no-such-block", "answers": [[0]]},
    ],
)
def test_bad_gate_submissions_get_400(learner_client, enrolled, web_course, payload):
    lesson = lessons_of(web_course)[1]
    payload = {k: (lesson.pk if v == "L" else _gate(lesson) if v == "G" else v) for k, v in payload.items()}
    response = _post(learner_client, "/learn/api/gate/", payload)
    assert response.status_code == 400 and response.json()["error"]


def test_gate_refused_when_not_enrolled(learner_client, web_course):
    lesson = lessons_of(web_course)[1]
    response = _post(learner_client, "/learn/api/gate/", {"lesson": lesson.pk, "block": _gate(lesson), "answers": []})
    assert response.status_code == 403


def test_practice_quiz_is_graded_with_explanations_and_not_leaked(learner_client, learner_user, catalogue):
    course = build_course()
    lesson = lessons_of(course)[1]
    lesson.body = [
        *[(b.block_type, b.value) for b in lesson.body],
        ("practice_quiz", {"title": "练一练", "questions": PRACTICE}),
    ]
    lesson.save()
    lesson = LessonPage.objects.get(pk=lesson.pk)
    block_id = next(b.id for b in lesson.body if b.block_type == "practice_quiz")
    services.enroll(person=learner_user.person, course=course)
    html = learner_client.get(lesson.url).content.decode()
    assert (
        "竖抱拍嗝" in html
        and PRACTICE[0]["explanation"] not in html
        and "correct" not in html.replace("Correct answers", "").lower()
    )
    data = _post(
        learner_client, "/learn/api/practice/", {"lesson": lesson.pk, "block": block_id, "answers": [[1]]}
    ).json()
    assert data["per_question"] == [False] and data["explanations"] == [PRACTICE[0]["explanation"]]
    assert _post(
        learner_client, "/learn/api/practice/", {"lesson": lesson.pk, "block": block_id, "answers": [[0]]}
    ).json()["per_question"] == [True]
    # a gate's id is not a practice quiz
    gate = {"lesson": lesson.pk, "block": _gate(lesson), "answers": [[0]]}
    assert _post(learner_client, "/learn/api/practice/", gate).status_code == 400
    assert not LessonProgress.objects.filter(lesson=lesson).exists()  # practice records nothing
