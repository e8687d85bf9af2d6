"""Wagtail admin of practical assessment: rubrics (criteria adding up to 100), sessions with their panel and
candidates (recusal errors on the form), level results decided and published; all scoped to the provider."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.exams.models import LevelResult, PracticalSession, Rubric
from lms.registry.models import TrainingProvider
from tests import factories as f

from .factories import graded_attempt
from .practical_factories import rubric_with_criteria, scored_candidate, session_with_panel

pytestmark = pytest.mark.django_db

RUBRICS = "/admin/exams/rubrics/"
SESSIONS = "/admin/exams/practical-sessions/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def world(registry_world):
    w = registry_world
    TrainingProvider.objects.filter(pk__in=[w.a.provider.pk, w.b.provider.pk]).update(
        kind=TrainingProvider.Kind.ASSESSMENT
    )
    w.a.provider.refresh_from_db()
    w.b.provider.refresh_from_db()
    w.staff = w.users["provider_staff"]
    w.session_a = session_with_panel(provider=w.a.provider, title="甲场")
    w.session_b = session_with_panel(provider=w.b.provider, title="乙场")
    return w


def client_for(client, user):
    client.force_login(user)
    return client


def rubric_post(provider, points):
    data = {
        "name": "保育师四级操作技能",
        "provider": provider.pk,
        "occupation": "childcare_worker",
        "level": "4",
        "pass_mark": "60",
        "active": "on",
        "criteria-TOTAL_FORMS": str(len(points)),
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "1",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for i, p in enumerate(points):
        data.update(
            {
                f"criteria-{i}-title": f"操作要点{i + 1}",
                f"criteria-{i}-max_points": p,
                f"criteria-{i}-description": "",
                f"criteria-{i}-ORDER": str(i + 1),
                f"criteria-{i}-id": "",
                f"criteria-{i}-DELETE": "",
            }
        )
    return data


def test_a_rubric_is_saved_only_when_its_criteria_add_up_to_100(client, world):
    c = client_for(client, world.staff)
    response = c.post(f"{RUBRICS}new/", rubric_post(world.a.provider, ["30", "30", "30"]), **EN)
    assert response.status_code == 200
    assert "The criteria must add up to 100 points (now 90" in response.content.decode()
    assert not Rubric.objects.filter(name="保育师四级操作技能").exists()
    response = c.post(f"{RUBRICS}new/", rubric_post(world.a.provider, ["30", "30", "40"]), **EN)
    assert response.status_code == 302, response.content.decode()[:1500]
    rubric = Rubric.objects.get(name="保育师四级操作技能")
    assert [c.max_points for c in rubric.criteria.all()] == [D("30"), D("30"), D("40")]


def test_provider_staff_see_only_their_sessions_and_rubrics(client, world):
    c = client_for(client, world.staff)
    listing = c.get(SESSIONS).content.decode()
    assert "甲场" in listing and "乙场" not in listing
    assert world.session_b.rubric.name not in c.get(RUBRICS).content.decode()
    for name in ("exams_practical_panel", "exams_practical_results"):
        assert c.get(reverse(name, args=[world.session_b.pk])).status_code == 404
        assert c.get(reverse(name, args=[world.session_a.pk])).status_code == 200
    assert c.get(f"{SESSIONS}edit/{world.session_b.pk}/").status_code == 404


def test_schedule_a_session_through_the_service(client, world):
    c = client_for(client, world.staff)
    rubric = rubric_with_criteria(provider=world.a.provider, name="甲评分表")
    data = {
        "title": "新场次",
        "provider": world.a.provider.pk,
        "rubric": rubric.pk,
        "place": "实训室三",
        "starts_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "aggregation": "trimmed_mean",
        "disagreement_points": "12",
    }
    response = c.post(f"{SESSIONS}new/", data)
    assert response.status_code == 302, response.content.decode()[:1500]
    session = PracticalSession.objects.get(title="新场次")
    assert session.aggregation == "trimmed_mean" and session.disagreement_points == D("12")
    # another provider's rubric is not a choice
    response = c.post(f"{SESSIONS}new/", {**data, "title": "x", "rubric": world.session_b.rubric.pk})
    assert response.status_code == 200 and "rubric" in response.context["form"].errors


def test_recusal_error_is_shown_when_adding_an_examiner(client, world):
    c = client_for(client, world.staff)
    url = reverse("exams_practical_panel", args=[world.session_a.pk])
    # the candidate works at institution A; an examiner from there is refused
    response = c.post(url, {"action": "add_candidate", "candidate-id_number": world.a.person.id_number})
    assert response.status_code == 302
    colleague = world.colleague
    colleague.user = f.UserFactory(username="kaopingyuan")
    colleague.save(update_fields=["user"])
    response = c.post(url, {"action": "add_examiner", "examiner-username": "kaopingyuan"}, **EN)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="examiner-errors"' in body and "(recusal)" in body
    assert not world.session_a.examiners.filter(user=colleague.user).exists()


def test_panel_page_warns_about_an_even_panel_and_the_ratio(client, world):
    session = session_with_panel(provider=world.a.provider, examiners=2)
    for slot in range(1, 12):
        scored = f.PersonFactory()
        session.candidates.create(person=scored, slot=slot)
    body = client_for(client, world.staff).get(reverse("exams_practical_panel", args=[session.pk]), **EN)
    text = body.content.decode()
    assert 'data-testid="panel-problems"' in text and 'data-testid="ratio-warning"' in text


def test_decide_and_publish_results_from_the_session(client, world, django_capture_on_commit_callbacks):
    session = world.session_a
    person = f.PersonFactory()
    candidate = scored_candidate(session, [(20, 20, 30)] * 3, person=person)
    attempt = graded_attempt(person=person, score=75)
    c = client_for(client, world.staff)
    url = reverse("exams_practical_results", args=[session.pk])
    assert f'value="{attempt.pk}"' in c.get(url).content.decode()
    response = c.post(url, {"candidate": candidate.pk, "attempt": attempt.pk})
    assert response.status_code == 302
    result = LevelResult.objects.get(practical=candidate)
    assert result.passed and result.published_at is None
    with django_capture_on_commit_callbacks(execute=True):
        assert c.post(url, {"action": "publish"}).status_code == 302
    result.refresh_from_db()
    assert result.published_at is not None
    # the results listing is read-only and scoped
    listing = c.get("/admin/exams/level-results/")
    assert listing.status_code == 200 and person.id_number_masked in listing.content.decode()
    assert c.get("/admin/exams/level-results/new/").status_code in (302, 403)
    other = client_for(client, f.RoleGrantFactory(provider_staff=True, provider=world.b.provider).user)
    assert person.id_number_masked not in other.get("/admin/exams/level-results/").content.decode()
