"""Signing keys and certificate types in the admin: platform admins only, and no key material on any page."""

from __future__ import annotations

import base64

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from certificates.models import CertificateType, SigningKey
from certificates.services import key_rotate

from .factories import certificate_type, issue_certificate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

KEYS = reverse("certificate_keys:index")
ROTATE = reverse("certificate_keys:rotate")


def withdraw_url(key: SigningKey) -> str:
    return reverse("certificate_keys:withdraw", args=[key.kid])


def denied(response) -> bool:
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def key_forms(key: SigningKey) -> list[bytes]:
    """Every way the sealed private key could leak into a page."""
    sealed = bytes(SigningKey.objects.get(pk=key.pk).sealed_private_key)
    return [
        sealed,
        sealed.hex().encode(),
        sealed.hex().upper().encode(),
        base64.b64encode(sealed),
        base64.urlsafe_b64encode(sealed).rstrip(b"="),
        sealed[8:40],  # any long run of it
    ]


def test_key_page_lists_keys_without_key_material(cert_world, login):
    old = SigningKey.objects.get()  # created by the first issuance
    new = key_rotate()
    client = login(cert_world.users["platform_admin"])
    response = client.get(KEYS)
    assert response.status_code == 200
    html = response.content
    for key in (old, new):
        assert key.kid.encode() in html
        for form in key_forms(key):
            assert form not in html
    assert f'data-kid="{new.kid}" data-status="active"'.encode() in html
    assert f'data-kid="{old.kid}" data-status="rotated"'.encode() in html
    assert all("sealed_private_key" in k.get_deferred_fields() for k in response.context["keys"])
    for page in (ROTATE, withdraw_url(new)):
        body = client.get(page).content
        assert all(form not in body for form in key_forms(new))


def test_rotate_needs_a_confirmation(cert_world, login):
    old = SigningKey.objects.get()
    client = login(cert_world.users["platform_admin"])
    response = client.post(ROTATE, {})
    assert response.status_code == 200 and "confirm" in response.context["form"].errors
    assert SigningKey.objects.count() == 1
    response = client.post(ROTATE, {"confirm": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == KEYS
    old.refresh_from_db()
    new = SigningKey.objects.get(status=SigningKey.Status.ACTIVE)
    assert old.status == SigningKey.Status.ROTATED and new != old
    assert new.kid in response.content.decode()
    entry = ModelLogEntry.objects.get(action="certificates.key.create", object_id=str(new.pk))
    assert entry.user == cert_world.users["platform_admin"]
    # new certificates are signed with the new key, the old ones still verify
    assert issue_certificate().signing_key == new
    assert client.get(f"/api/v1/certificates/verify/{cert_world.a.certificate.payload}").json()["status"] == "valid"


def test_withdraw_makes_the_keys_certificates_invalid(cert_world, login, django_capture_on_commit_callbacks):
    key = SigningKey.objects.get()
    client = login(cert_world.users["platform_admin"])
    response = client.post(withdraw_url(key), {"note": "泄露"})
    assert "confirm" in response.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(withdraw_url(key), {"note": "疑似泄露", "confirm": "on"})
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.status == SigningKey.Status.WITHDRAWN
    entry = ModelLogEntry.objects.get(action="certificates.key.withdraw", object_id=str(key.pk))
    assert entry.data["note"] == "疑似泄露"
    assert client.get(f"/api/v1/certificates/verify/{cert_world.a.certificate.payload}").json()["status"] == "invalid"
    assert f'href="{withdraw_url(key)}"' not in client.get(KEYS).content.decode()
    again = client.post(withdraw_url(key), {"note": "x", "confirm": "on"})
    assert again.status_code == 200 and again.context["form"].non_field_errors()


def test_unknown_key_is_not_found(cert_world, login):
    client = login(cert_world.users["platform_admin"])
    assert client.get(reverse("certificate_keys:withdraw", args=["AAAAAAAAAAA"])).status_code == 404


@pytest.mark.parametrize("role", ["health_officer", "hr_officer", "inspector", "institution_admin", "provider_staff"])
def test_only_platform_admins_touch_keys(cert_world, login, role):
    key = SigningKey.objects.get()
    client = login(cert_world.users[role])
    assert denied(client.get(KEYS))
    assert denied(client.post(ROTATE, {"confirm": "on"}))
    assert denied(client.post(withdraw_url(key), {"note": "x", "confirm": "on"}))
    assert SigningKey.objects.get().status == SigningKey.Status.ACTIVE
    assert reverse("certificate_keys:index") not in client.get("/admin/").content.decode()


def test_menu_shows_keys_and_types_to_platform_admins(cert_world, login):
    html = login(cert_world.users["platform_admin"]).get("/admin/").content.decode()
    for name in ("certificate_keys:index", "certificate_types:index", "certificate_admin:index"):
        assert reverse(name) in html


# --- certificate types ---------------------------------------------------------------------------------------------


def type_data(type_: CertificateType, **changes) -> dict:
    data = {
        "name": type_.name,
        "number_prefix": type_.number_prefix,
        "validity": type_.validity,
        "validity_years": type_.validity_years or "",
        "layout": type_.layout,
        "active": "on" if type_.active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_platform_admins_edit_types(registry_world, login):
    training = certificate_type("training")
    client = login(registry_world.users["platform_admin"])
    assert client.get(reverse("certificate_types:index")).status_code == 200
    edit = reverse("certificate_types:edit", args=[training.pk])
    response = client.post(
        edit, type_data(training, name="培训证书", number_prefix="pz", validity="years", validity_years=3)
    )
    assert response.status_code == 302
    training.refresh_from_db()
    assert (training.name, training.number_prefix, training.validity, training.validity_years) == (
        "培训证书",
        "PZ",
        "years",
        3,
    )
    assert ModelLogEntry.objects.filter(object_id=str(training.pk), action="wagtail.edit").exists()


def test_type_form_validates(registry_world, login):
    training = certificate_type("training")
    client = login(registry_world.users["platform_admin"])
    edit = reverse("certificate_types:edit", args=[training.pk])
    response = client.post(edit, type_data(training, validity="years", validity_years=""))
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(edit, type_data(training, number_prefix="P"))
    assert "number_prefix" in response.context["form"].errors
    training.refresh_from_db()
    assert training.number_prefix == "PX"


def test_types_are_never_deleted(registry_world, login):
    training = certificate_type("training")
    client = login(registry_world.users["platform_admin"])
    assert denied(client.post(reverse("certificate_types:delete", args=[training.pk])))
    assert CertificateType.objects.filter(pk=training.pk).exists()


def test_only_platform_admins_edit_types(registry_world, login):
    training = certificate_type("training")
    for role in ("health_officer", "hr_officer", "provider_staff"):
        client = login(registry_world.users[role])
        assert denied(client.get(reverse("certificate_types:index")))
        assert denied(client.post(reverse("certificate_types:edit", args=[training.pk]), type_data(training, name="x")))
    training.refresh_from_db()
    assert training.name != "x"
