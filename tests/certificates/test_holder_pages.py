"""The holder's "my certificates" page: own certificates only, every status with its dates, QR, renewal hours."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from certificates import qr
from certificates.services import certificate_revoke, certificate_suspend, certificate_verify_url
from tests import factories as f

from .factories import credit_in_service_hours, in_service_requirement, issue_certificate

pytestmark = pytest.mark.django_db

URL = "/certificates/my/"


@pytest.fixture
def holder():
    """A caregiver on duty whose person record is linked to a login."""
    employment = f.EmploymentFactory(person=f.PersonFactory(name="张丽华"), start_date=dt.date(2020, 1, 1))
    employment.person.user = f.UserFactory(username="zhang-lihua")
    employment.person.save()
    return employment.person


def cards(response) -> dict[str, str]:
    """number -> data-status of every certificate card on the page."""
    html = response.content.decode()
    return dict(re.findall(r'data-testid="certificate-card" data-number="(\w+)" data-status="(\w+)"', html))


def test_login_required(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_url_names():
    assert reverse("certificates_holder:my_certificates") == URL
    assert reverse("certificates_holder:pdf", args=["PX00002026000001"]) == "/certificates/PX00002026000001/pdf"


def test_lists_only_own_certificates(client, holder):
    mine = issue_certificate(holder=holder)
    other = issue_certificate(holder=f.PersonFactory(name="王小明"))
    client.force_login(holder.user)
    response = client.get(URL)
    assert response.status_code == 200
    assert cards(response) == {mine.number: "valid"}
    assert other.number not in response.content.decode()
    assert response["Cache-Control"] == "no-store, private"


def test_shows_the_qr_of_the_verify_url_and_the_verify_link(client, holder):
    certificate = issue_certificate(holder=holder, course_title="婴幼儿回应性照护")
    client.force_login(holder.user)
    html = client.get(URL).content.decode()
    url = certificate_verify_url(certificate)
    assert qr.qr_svg(url, scale=3) in html
    assert f'href="/V/{certificate.payload}"' in html
    assert "婴幼儿回应性照护" in html and certificate.number in html
    assert f'href="/certificates/{certificate.number}/pdf"' in html
    assert f'href="/certificates/{certificate.number}/badge.json"' in html


def test_every_status_with_its_dates(client, holder, today):
    valid = issue_certificate(holder=holder, type_code="skill")
    expired = issue_certificate(holder=holder, issued_on=dt.date(today.year - 3, 5, 1))
    revoked = issue_certificate(holder=holder)
    suspended = issue_certificate(holder=holder)
    certificate_revoke(certificate=revoked, reason="fraud", note="伪造签到")
    certificate_suspend(certificate=suspended, reason="error")
    client.force_login(holder.user)
    response = client.get(URL)
    html = response.content.decode()
    assert cards(response) == {
        valid.number: "valid",
        expired.number: "expired",
        revoked.number: "revoked",
        suspended.number: "suspended",
    }
    assert f'data-testid="revoked-on">{today:%Y-%m-%d}<' in html
    assert f'data-testid="revocation-reason">{gettext("Fraud")}<' in html
    assert f'data-testid="suspended-on">{today:%Y-%m-%d}<' in html
    assert expired.expires_on.isoformat() in html
    # a revoked certificate: no QR, no download, no export
    card = html.split(f'data-number="{revoked.number}"')[1].split("</section>")[0]
    assert "<svg" not in card and "/pdf" not in card and "badge.j" not in card
    card = html.split(f'data-number="{suspended.number}"')[1].split("</section>")[0]
    assert "/pdf" not in card
    card = html.split(f'data-number="{expired.number}"')[1].split("</section>")[0]
    assert "/pdf" in card  # the holder keeps the document of an expired certificate


def test_in_service_certificates_show_this_years_hours(client, holder, today):
    in_service_requirement(hours="24.0")
    credit_in_service_hours(holder, year=today.year, hours="10.0")
    issue_certificate(holder=holder)  # training: valid while the in-service hours are met
    client.force_login(holder.user)
    html = client.get(URL).content.decode()
    assert 'data-testid="renewal"' in html
    assert re.search(r'data-testid="renewal-hours">10\.0 / 24\.0<', html)


def test_no_renewal_block_for_certificates_that_do_not_expire(client, holder):
    issue_certificate(holder=holder, type_code="skill")
    client.force_login(holder.user)
    assert 'data-testid="renewal"' not in client.get(URL).content.decode()


def test_user_without_a_person_record(client):
    client.force_login(f.UserFactory())
    response = client.get(URL)
    assert response.status_code == 200 and cards(response) == {}


def test_home_page_and_navigation_link_to_my_certificates(client, holder):
    issue_certificate(holder=holder)
    issue_certificate(holder=holder, issued_on=dt.date(2020, 5, 1))  # expired
    client.force_login(holder.user)
    html = client.get("/me/").content.decode()
    assert 'data-testid="certificates-card"' in html
    assert (
        ngettext("%(n)s valid certificate (of %(total)s)", "%(n)s valid certificates (of %(total)s)", 1)
        % {
            "n": 1,
            "total": 2,
        }
        in html
    )
    assert html.count(f'href="{URL}"') == 2  # navigation and the card
