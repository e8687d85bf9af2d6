"""Bulk issuance in the admin, end to end with eager Celery: the completions page, "issue all", the batch
page and its progress JSON, errors, and running a batch again (after a failure; idempotent)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from certificates import selectors
from certificates.models import Certificate, IssuanceBatch
from lms.registry.services import person_ban
from tests import factories as f

from .factories import make_completion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

INDEX = reverse("certificate_issuance:index")


def progress(client, batch) -> dict:
    response = client.get(reverse("certificate_issuance:progress", args=[batch.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    return response.json()


def certified(completion) -> bool:
    key = selectors.completion_key(completion.pk)
    return Certificate.objects.filter(holder=completion.person, achievement_key=key).exists()


def issue_all(client, capture):
    with capture(execute=True):
        response = client.post(INDEX)
    assert response.status_code == 302
    return IssuanceBatch.objects.latest("pk"), response


def test_issue_all_end_to_end(cert_world, login, django_capture_on_commit_callbacks):
    w = cert_world
    client = login(w.users["provider_staff"])
    more = [make_completion(person=f.EmploymentFactory(institution=w.a.institution).person, course=w.a.course)]
    page = client.get(INDEX)
    assert page.context["total"] == 2
    assert page.context["to_issue"] == 2 and 'data-testid="issue-all"' in page.content.decode()

    batch, response = issue_all(client, django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("certificate_issuance:batch", args=[batch.pk])
    assert batch.created_by == w.users["provider_staff"]
    assert sorted(batch.item_ids) == sorted([w.a.completion.pk, more[0].pk])
    state = progress(client, batch)
    assert state["status_label"]  # in the admin's language
    assert state | {"errors": None, "status_label": None} == {
        "id": batch.pk,
        "status": "finished",
        "status_label": None,
        "total": 2,
        "done": 2,
        "issued": 2,
        "failed": 0,
        "percent": 100,
        "running": False,
        "errors": None,
    }
    assert certified(w.a.completion) and certified(more[0])
    assert not certified(w.b.completion)  # another provider's course
    html = client.get(response["Location"]).content.decode()
    assert "<progress" in html and 'data-progress-url="' in html and "batch.js" in html
    assert 'data-testid="batch-rerun"' not in html  # finished
    assert client.get(INDEX).context["total"] == 0


def test_running_again_adds_nothing(cert_world, login, django_capture_on_commit_callbacks):
    w = cert_world
    client = login(w.users["platform_admin"])
    batch, _response = issue_all(client, django_capture_on_commit_callbacks)
    assert batch.total == 2 and progress(client, batch)["issued"] == 2
    count = Certificate.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificate_issuance:rerun", args=[batch.pk]))
    assert response.status_code == 302
    assert Certificate.objects.count() == count
    state = progress(client, batch)
    assert (state["status"], state["done"], state["issued"], state["failed"]) == ("finished", 2, 2, 0)


def test_a_failed_batch_runs_again_to_the_end(cert_world, login, django_capture_on_commit_callbacks):
    w = cert_world
    client = login(w.users["hr_officer"])
    with django_capture_on_commit_callbacks(execute=False):  # the task is lost: its worker died
        client.post(INDEX)
    batch = IssuanceBatch.objects.get()
    IssuanceBatch.objects.filter(pk=batch.pk).update(status=IssuanceBatch.Status.FAILED)  # as the task leaves it
    state = progress(client, batch)
    assert (state["status"], state["done"], state["issued"], state["running"]) == ("failed", 0, 0, False)
    assert not certified(w.a.completion)
    html = client.get(reverse("certificate_issuance:batch", args=[batch.pk])).content.decode()
    assert 'data-testid="batch-rerun"' in html

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificate_issuance:rerun", args=[batch.pk]))
    state = progress(client, batch)
    assert (state["status"], state["done"], state["issued"], state["failed"]) == ("finished", 1, 1, 0)
    assert certified(w.a.completion)
    count = Certificate.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificate_issuance:rerun", args=[batch.pk]))
    assert Certificate.objects.count() == count


def test_errors_are_shown(cert_world, login, django_capture_on_commit_callbacks):
    w = cert_world
    person_ban(person=w.a.person, reason="虐待儿童", decided_on=dt.date(2026, 5, 1), decided_by="曲靖市卫生健康委")
    client = login(w.users["provider_staff"])
    batch, _response = issue_all(client, django_capture_on_commit_callbacks)
    state = progress(client, batch)
    assert (state["status"], state["issued"], state["failed"]) == ("finished", 0, 1)
    assert state["errors"][0]["item"] == w.a.completion.pk
    assert "终身禁入" in state["errors"][0]["error"]
    assert w.a.person.name not in state["errors"][0]["error"]  # masked
    html = client.get(reverse("certificate_issuance:batch", args=[batch.pk])).content.decode()
    assert state["errors"][0]["error"] in html


def test_nothing_to_issue(cert_world, login):
    w = cert_world
    for side in (w.a, w.b):
        side.completion.delete()
    client = login(w.users["platform_admin"])
    response = client.post(INDEX, follow=True)
    assert response.redirect_chain[-1][0] == INDEX
    assert not IssuanceBatch.objects.exists()


def test_scope_of_officers_and_providers(cert_world, login):
    w = cert_world
    make_completion(person=w.colleague, course=w.b.course)  # employed in county A, course of B's provider
    make_completion(person=w.b.person, course=w.a.course)  # of county B, course of A's provider
    # officers: people employed in their region and courses of providers there; B's own completion is out
    assert login(w.users["health_officer"]).get(INDEX).context["total"] == 3
    # providers: their own courses only
    assert login(w.users["provider_staff"]).get(INDEX).context["total"] == 2
    assert login(w.users["platform_admin"]).get(INDEX).context["total"] == 4


def test_batches_belong_to_who_started_them(cert_world, login, django_capture_on_commit_callbacks):
    w = cert_world
    batch, _response = issue_all(login(w.users["provider_staff"]), django_capture_on_commit_callbacks)
    for role in ("health_officer", "hr_officer"):
        client = login(w.users[role])
        for name in ("batch", "progress", "zip"):
            response = client.get(reverse(f"certificate_issuance:{name}", args=[batch.pk]))
            assert response.status_code in (404, 302), (role, name)
        assert client.post(reverse("certificate_issuance:rerun", args=[batch.pk])).status_code == 404
    client = login(w.users["platform_admin"])
    assert client.get(reverse("certificate_issuance:batch", args=[batch.pk])).status_code == 200
    assert progress(client, batch)["total"] == 1


def test_rerun_is_post_only(cert_world, login, django_capture_on_commit_callbacks):
    client = login(cert_world.users["platform_admin"])
    batch, _response = issue_all(client, django_capture_on_commit_callbacks)
    assert client.get(reverse("certificate_issuance:rerun", args=[batch.pk])).status_code == 405
