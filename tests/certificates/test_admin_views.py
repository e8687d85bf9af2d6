"""The certificate listing, inspect page and status actions of the admin over HTTP (see test_admin_matrix for
who may open what)."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse
from wagtail.models import ModelLogEntry

from certificates import selectors, statuslist
from certificates.models import Certificate
from certificates.services import certificate_suspend

from .factories import issue_certificate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

INDEX = reverse("certificate_admin:index")


def url(name: str, certificate: Certificate) -> str:
    return reverse(f"certificate_admin:{name}", args=[certificate.pk])


def bit(certificate: Certificate, purpose: str) -> bool:
    list_no, index = divmod(certificate.status_index, statuslist.LIST_SIZE)
    return statuslist.is_set(selectors.status_bits(list_no, purpose), index)


def api_status(client, certificate: Certificate) -> str:
    return client.get(f"/api/v1/certificates/verify/{certificate.payload}").json()["status"]


def denied(response) -> bool:
    """Wagtail answers PermissionDenied in the admin with a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


# --- listing ---------------------------------------------------------------------------------------------------


def listed(client, **params) -> set[str]:
    response = client.get(INDEX, params)
    assert response.status_code == 200
    return {c.number for c in response.context["object_list"]}


def test_search_by_number_name_and_id_number(cert_world, login):
    w = cert_world
    client = login(w.users["platform_admin"])
    a, b = w.a.certificate, w.b.certificate
    assert listed(client, q=a.number[-6:].lower()) >= {a.number}
    assert b.number not in listed(client, q=a.number)
    assert listed(client, q=w.a.person.name) == {a.number}
    assert listed(client, q=w.b.person.id_number) == {b.number}  # through the keyed hash
    assert listed(client, q=w.a.person.id_number.lower()) == {a.number}


def test_search_stays_in_scope(cert_world, login):
    w = cert_world
    client = login(w.users["health_officer"])
    assert listed(client, q=w.b.certificate.number) == set()
    assert listed(client, q=w.b.person.id_number) == set()
    assert listed(client) == {w.a.certificate.number}


def test_filters(cert_world, login):
    w = cert_world
    client = login(w.users["platform_admin"])
    a, b = w.a.certificate, w.b.certificate
    certificate_suspend(certificate=b, reason="fraud", note="查", actor=None)
    skill = issue_certificate(holder=w.a.person, type_code="skill")
    assert listed(client, status="suspended") == {b.number}
    assert listed(client, status="valid") == {a.number, skill.number}
    assert listed(client, type=skill.type_id) == {skill.number}
    assert listed(client, provider=w.a.provider.pk) == {a.number}
    assert listed(client, issued_year=a.issued_on.year) == {a.number, b.number, skill.number}
    assert listed(client, issued_year=a.issued_on.year - 1) == set()


def test_listing_shows_masked_names_only(cert_world, login):
    w = cert_world
    for role in ("platform_admin", "hr_officer", "provider_staff"):
        html = login(w.users[role]).get(INDEX).content.decode()
        assert w.a.certificate.snapshot["holder_name"] in html
        assert w.a.person.name not in html
        assert w.a.person.id_number not in html


def test_zip_column_only_for_downloaders(cert_world, login):
    w = cert_world
    assert 'data-testid="zip-select"' in login(w.users["provider_staff"]).get(INDEX).content.decode()
    assert 'data-testid="zip-select"' not in login(w.users["health_officer"]).get(INDEX).content.decode()


def test_no_create_edit_or_delete_views(cert_world, login):
    client = login(cert_world.users["platform_admin"])
    for name in ("add", "edit", "delete", "usage"):
        with pytest.raises(NoReverseMatch):
            reverse(f"certificate_admin:{name}", args=[] if name == "add" else [1])
    pk = cert_world.a.certificate.pk
    for path in ("new/", f"edit/{pk}/", f"delete/{pk}/"):
        assert client.get(f"/admin/certificates/{path}").status_code == 404


# --- inspect ---------------------------------------------------------------------------------------------------


def test_inspect_shows_the_masked_snapshot(cert_world, login):
    w = cert_world
    certificate = w.a.certificate
    response = login(w.users["inspector"]).get(url("inspect", certificate))
    html = response.content.decode()
    snapshot = certificate.snapshot
    for value in (snapshot["holder_name"], snapshot["id_number_masked"], snapshot["issuer"], snapshot["course_title"]):
        assert value in html
    assert w.a.person.name not in html
    assert w.a.person.id_number not in html
    assert [e["reason"] for e in response.context["log_entries"]] == [""]  # the issue, in the audit history
    assert 'data-testid="action-revoke"' not in html  # inspectors do not manage


def test_inspect_shows_full_data_to_roles_that_need_it(cert_world, login):
    w = cert_world
    html = login(w.users["hr_officer"]).get(url("inspect", w.a.certificate)).content.decode()
    assert w.a.person.name in html and w.a.person.id_number in html
    assert 'data-testid="action-revoke"' in html and 'data-testid="action-suspend"' in html


