"""Admin: provider staff schedule sessions only for their own courses; attendance corrections."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry

from lms.learning.models import Attendance, ClassSession, HoursEntry
from lms.registry.models import Role
from tests import factories as f

from .classroom_world import START, make_classroom, make_session
from .conftest import build_course

pytestmark = pytest.mark.django_db

BASE = "/admin/learning/class-sessions/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def two_providers():
    mine = make_classroom()
    theirs = make_classroom()
    return mine, theirs


def test_provider_staff_list_only_their_own_sessions(two_providers):
    mine, theirs = two_providers
    html = client_for(mine.instructor).get(BASE).content.decode()
    assert f"{BASE}edit/{mine.session.pk}/" in html
    assert f"{BASE}edit/{theirs.session.pk}/" not in html
    assert f"/learn/class/{mine.session.pk}/qr/" in html
    all_html = client_for(f.UserFactory(is_superuser=True)).get(BASE).content.decode()
    assert f"{BASE}edit/{theirs.session.pk}/" in all_html


def test_other_providers_session_is_not_found(two_providers):
    mine, theirs = two_providers
    client = client_for(mine.instructor)
    for view in ("edit", "inspect"):
        assert client.get(f"{BASE}{view}/{theirs.session.pk}/").status_code == 404
    assert client.get(f"/admin/learning/class-sessions/{theirs.session.pk}/attendance/").status_code == 404
    assert client.get(f"{BASE}delete/{mine.session.pk}/").status_code in (403, 302)


def test_learner_has_no_admin(two_providers):
    mine, _ = two_providers
    response = client_for(mine.learner_user).get(BASE)
    assert response.status_code in (302, 403)


def test_add_form_offers_only_own_courses_and_creates_a_session(two_providers):
    mine, theirs = two_providers
    client = client_for(mine.instructor)
    form = client.get(f"{BASE}new/").content.decode()
    assert f'value="{mine.course.pk}"' in form and f'value="{theirs.course.pk}"' not in form
    data = {
        "course": mine.course.pk,
        "title": "心肺复苏实操",
        "place": "培训中心 201",
        "starts_at": "2025-04-01 09:00",
        "ends_at": "2025-04-01 12:00",
        "capacity": 20,
        "instructor": mine.instructor.pk,
        "hours": "3.0",
    }
    refused = client.post(f"{BASE}new/", {**data, "course": theirs.course.pk})
    assert refused.status_code == 200 and not ClassSession.objects.filter(title="心肺复苏实操").exists()
    response = client.post(f"{BASE}new/", data)
    assert response.status_code == 302
    session = ClassSession.objects.get(title="心肺复苏实操")
    assert session.course == mine.course and session.secret


def test_inspect_links_to_the_qr_page(two_providers):
    mine, _ = two_providers
    html = client_for(mine.instructor).get(f"{BASE}inspect/{mine.session.pk}/").content.decode()
    assert f"/learn/class/{mine.session.pk}/qr/" in html


def test_correction_form_requires_a_reason_and_credits(two_providers):
    mine, _ = two_providers
    client = client_for(mine.instructor)
    url = f"/admin/learning/class-sessions/{mine.session.pk}/attendance/"
    page = client.get(url)
    assert page.status_code == 200
    data = {"person": mine.learner.pk, "checked_in_at": "2025-03-10 09:05", "checked_out_at": "", "reason": ""}
    assert client.post(url, data).status_code == 200  # reason missing: the form again
    assert not Attendance.objects.exists()
    response = client.post(url, {**data, "reason": "学员手机无法扫码"})
    assert response.status_code == 302
    attendance = Attendance.objects.get()
    assert attendance.correction_reason == "学员手机无法扫码" and attendance.corrected_by == mine.instructor
    assert HoursEntry.objects.filter(key=f"class:{attendance.pk}").exists()
    assert ModelLogEntry.objects.filter(action="learning.attendance.correct").count() == 1
    listing = client.get(url).content.decode()
    assert "学员手机无法扫码" in listing and mine.learner.name not in listing


def test_the_instructor_outside_the_provider_may_run_their_session(two_providers):
    mine, _ = two_providers
    guest = f.UserFactory()
    session = make_session(mine.course, guest, starts_at=START)
    assert client_for(guest).get(f"/learn/class/{session.pk}/qr/").status_code == 200


def test_sessions_of_a_course_under_another_provider_section_are_not_editable():
    provider = f.TrainingProviderFactory()
    staff = f.RoleGrantFactory(role=Role.PROVIDER_STAFF, region=None, provider=provider).user
    other_course = build_course()
    session = make_session(other_course, f.UserFactory(), starts_at=timezone.now() + timedelta(days=1))
    assert client_for(staff).get(f"{BASE}edit/{session.pk}/").status_code == 404
