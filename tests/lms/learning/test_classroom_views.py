"""HTTP: the instructor's QR page (who may open it) and the learner's scan → confirm → result pages."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from lms.learning.models import Attendance, HoursEntry
from lms.registry.models import Role
from tests import factories as f

from .classroom_world import make_classroom, token

pytestmark = pytest.mark.django_db


@pytest.fixture
def room():
    now = timezone.now()
    return make_classroom(starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(hours=2))


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def checkin_url(room, kind="in", tok=None):
    return f"/learn/class/{room.session.pk}/{kind}/{tok or token(room.session, timezone.now(), kind)}/"


def test_instructor_sees_a_qr_code_encoding_the_checkin_url(room):
    response = client_for(room.instructor).get(f"/learn/class/{room.session.pk}/qr/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and response["Cache-Control"].startswith("max-age=0")
    url = re.search(r'data-checkin-url="([^"]+)"', html).group(1)
    assert re.fullmatch(rf"http://testserver/learn/class/{room.session.pk}/in/[0-9a-f]+\.[\w-]{{16}}/", url)
    assert 'data-testid="count-in">0</span> / 30' in html
    assert "?kind=out" not in html  # no check-out code unless the session needs it
    assert client_for(room.instructor).get(f"/learn/class/{room.session.pk}/qr/?kind=out").status_code == 404


def test_qr_svg_endpoint_returns_the_current_code(room):
    response = client_for(room.instructor).get(f"/learn/class/{room.session.pk}/qr.svg?kind=in")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    assert f"/learn/class/{room.session.pk}/in/" in response["X-Checkin-Url"]


def test_provider_colleague_and_platform_admin_may_open_the_qr_page(room):
    colleague = f.RoleGrantFactory(role=Role.PROVIDER_STAFF, region=None, provider=room.provider).user
    admin = f.UserFactory(is_superuser=True)
    for user in (colleague, admin):
        assert client_for(user).get(f"/learn/class/{room.session.pk}/qr/").status_code == 200


def test_learners_and_other_providers_cannot_open_the_qr_page(room):
    other = f.RoleGrantFactory(role=Role.PROVIDER_STAFF, region=None, provider=f.TrainingProviderFactory()).user
    for user in (room.learner_user, other):
        client = client_for(user)
        assert client.get(f"/learn/class/{room.session.pk}/qr/").status_code == 403
        assert client.get(f"/learn/class/{room.session.pk}/qr.svg").status_code == 403
    anonymous = Client().get(f"/learn/class/{room.session.pk}/qr/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_scan_get_changes_nothing_and_post_checks_in(room, zh):
    client = client_for(room.learner_user)
    url = checkin_url(room)
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-outcome="confirm"' in page.content.decode() and 'data-testid="confirm"' in page.content.decode()
    assert not Attendance.objects.exists()

    done = client.post(url)
    assert 'data-outcome="checked_in"' in done.content.decode()
    assert HoursEntry.objects.get(person=room.learner).hours == Decimal("3.0")

    again = client.post(url)  # the same scan confirmed twice
    assert 'data-outcome="already"' in again.content.decode()
    assert client.get(url).content.decode().count('data-outcome="already"') == 1
    assert HoursEntry.objects.filter(person=room.learner).count() == 1


def test_post_needs_a_csrf_token(room):
    client = Client(enforce_csrf_checks=True)
    client.force_login(room.learner_user)
    assert client.post(checkin_url(room)).status_code == 403
    assert not Attendance.objects.exists()


def test_anonymous_scan_goes_to_login_and_back(room):
    url = checkin_url(room)
    response = Client().get(url)
    assert response.status_code == 302
    assert (
        response["Location"].startswith("/accounts/login/?next=")
        and f"class/{room.session.pk}/in/" in response["Location"]
    )


def test_expired_code_says_scan_again(room):
    old = token(room.session, timezone.now() - timedelta(minutes=2))
    client = client_for(room.learner_user)
    for response in (client.get(checkin_url(room, tok=old)), client.post(checkin_url(room, tok=old))):
        assert 'data-outcome="expired"' in response.content.decode()
    assert not Attendance.objects.exists()


def test_forged_code_and_not_enrolled(room):
    client = client_for(room.learner_user)
    assert 'data-outcome="invalid"' in client.get(checkin_url(room, tok="1.AAAAAAAAAAAAAAAA")).content.decode()
    stranger = f.UserFactory()
    f.PersonFactory(user=stranger)
    html = client_for(stranger).post(checkin_url(room)).content.decode()
    assert 'data-outcome="not_enrolled"' in html
    no_person = client_for(f.UserFactory()).get(checkin_url(room)).content.decode()
    assert 'data-outcome="no_person"' in no_person


def test_check_out_flow(room):
    room.session.requires_checkout = True
    room.session.save()
    client = client_for(room.learner_user)
    client.post(checkin_url(room))
    assert not HoursEntry.objects.exists()
    with mock.patch("django.utils.timezone.now", return_value=room.session.ends_at + timedelta(minutes=5)):
        qr = client_for(room.instructor).get(f"/learn/class/{room.session.pk}/qr/?kind=out").content.decode()
        out_url = re.search(r'data-checkin-url="([^"]+)"', qr).group(1)
        assert "/out/" in out_url
        html = client.post(out_url.replace("http://testserver", "")).content.decode()
    assert 'data-outcome="checked_out"' in html
    assert HoursEntry.objects.get(person=room.learner).hours == Decimal("3.0")


def test_attendance_list_on_the_qr_page_masks_names(room):
    client_for(room.learner_user).post(checkin_url(room))
    html = client_for(room.instructor).get(f"/learn/class/{room.session.pk}/qr/").content.decode()
    assert 'data-testid="count-in">1</span>' in html
    name = room.learner.name
    assert name not in html and (name[0] + "*") in html
