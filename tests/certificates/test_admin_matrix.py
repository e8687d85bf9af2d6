"""The certificates back office as one table: every role × every admin page × inside and outside its scope.

Every scoped user's scope is county A of ``registry_world`` (tests/conftest.py); side B is outside. Each side
has a certificate (its person, issued by its provider) and a course completion without a certificate
(``cert_world``). Outcomes:

* ``ok`` — the page answers 200 (for "listing" and "bulk": and the side's row is listed);
* ``hidden`` — the page answers 200 but the side's row is not listed;
* ``404`` — not found (the row is out of scope); ``403`` — the user may not use this page at all;
* ``login`` — no admin access (sent to the login page).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PAGES = ("listing", "inspect", "revoke", "suspend", "reinstate", "bulk", "zip", "keys")

# fmt: off
INSIDE = {
    #                     listing   inspect  revoke  suspend  reinstate  bulk     zip     keys
    "platform_admin":    ("ok",     "ok",    "ok",   "ok",    "ok",      "ok",    "ok",   "ok"),
    "health_officer":    ("ok",     "ok",    "ok",   "ok",    "ok",      "ok",    "403",  "403"),
    "hr_officer":        ("ok",     "ok",    "ok",   "ok",    "ok",      "ok",    "403",  "403"),
    "inspector":         ("ok",     "ok",    "403",  "403",   "403",     "403",   "403",  "403"),
    "institution_admin": ("ok",     "ok",    "403",  "403",   "403",     "403",   "403",  "403"),
    "provider_staff":    ("ok",     "ok",    "403",  "403",   "403",     "ok",    "ok",   "403"),
    "caregiver":         ("login",) * 8,
}
OUTSIDE = {
    "platform_admin":    ("ok",     "ok",    "ok",   "ok",    "ok",      "ok",    "ok",   "ok"),
    "health_officer":    ("hidden", "404",   "404",  "404",   "404",     "hidden", "403", "403"),
    "hr_officer":        ("hidden", "404",   "404",  "404",   "404",     "hidden", "403", "403"),
    "inspector":         ("hidden", "404",   "404",  "404",   "404",     "403",   "403",  "403"),
    "institution_admin": ("hidden", "404",   "404",  "404",   "404",     "403",   "403",  "403"),
    "provider_staff":    ("hidden", "404",   "404",  "404",   "404",     "hidden", "404", "403"),
    "caregiver":         ("login",) * 8,
}
# fmt: on

CASES = [
    pytest.param(role, side, page, id=f"{role}-{side}-{page}")
    for role in INSIDE
    for side in ("a", "b")
    for page in PAGES
]


def request(client, page: str, side):
    """Make the page's request about ``side``; returns (response, whether the side's row is listed)."""
    certificate = side.certificate
    if page == "listing":
        response = client.get(reverse("certificate_admin:index"))
        return response, certificate.number in response.content.decode()
    if page == "bulk":
        response = client.get(reverse("certificate_issuance:index"))
        return response, side.course.title in response.content.decode()
    if page == "zip":
        return client.post(reverse("certificate_admin:zip"), {"id": [certificate.pk]}), True
    if page == "keys":
        return client.get(reverse("certificate_keys:index")), True
    name = {"inspect": "inspect", "revoke": "revoke", "suspend": "suspend", "reinstate": "reinstate"}[page]
    return client.get(reverse(f"certificate_admin:{name}", args=[certificate.pk])), True


def outcome(response, listed: bool) -> str:
    if response.status_code == 302 and "login" in response["Location"]:
        return "login"
    if response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home"):
        return "403"  # Wagtail answers PermissionDenied with "Sorry, you do not have permission" on the dashboard
    if response.status_code == 200:
        return "ok" if listed else "hidden"
    return str(response.status_code)


@pytest.mark.parametrize(("role", "side", "page"), CASES)
def test_matrix(cert_world, login, role, side, page):
    client = login(cert_world.users[role])
    response, listed = request(client, page, getattr(cert_world, side))
    expected = (INSIDE if side == "a" else OUTSIDE)[role][PAGES.index(page)]
    assert outcome(response, listed) == expected


def test_the_table_covers_every_role(registry_world):
    assert set(INSIDE) == set(OUTSIDE) == set(registry_world.users)


@pytest.mark.parametrize("page", ["listing", "inspect", "bulk", "keys"])
def test_anonymous_is_sent_to_login(client, cert_world, page):
    response, _listed = request(client, page, cert_world.a)
    assert outcome(response, False) == "login"
