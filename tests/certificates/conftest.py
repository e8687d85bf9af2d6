"""Shared fixtures of the certificates tests (used by the admin tests: cert_world, login, english).

``cert_world`` is ``registry_world`` (tests/conftest.py) plus, on each side of the county line, a certificate
of the side's person issued by the side's provider, and a course completion of that person in a course of that
provider that has no certificate yet.
"""

from __future__ import annotations

import pytest
from django.utils.translation import override

from .factories import issue_certificate, make_completion, make_course


@pytest.fixture
def english():
    with override("en"):
        yield


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def cert_world(registry_world):
    w = registry_world
    for side, title in ((w.a, "回应性照护甲"), (w.b, "回应性照护乙")):
        side.certificate = issue_certificate(holder=side.person, provider=side.provider)
        side.course = make_course(provider=side.provider, title=title)
        side.completion = make_completion(person=side.person, course=side.course)
    return w
