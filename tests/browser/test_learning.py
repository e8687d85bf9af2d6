"""A caregiver learns on a phone: finds a course, enrolls, watches a real video, passes the gate, completes.

The course uses a 4-second WebM (VP8) video committed under ``assets/`` and a 3-second reading
time; the player's heartbeat interval is set to 1 s for speed (``LEARNING_HEARTBEAT_SECONDS``).
The server's rules are unchanged: every second of credit is still bounded by real elapsed time.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VIDEO = Path(__file__).parent / "assets" / "lesson-4s.webm"
GATE = [
    {
        "prompt": "婴幼儿午睡时,保育人员应多久巡视一次?",
        "choices": [{"text": "每15分钟巡视一次", "correct": True}, {"text": "午睡时不需要巡视", "correct": False}],
        "explanation": "午睡期间应定时巡视,观察面色和呼吸。",
    },
    {
        "prompt": "发现婴幼儿发热时应首先做什么?",
        "choices": [{"text": "立即给予退烧药", "correct": False}, {"text": "测量体温并通知家长", "correct": True}],
        "explanation": "先测量体温、记录并通知家长,不可擅自用药。",
    },
]


@pytest.fixture
def short_course(transactional_db):
    """A published course under the site's home page: a 4 s video lesson, then a text lesson with a gate."""
    from django.core.files import File
    from wagtail.models import Site
    from wagtailmedia.models import Media

    from lms.learning.choices import Occupation, TrainingKind
    from lms.learning.models import CoursePage, LessonPage, ProviderCatalogue, TrainingCatalogue
    from tests import factories as f

    home = Site.objects.get(is_default_site=True).root_page
    catalogue = home.add_child(instance=TrainingCatalogue(title="培训课程", slug="courses"))
    provider = f.TrainingProviderFactory(name="曲靖市托育职业培训学校")
    section = catalogue.add_child(instance=ProviderCatalogue(title=provider.name, slug="qjpx", provider=provider))
    course = section.add_child(
        instance=CoursePage(
            title="婴幼儿回应性照护(在职培训)",
            slug="responsive-care",
            summary="午睡照护与发热处理",
            kind=TrainingKind.IN_SERVICE,
            occupation=Occupation.CHILDCARE_WORKER,
            required_hours=Decimal("2.0"),
            text_dwell_seconds=3,
        )
    )
    with VIDEO.open("rb") as fh:
        video = Media.objects.create(title="午睡巡视示范", type="video", duration=4.0, file=File(fh, name=VIDEO.name))
    course.add_child(
        instance=LessonPage(
            title="第一课 午睡巡视",
            slug="nap",
            hours=Decimal("1.0"),
            body=[("video", {"video": video, "caption": "示范视频"})],
        )
    )
    course.add_child(
        instance=LessonPage(
            title="第二课 发热处理",
            slug="fever",
            hours=Decimal("1.0"),
            body=[
                ("text", "<p>婴幼儿体温超过37.5℃时,应及时测量并记录,通知家长,不可擅自用药。</p>"),
                ("gate", {"title": "检验一下", "questions": GATE, "pass_ratio": Decimal("1")}),
            ],
        )
    )
    # another course that the search must leave out
    section.add_child(
        instance=CoursePage(
            title="托育机构负责人岗位培训",
            slug="director",
            kind=TrainingKind.DIRECTOR,
            occupation=Occupation.DIRECTOR,
            required_hours=Decimal("60.0"),
        )
    )
    return course


@pytest.mark.browser_context_args(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
def test_caregiver_completes_a_course_on_a_phone(page: Page, live_server, caregiver, short_course, settings):
    from lms.learning.models import CourseCompletion, HoursEntry

    settings.LEARNING_HEARTBEAT_SECONDS = 1
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", caregiver.username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("hours-status")).to_be_visible()

    # find the course in the catalogue
    page.get_by_test_id("catalogue-link").click()
    page.get_by_test_id("catalogue-q").fill("回应性照护")
    page.get_by_test_id("catalogue-search").click()
    cards = page.get_by_test_id("course-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("曲靖市托育职业培训学校")
    cards.first.get_by_role("link").click()

    # enroll and start
    page.get_by_test_id("enroll").click()
    expect(page.get_by_test_id("continue")).to_contain_text("第一课 午睡巡视")
    page.get_by_test_id("continue").click()

    # play the video to the end: heartbeats credit the lesson
    video = page.get_by_test_id("video")
    expect(video).to_be_visible()
    page.wait_for_function("document.querySelector('video').readyState >= 1", timeout=10_000)
    assert page.evaluate("document.querySelector('video').duration") == pytest.approx(4.0, abs=0.2)
    page.evaluate("(() => { const v = document.querySelector('video'); v.muted = true; return v.play(); })()")
    page.wait_for_function("document.querySelector('video').ended", timeout=20_000)
    status = page.get_by_test_id("lesson-status")
    expect(status.locator("[data-credited-label]")).to_be_visible(timeout=10_000)
    expect(page.locator("[data-watched]")).to_have_text(re.compile(r"^(9\d|100)$"))

    # the text lesson: reading time, then the gate
    page.get_by_test_id("next-lesson").click()
    gate = page.get_by_test_id("gate")
    expect(gate).to_contain_text("婴幼儿午睡时")
    assert "correct" not in page.content().lower().replace("correct answers", "")
    gate.get_by_label("午睡时不需要巡视").check()  # wrong first
    gate.get_by_label("测量体温并通知家长").check()
    gate.get_by_role("button").click()
    expect(gate.locator("[data-result]")).to_contain_text("1 / 2")
    gate.get_by_label("每15分钟巡视一次").check()
    gate.get_by_role("button").click()
    expect(gate.locator("[data-gate-passed]")).to_be_visible()
    expect(page.get_by_test_id("lesson-course-completed")).to_be_visible(timeout=15_000)

    # the course page says so too
    page.get_by_test_id("course-link").click()
    expect(page.get_by_test_id("course-completed")).to_be_visible()
    assert CourseCompletion.objects.filter(course=short_course, person__user=caregiver).count() == 1
    assert sum(e.hours for e in HoursEntry.objects.filter(person__user=caregiver)) == Decimal("2.0")
    assert page.viewport_size == {"width": 390, "height": 844}