def test_inspect_counts_verifications(cert_world, login, client):
    w = cert_world
    certificate = w.a.certificate
    for _ in range(2):
        assert api_status(client, certificate) == "valid"
    response = login(w.users["health_officer"]).get(url("inspect", certificate))
    assert response.context["verification_count"] == 2
    assert 'data-testid="verification-count">2<' in response.content.decode()


def test_history_view_is_scoped(cert_world, login):
    w = cert_world
    client = login(w.users["inspector"])
    assert client.get(url("history", w.a.certificate)).status_code == 200
    assert client.get(url("history", w.b.certificate)).status_code == 404


# --- status actions --------------------------------------------------------------------------------------------


def test_revoke_flips_the_status_list_and_the_verify_api(cert_world, login, client, django_capture_on_commit_callbacks):
    w = cert_world
    certificate = w.a.certificate
    assert not bit(certificate, "revocation")  # the (cached) list is computed before
    officer = w.users["health_officer"]
    with django_capture_on_commit_callbacks(execute=True):
        response = login(officer).post(
            url("revoke", certificate), {"reason": "fraud", "note": "伪造培训记录", "confirm": "on"}, follow=True
        )
    assert response.redirect_chain[-1][0] == url("inspect", certificate)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revocation_reason == "fraud" and certificate.revocation_note == "伪造培训记录"
    assert bit(certificate, "revocation")
    client.logout()
    assert api_status(client, certificate) == "revoked"
    entry = ModelLogEntry.objects.get(action="certificates.certificate.revoke", object_id=str(certificate.pk))
    assert entry.user == officer and entry.data["reason"] == "fraud"


def test_revoke_needs_a_confirmation_and_a_note(cert_world, login):
    w = cert_world
    client = login(w.users["platform_admin"])
    response = client.post(url("revoke", w.a.certificate), {"reason": "fraud", "note": "x"})
    assert response.status_code == 400 and "confirm" in response.context["form"].errors
    response = client.post(url("revoke", w.a.certificate), {"reason": "bogus", "note": "", "confirm": "on"})
    assert set(response.context["form"].errors) == {"reason", "note"}
    w.a.certificate.refresh_from_db()
    assert w.a.certificate.status == Certificate.Status.VALID


def test_suspend_and_reinstate(cert_world, login, client, django_capture_on_commit_callbacks):
    w = cert_world
    certificate = w.a.certificate
    admin = login(w.users["hr_officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url("suspend", certificate), {"reason": "fraud", "note": "调查中"})
    assert response.status_code == 302
    assert bit(certificate, "suspension")
    assert api_status(client, certificate) == "suspended"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url("reinstate", certificate), {"note": "调查结束"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    assert not bit(certificate, "suspension")
    assert api_status(client, certificate) == "valid"
    actions = set(ModelLogEntry.objects.filter(object_id=str(certificate.pk)).values_list("action", flat=True))
    assert {"certificates.certificate.suspend", "certificates.certificate.reinstate"} <= actions


def test_actions_that_do_not_apply_are_refused(cert_world, login):
    w = cert_world
    client = login(w.users["platform_admin"])
    response = client.get(url("reinstate", w.a.certificate))
    assert response.status_code == 200 and 'data-testid="not-applicable"' in response.content.decode()
    response = client.post(url("reinstate", w.a.certificate), {"note": "x"})
    assert response.status_code == 400
    client.post(url("revoke", w.a.certificate), {"reason": "error", "note": "错发", "confirm": "on"})
    response = client.post(url("suspend", w.a.certificate), {"reason": "fraud", "note": "x"})
    assert response.status_code == 400
    w.a.certificate.refresh_from_db()
    assert w.a.certificate.status == Certificate.Status.REVOKED


@pytest.mark.parametrize("role", ["inspector", "institution_admin", "provider_staff"])
def test_posts_by_users_who_may_not_manage_change_nothing(cert_world, login, role):
    w = cert_world
    client = login(w.users[role])
    assert denied(client.post(url("revoke", w.a.certificate), {"reason": "fraud", "note": "x", "confirm": "on"}))
    assert denied(client.post(url("suspend", w.a.certificate), {"reason": "fraud", "note": "x"}))
    w.a.certificate.refresh_from_db()
    assert w.a.certificate.status == Certificate.Status.VALID


def test_out_of_scope_posts_are_not_found(cert_world, login):
    w = cert_world
    client = login(w.users["health_officer"])
    response = client.post(url("revoke", w.b.certificate), {"reason": "fraud", "note": "x", "confirm": "on"})
    assert response.status_code == 404
    assert client.post(url("suspend", w.b.certificate), {"reason": "fraud", "note": "x"}).status_code == 404
    w.b.certificate.refresh_from_db()
    assert w.b.certificate.status == Certificate.Status.VALID


def test_site_history_links_certificates_to_their_inspect_page(cert_world, login):
    response = login(cert_world.users["platform_admin"]).get(reverse("wagtailadmin_reports:site_history"))
    assert response.status_code == 200
    assert url("inspect", cert_world.a.certificate) in response.content.decode()
