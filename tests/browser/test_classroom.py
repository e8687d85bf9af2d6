"""A caregiver checks in to a classroom session on a phone by opening the URL of the instructor's QR code."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def class_session(caregiver):
    """A session running now, of a course the caregiver is enrolled in, taught by the provider's staff."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from lms.learning import services
    from lms.learning.models import ClassSession
    from lms.registry import services as registry_services
    from lms.registry.models import Region, Role, TrainingProvider
    from tests.factories import make_credit_code
    from tests.lms.learning.conftest import build_course

    provider = TrainingProvider.objects.create(
        name="曲靖市职业培训学校",
        kind=TrainingProvider.Kind.TRAINING,
        body_code="P530",
        credit_code=make_credit_code("530302", serial=87654321),
        region=Region.objects.get(code="530302"),
    )
    course = build_course(provider=provider, title="婴幼儿急救在职培训")
    services.enroll(person=caregiver.person, course=course)
    instructor = get_user_model().objects.create_user("wang-laoshi", password=PASSWORD)
    registry_services.role_grant(user=instructor, role=Role.PROVIDER_STAFF, provider=provider)
    now = timezone.now()
    session = ClassSession.objects.create(
        course=course,
        title="婴幼儿心肺复苏实操",
        place="曲靖市托育培训中心 3 楼",
        starts_at=now - timedelta(minutes=15),
        ends_at=now + timedelta(hours=2),
        capacity=40,
        instructor=instructor,
        hours=Decimal("3.0"),
    )
    return session, instructor


def _log_in(page: Page, username: str) -> None:
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_test_id("login-submit").click()


@pytest.mark.browser_context_args(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
def test_caregiver_checks_in_by_opening_the_qr_url(page: Page, browser: Browser, live_server, caregiver, class_session):
    from lms.learning.choices import HoursSource
    from lms.learning.models import Attendance, HoursEntry

    session, instructor = class_session

    # the instructor's screen, in its own browser
    screen = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    projector = screen.new_page()
    projector.goto(f"{live_server.url}/learn/class/{session.pk}/qr/")
    _log_in(projector, instructor.username)
    qr = projector.get_by_test_id("qr")
    expect(qr.locator("svg")).to_be_visible()
    expect(projector.get_by_test_id("count-in")).to_have_text("0")
    checkin_url = qr.get_attribute("data-checkin-url")
    assert re.fullmatch(rf"{re.escape(live_server.url)}/learn/class/{session.pk}/in/[0-9a-f]+\.[\w-]+/", checkin_url)

    # the caregiver's phone opens the scanned URL: log in first, then back to the check-in page
    page.goto(checkin_url)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    _log_in(page, caregiver.username)
    expect(page).to_have_url(checkin_url)
    result = page.get_by_test_id("checkin-result")
    expect(result).to_have_attribute("data-outcome", "confirm")
    assert not Attendance.objects.exists()  # opening the link alone changes nothing
    page.get_by_test_id("confirm").tap()

    expect(result).to_have_attribute("data-outcome", "checked_in")
    # "签到成功" once the zh_Hans catalogue has the msgid; English until the translator adds it
    expect(page.get_by_test_id("headline")).to_have_text(re.compile("签到成功|Check-in successful"))
    box = page.get_by_test_id("confirm").or_(page.get_by_test_id("headline")).bounding_box()
    assert box and box["width"] <= 390

    entry = HoursEntry.objects.get(person=caregiver.person)
    assert (entry.hours, entry.source, entry.course_id) == (Decimal("3.0"), HoursSource.CLASSROOM, session.course_id)

    # scanning again is harmless; the instructor's screen counts the caregiver once
    page.goto(checkin_url)
    expect(result).to_have_attribute("data-outcome", "already")
    projector.reload()
    expect(projector.get_by_test_id("count-in")).to_have_text("1")
    expect(projector.get_by_test_id("attendance")).to_contain_text("李*梅")
    assert HoursEntry.objects.filter(person=caregiver.person).count() == 1
    screen.close()


def test_instructor_screen_refreshes_the_code_and_roll_by_itself(
    page: Page, browser: Browser, live_server, caregiver, class_session
):
    """The QR page's script fetches a fresh code every 30 s and updates the count and roll without a reload."""
    from lms.learning import services

    session, instructor = class_session
    screen = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    projector = screen.new_page()
    projector.clock.install()  # the page's timers run on a fake clock the test moves
    projector.goto(f"{live_server.url}/learn/class/{session.pk}/qr/")
    _log_in(projector, instructor.username)
    qr = projector.get_by_test_id("qr")
    expect(qr.locator("svg")).to_be_visible()
    projector.evaluate("document.querySelector('#qr svg').setAttribute('data-first', '')")
    first_url = qr.get_attribute("data-checkin-url")

    # a learner scans the code meanwhile
    token = first_url.rstrip("/").rsplit("/", 1)[1]
    services.attendance_check_in(session=session, person=caregiver.person, token=token)
    expect(projector.get_by_test_id("count-in")).to_have_text("0")

    projector.clock.run_for(31_000)  # the code's 30-s window is over
    expect(qr.locator("svg[data-first]")).to_have_count(0)  # a new code was drawn
    expect(qr.locator("svg")).to_be_visible()
    expect(projector.get_by_test_id("count-in")).to_have_text("1")
    expect(projector.get_by_test_id("attendance")).to_contain_text("李*梅")
    pattern = rf"{re.escape(live_server.url)}/learn/class/{session.pk}/in/[0-9a-f]+\.[\w-]+/"
    assert re.fullmatch(pattern, qr.get_attribute("data-checkin-url"))

    # and it keeps going: the next refresh is scheduled from the server's answer
    projector.evaluate("document.querySelector('#qr svg').setAttribute('data-second', '')")
    projector.clock.run_for(31_000)
    expect(qr.locator("svg[data-second]")).to_have_count(0)
    screen.close()
