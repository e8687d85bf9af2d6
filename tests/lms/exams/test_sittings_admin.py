"""Sittings in the Wagtail admin over HTTP: scoping, the form through the service, candidates, rooms, live view,
marking and publication."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from lms.exams.models import Attempt, Candidate, Sitting
from lms.exams.services.attempts import answer_save, attempt_start, attempt_submit
from tests import factories as f

from . import factories as xf
from .sittings_fixtures import *  # noqa: F403  (fixtures)
from .sittings_fixtures import correct_response

pytestmark = pytest.mark.django_db

INDEX = "/admin/exams/sittings/"


@pytest.fixture
def staff_client(client, exam_world, english):
    client.force_login(exam_world.staff)
    return client


def _manage(sitting) -> str:
    return reverse("exams_sitting_manage", args=[sitting.pk])


def test_provider_staff_list_and_open_only_their_sittings(staff_client, exam_world):
    theirs = xf.SittingFactory(title="别家的考试")
    page = staff_client.get(INDEX)
    assert page.status_code == 200
    html = page.content.decode()
    assert exam_world.sitting.title in html and "别家的考试" not in html
    assert staff_client.get(_manage(exam_world.sitting)).status_code == 200
    for url in (_manage(theirs), reverse("exams_sitting_live", args=[theirs.pk]),
                reverse("exams_sitting_marking", args=[theirs.pk]), f"{INDEX}edit/{theirs.pk}/"):  # fmt: skip
        assert staff_client.get(url).status_code == 404, url
    assert staff_client.post(_manage(theirs), {"action": "close"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Sitting.Status.SCHEDULED


def test_a_caregiver_has_no_admin(client, exam_world):
    client.force_login(exam_world.user)
    assert client.get(INDEX).status_code in (302, 403)


def test_the_form_saves_through_the_service(staff_client, exam_world):
    data = {"title": "2027年第一期保育师四级理论考试", "provider": exam_world.provider.pk,
            "blueprint": exam_world.blueprint.pk, "opens_at": "2027-03-01 09:00", "closes_at": "2027-03-01 08:00",
            "grace_seconds": 60, "eligibility": "registered", "attempts_allowed": 1,
            "retake_wait_days": 0}  # fmt: skip
    refused = staff_client.post(f"{INDEX}new/", data)
    assert refused.status_code == 200 and "考试截止时间须晚于开放时间" in refused.content.decode()
    assert not Sitting.objects.filter(title=data["title"]).exists()
    other_provider = f.TrainingProviderFactory()
    assert staff_client.post(f"{INDEX}new/", data | {"provider": other_provider.pk}).status_code == 200
    response = staff_client.post(f"{INDEX}new/", data | {"closes_at": "2027-03-01 11:00"})
    sitting = Sitting.objects.get(title=data["title"])
    assert response.status_code == 302 and response.url == _manage(sitting)
    assert sitting.status == Sitting.Status.DRAFT and sitting.seed and sitting.created_by == exam_world.staff
    staff_client.post(_manage(sitting), {"action": "schedule"})
    sitting.refresh_from_db()
    assert sitting.status == Sitting.Status.SCHEDULED


def test_candidates_approval_extra_time_rooms_and_ratio_warnings(staff_client, exam_world):
    sitting = exam_world.sitting
    pending = xf.CandidateFactory(sitting=sitting, status=Candidate.Status.PENDING)
    staff_client.post(_manage(sitting), {"action": "approve", "candidate": pending.pk})
    pending.refresh_from_db()
    assert pending.status == Candidate.Status.APPROVED
    staff_client.post(_manage(sitting), {"action": "extend", "candidate": pending.pk, "minutes": 15, "reason": ""})
    pending.refresh_from_db()
    assert pending.extra_minutes == 0  # a reason is required
    staff_client.post(_manage(sitting), {"action": "extend", "candidate": pending.pk, "minutes": 15,
                                         "reason": "手部受伤，书写困难"})  # fmt: skip
    pending.refresh_from_db()
    assert pending.extra_minutes == 15 and ModelLogEntry.objects.filter(action="exams.candidate.extend").exists()
    staff_client.post(_manage(sitting), {"action": "room", "name": "第一考场", "proctors": [exam_world.staff.pk]})
    room = sitting.rooms.get()
    staff_client.post(_manage(sitting), {"action": "place", "candidate": pending.pk, "room": room.pk})
    pending.refresh_from_db()
    assert pending.room == room
    html = staff_client.get(_manage(sitting)).content.decode()
    assert 'data-testid="ratio-warnings"' in html and "至少需要 2 名" in html
    person = f.PersonFactory()
    staff_client.post(_manage(sitting), {"action": "add_person", "id_number": person.id_number})
    assert sitting.candidates.filter(person=person, status=Candidate.Status.APPROVED).exists()


def test_live_view_shows_who_is_in_and_how_far(staff_client, exam_world):
    attempt = attempt_start(candidate=exam_world.candidate)
    for seq, aq in enumerate(attempt.questions.all()[:3], start=1):
        answer_save(user=exam_world.user, attempt_id=attempt.pk, position=aq.position, response=correct_response(aq),
                    seq=seq)  # fmt: skip
    xf.CandidateFactory(sitting=exam_world.sitting)  # not started
    page = staff_client.get(reverse("exams_sitting_live", args=[exam_world.sitting.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-state="in"' in html and 'data-state="absent"' in html
    assert "3 / 10" in html and "李*梅" in html and "李小梅" not in html
    partial = staff_client.get(reverse("exams_sitting_live", args=[exam_world.sitting.pk]), {"partial": 1})
    assert partial.content.decode().lstrip().startswith("<p") and "<html" not in partial.content.decode()


def test_marking_then_publishing_from_the_admin(staff_client, exam_world):
    attempt = attempt_start(candidate=exam_world.candidate)
    for seq, aq in enumerate(attempt.questions.all(), start=1):
        answer_save(user=exam_world.user, attempt_id=attempt.pk, position=aq.position, response=correct_response(aq),
                    seq=seq)  # fmt: skip
    attempt_submit(attempt=attempt)
    url = reverse("exams_sitting_marking", args=[exam_world.sitting.pk])
    page = staff_client.get(url).content.decode()
    assert page.count('data-testid="marking-item"') == 2 and "李小梅" not in page
    for aq in attempt.questions.filter(snapshot__type="short_answer"):
        assert staff_client.post(url, {"answer": aq.pk, "points": "11", "comment": ""}).status_code == 302
        aq.refresh_from_db()
        assert aq.awarded is None  # above the question's 10 points
        staff_client.post(url, {"answer": aq.pk, "points": "8.5", "comment": "较完整"})
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and str(attempt.score) == "97.00"
    staff_client.post(_manage(exam_world.sitting), {"action": "publish"})
    exam_world.sitting.refresh_from_db()
    assert exam_world.sitting.published_at is None  # still open
    exam_world.sitting.closes_at = timezone.now() - dt.timedelta(minutes=1)
    exam_world.sitting.save()
    staff_client.post(_manage(exam_world.sitting), {"action": "publish"})
    exam_world.sitting.refresh_from_db()
    assert exam_world.sitting.published_at is not None


def test_other_providers_staff_cannot_mark(client, exam_world):
    attempt = attempt_start(candidate=exam_world.candidate)
    attempt_submit(attempt=attempt)
    client.force_login(exam_world.other_staff)
    assert client.get(reverse("exams_sitting_marking", args=[exam_world.sitting.pk])).status_code == 404
