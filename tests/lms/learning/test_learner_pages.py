"""Learner pages over HTTP: catalogue search and filters, course page and enrollment, lessons, my courses, hours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from lms.learning import services
from lms.learning.choices import HoursSource, Occupation, TrainingKind
from lms.learning.models import AnnualHoursRequirement, Enrollment, HoursEntry
from lms.registry.models import Post
from tests import factories as f

from .conftest import GATE_QUESTIONS, build_course, lessons_of
from .learner_fixtures import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db


def _cards(response) -> str:
    return response.content.decode()


def test_catalogue_lists_live_courses_with_provider_kind_hours_window_and_seats(client, catalogue, zh):
    course = build_course(
        title="托育机构负责人岗位培训",
        kind=TrainingKind.DIRECTOR,
        capacity=30,
        enrollment_opens=dt.date(2020, 1, 1),
        enrollment_closes=dt.date(2099, 12, 31),
        required_hours=Decimal("60.0"),
    )
    services.enroll(person=f.PersonFactory(), course=course)
    draft = build_course(title="未发布的课程")
    draft.unpublish()
    html = _cards(client.get(catalogue.url))
    assert "托育机构负责人岗位培训" in html
    assert "未发布的课程" not in html
    provider = course.get_parent().specific.provider
    assert provider.name in html
    assert str(TrainingKind.DIRECTOR.label) in html
    assert "60.0" in html
    assert "2020-01-01 → 2099-12-31" in html
    assert 'data-testid="seats-left">29<' in html


def test_catalogue_search_uses_the_wagtail_index(client, catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail indexes pages after commit
        build_course(title="回应性照护", summary="responsive caregiving for toddlers")
        build_course(title="发热处理")
    html = client.get(catalogue.url, {"q": "caregiving"}).content.decode()
    assert "回应性照护" in html and "发热处理" not in html


def test_catalogue_search_and_filters(client, catalogue):
    county = f.CountyFactory(code="530381", name="宣威市")
    build_course(title="婴幼儿回应性照护", kind=TrainingKind.IN_SERVICE, summary="回应性照护的要点")
    build_course(title="卫生保健人员培训", kind=TrainingKind.HEALTH_CARE, occupation=Occupation.HEALTH_CARE)
    build_course(title="宣威市保育培训", region=county, kind=TrainingKind.PRE_JOB)
    build_course(title="已截止的培训", enrollment_closes=dt.date(2020, 1, 1))
    other = f.CountyFactory(code="530302", name="麒麟区")

    def titles(**params):
        html = client.get(catalogue.url, params).content.decode()
        return {t for t in ("婴幼儿回应性照护", "卫生保健人员培训", "宣威市保育培训", "已截止的培训") if t in html}

    assert titles(q="回应性") == {"婴幼儿回应性照护"}
    assert titles(kind=TrainingKind.HEALTH_CARE) == {"卫生保健人员培训"}
    assert titles(occupation=Occupation.HEALTH_CARE) == {"卫生保健人员培训"}
    assert "宣威市保育培训" not in titles(region=other.pk)  # offered in another county
    assert "宣威市保育培训" in titles(region=county.pk)
    assert "婴幼儿回应性照护" in titles(region=county.pk)  # offered everywhere
    assert "已截止的培训" not in titles(open="1")
    assert titles(kind="nonsense", region="x") == titles()  # bad filter values are ignored


def test_course_page_enroll_and_continue(learner_client, learner_user, web_course, zh):
    page = learner_client.get(web_course.url).content.decode()
    assert 'data-testid="enroll"' in page
    response = learner_client.post(f"/learn/enroll/{web_course.pk}/", follow=True)
    html = response.content.decode()
    assert Enrollment.objects.filter(person__user=learner_user, course=web_course).exists()
    assert 'data-testid="continue"' in html
    first = lessons_of(web_course)[0]
    assert first.url in html


@pytest.mark.parametrize(
    "case",
    ["full", "closed", "not_yet", "banned", "prerequisite"],
)
def test_enrollment_refusals_are_shown(learner_client, learner_user, catalogue, case, zh):
    from lms.registry.services import person_ban

    person = learner_user.person
    fields = {}
    if case == "full":
        fields["capacity"] = 1
    if case == "closed":
        fields["enrollment_closes"] = dt.date(2020, 1, 1)
    if case == "not_yet":
        fields["enrollment_opens"] = dt.date(2099, 1, 1)
    if case == "prerequisite":
        fields["prerequisite_course"] = build_course(title="岗前培训")
    course = build_course(**fields)
    if case == "full":
        services.enroll(person=f.PersonFactory(), course=course)
    if case == "banned":
        person_ban(person=person, reason="虐待儿童", decided_on=dt.date(2025, 1, 5), decided_by="曲靖市卫生健康委")
    expected = {
        "full": gettext("The course is full."),
        "closed": gettext("Enrollment closed on %(date)s.") % {"date": "2020-01-01"},
        "not_yet": gettext("Enrollment opens on %(date)s.") % {"date": "2099-01-01"},
        "banned": gettext("You are barred from childcare work and cannot enroll."),
        "prerequisite": gettext("Complete “%(course)s” first.") % {"course": "岗前培训"},
    }[case]
    page = learner_client.get(course.url).content.decode()
    assert expected in page and 'data-testid="enroll"' not in page
    # posting anyway is refused with the same message
    html = learner_client.post(f"/learn/enroll/{course.pk}/", follow=True).content.decode()
    assert expected in html
    assert not Enrollment.objects.filter(person=person, course=course).exists()


def test_lesson_html_never_contains_the_correct_answers(learner_client, learner_user, web_course):
    services.enroll(person=learner_user.person, course=web_course)
    text_lesson = lessons_of(web_course)[1]
    html = learner_client.get(text_lesson.url).content.decode()
    assert GATE_QUESTIONS[0]["prompt"] in html and "每15分钟" in html
    assert "correct" not in html.lower().replace("correct answers", "")
    assert GATE_QUESTIONS[0]["explanation"] not in html
    assert 'data-quiz="gate"' in html


def test_lesson_is_closed_to_learners_not_enrolled(learner_client, web_course):
    html = learner_client.get(lessons_of(web_course)[0].url).content.decode()
    assert 'data-testid="not-enrolled"' in html
    assert "/learn/video/" not in html and "每15分钟" not in html


def test_video_lesson_resumes_at_the_stored_position(learner_client, learner_user, web_course):
    enrollment = services.enroll(person=learner_user.person, course=web_course)
    lesson = lessons_of(web_course)[0]
    mid = str(lesson.videos[0].pk)
    services.heartbeat_record(enrollment=enrollment, lesson=lesson, media_id=mid, start=0, end=12)
    html = learner_client.get(lesson.url).content.decode()
    assert 'data-position="12.0"' in html
    assert f'data-watched="{mid}">20<' in html
    course_html = learner_client.get(web_course.url).content.decode()
    assert "第一课 午睡照护" in course_html.split('data-testid="continue"')[1][:300]


def test_video_is_served_to_enrolled_learners_only_with_ranges(learner_client, learner_user, web_course):
    lesson = lessons_of(web_course)[0]
    url = f"/learn/video/{lesson.pk}/{lesson.videos[0].pk}/"
    assert learner_client.get(url).status_code == 404
    services.enroll(person=learner_user.person, course=web_course)
    response = learner_client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"\x00" * 16
    partial = learner_client.get(url, HTTP_RANGE="bytes=4-7")
    assert partial.status_code == 206 and partial["Content-Range"] == "bytes 4-7/16" and partial.content == b"\x00" * 4
    assert learner_client.get(url, HTTP_RANGE="bytes=99-").status_code == 416


def test_my_courses_shows_progress_and_completed_courses(learner_client, learner_user, catalogue):
    person = learner_user.person
    running = build_course(title="进行中的课程")
    done = build_course(title="已完成的课程")
    enrollment = services.enroll(person=person, course=running)
    lesson = lessons_of(running)[0]
    mid = str(lesson.videos[0].pk)
    now = timezone.now()
    for i in range(6):
        services.heartbeat_record(
            enrollment=enrollment,
            lesson=lesson,
            media_id=mid,
            start=i * 10,
            end=i * 10 + 10,
            now=now + dt.timedelta(seconds=10 * i),
        )
    finished = services.enroll(person=person, course=done)
    Enrollment.objects.filter(pk=finished.pk).update(status=Enrollment.Status.COMPLETED, completed_at=now)
    html = learner_client.get("/learn/my/").content.decode()
    active, completed = html.split('data-testid="completed-courses"')
    assert "进行中的课程" in active
    assert "已完成的课程" in completed and "已完成的课程" not in active
    assert 'aria-valuemax="2" aria-valuenow="1"' in active  # one of two lessons credited


def test_home_page_and_hours_page_show_hours_vs_requirement(learner_client, learner_user, zh):
    person = learner_user.person
    f.EmploymentFactory(person=person, post=Post.CAREGIVER, start_date=dt.date(2020, 1, 1))
    AnnualHoursRequirement.objects.create(post=Post.CAREGIVER, kind=TrainingKind.IN_SERVICE, hours=Decimal("72"))
    year = timezone.localdate().year
    for key, hours, source in (("a", "10.5", HoursSource.ONLINE), ("b", "4.0", HoursSource.CLASSROOM)):
        HoursEntry.objects.create(
            person=person,
            key=key,
            hours=Decimal(hours),
            kind=TrainingKind.IN_SERVICE,
            source=source,
            occurred_on=dt.date(year, 1, 2),
            year=year,
        )
    HoursEntry.objects.create(
        person=person,
        key="old",
        hours=Decimal("8"),
        kind=TrainingKind.IN_SERVICE,
        source=HoursSource.ONLINE,
        occurred_on=dt.date(year - 1, 5, 2),
        year=year - 1,
    )
    home = learner_client.get("/").content.decode()
    status = home.split('data-testid="hours-status"')[1]
    assert 'data-testid="hours-done">14.5<' in status and "/ 72.0" in status
    hours = learner_client.get("/learn/hours/").content.decode()
    table = hours.split('data-testid="hours-table"')[1]
    assert str(year) in table and str(year - 1) in table and "10.5" in table and "4.0" in table and "8.0" in table
