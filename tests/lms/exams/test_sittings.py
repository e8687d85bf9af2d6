"""Sittings: settings checks, scheduling against the bank, closing, candidates, extra time, rooms, scoping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from lms.exams.models import Attempt, Candidate, Sitting
from lms.exams.selectors import sittings as selectors
from lms.exams.services import sittings as services
from lms.exams.services.attempts import attempt_start
from tests import factories as f
from tests.lms.learning.conftest import build_course

from . import factories as xf
from .sittings_fixtures import *  # noqa: F403  (fixtures)
from .sittings_fixtures import complete_course

pytestmark = pytest.mark.django_db


def _draft(world, **fields) -> Sitting:
    now = timezone.now()
    values = {"title": "保育师四级理论考试", "blueprint": world.blueprint, "provider": world.provider,
              "opens_at": now + dt.timedelta(days=1),
              "closes_at": now + dt.timedelta(days=1, hours=3)} | fields  # fmt: skip
    return services.sitting_save(sitting=Sitting(**values), actor=world.staff)


def test_a_sitting_is_saved_with_a_seed_and_audited(exam_world):
    sitting = _draft(exam_world)
    assert sitting.status == Sitting.Status.DRAFT and len(sitting.seed) == 32
    assert sitting.created_by == exam_world.staff
    assert ModelLogEntry.objects.filter(action="exams.sitting.create", object_id=str(sitting.pk)).exists()


def test_bad_settings_are_refused_per_field(exam_world, english):
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        _draft(exam_world, closes_at=now, opens_at=now + dt.timedelta(hours=1),
               eligibility=Sitting.Eligibility.COURSE_COMPLETED)  # fmt: skip
    assert set(exc.value.message_dict) == {"closes_at", "course"}
    assert not Sitting.objects.filter(title="保育师四级理论考试").exists()


def test_scheduling_checks_that_the_banks_can_satisfy_the_blueprint(exam_world, english):
    too_many = xf.blueprint_with_sections(banks=[exam_world.bank], sections=(("single", 5, "20"),),
                                          provider=exam_world.provider)  # fmt: skip
    sitting = _draft(exam_world, blueprint=too_many)
    with pytest.raises(ValidationError, match="section 1 needs 5 questions, 3 available"):
        services.sitting_schedule(sitting=sitting, actor=exam_world.staff)
    ok = services.sitting_schedule(sitting=_draft(exam_world), actor=exam_world.staff)
    assert ok.status == Sitting.Status.SCHEDULED


def test_closing_ends_the_window_and_submits_open_attempts(exam_world):
    attempt = attempt_start(candidate=exam_world.candidate)
    sitting = services.sitting_close(sitting=exam_world.sitting, actor=exam_world.staff)
    attempt.refresh_from_db()
    assert sitting.status == Sitting.Status.CLOSED and sitting.closes_at <= timezone.now()
    assert attempt.status != Attempt.Status.IN_PROGRESS and attempt.auto_submitted


def test_self_registration_waits_for_approval_unless_the_course_is_completed(exam_world):
    person = f.PersonFactory()
    candidate = services.candidate_register(sitting=exam_world.sitting, person=person)
    assert candidate.status == Candidate.Status.PENDING
    assert services.candidate_register(sitting=exam_world.sitting, person=person).pk == candidate.pk
    services.candidate_decide(candidate=candidate, approve=True, actor=exam_world.staff)
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.APPROVED
    with pytest.raises(PermissionDenied):
        services.candidate_decide(candidate=candidate, approve=False, actor=exam_world.other_staff)

    course = build_course(provider=exam_world.provider)
    course_sitting = xf.SittingFactory(blueprint=exam_world.blueprint, provider=exam_world.provider,
                                       eligibility=Sitting.Eligibility.COURSE_COMPLETED, course=course)  # fmt: skip
    completer = f.PersonFactory()
    complete_course(completer, course)
    assert list(selectors.registrable_sittings(completer)) == [exam_world.sitting, course_sitting]
    assert list(selectors.registrable_sittings(person)) == []  # not a completer, already registered for the other
    registered = services.candidate_register(sitting=course_sitting, person=completer)
    assert registered.status == Candidate.Status.APPROVED


def test_course_completers_are_added_in_bulk(exam_world):
    course = build_course(provider=exam_world.provider)
    sitting = xf.SittingFactory(blueprint=exam_world.blueprint, provider=exam_world.provider,
                                eligibility=Sitting.Eligibility.COURSE_COMPLETED, course=course)  # fmt: skip
    for person in f.PersonFactory.create_batch(3):
        complete_course(person, course)
    assert services.candidates_add_completers(sitting=sitting, actor=exam_world.staff) == 3
    assert services.candidates_add_completers(sitting=sitting, actor=exam_world.staff) == 0
    assert sitting.candidates.filter(status=Candidate.Status.APPROVED).count() == 3


def test_extra_time_needs_a_reason_is_audited_and_moves_a_running_deadline(exam_world, english):
    attempt = attempt_start(candidate=exam_world.candidate)
    with pytest.raises(ValidationError, match="reason"):
        services.candidate_extend(candidate=exam_world.candidate, minutes=20, reason=" ", actor=exam_world.staff)
    services.candidate_extend(candidate=exam_world.candidate, minutes=20, reason="视力障碍，经审批延时",
                              actor=exam_world.staff)  # fmt: skip
    attempt.refresh_from_db()
    assert attempt.deadline_at == attempt.started_at + dt.timedelta(minutes=110)
    entry = ModelLogEntry.objects.get(action="exams.candidate.extend")
    assert (
        entry.data["reason"] == "视力障碍，经审批延时"
        and entry.data["minutes"] == 20
        and entry.user == exam_world.staff
    )
    with pytest.raises(PermissionDenied):
        services.candidate_extend(candidate=exam_world.candidate, minutes=5, reason="x", actor=exam_world.other_staff)


def test_ratio_warnings_for_rooms(exam_world, english):
    sitting = exam_world.sitting
    proctor = f.UserFactory()
    room = services.room_save(sitting=sitting, name="第一考场", proctors=[proctor], actor=exam_world.staff)
    for _ in range(16):
        services.candidate_place(candidate=xf.CandidateFactory(sitting=sitting), room=room, actor=exam_world.staff)
    warnings = selectors.ratio_warnings(sitting)
    assert any("1 proctor(s); at least 2" in w for w in warnings)
    assert any("16 candidates for 1 proctor(s)" in w for w in warnings)
    assert any("1 approved candidate(s) have no room" in w for w in warnings)  # the world's own candidate
    services.room_save(sitting=sitting, name="第一考场", proctors=[proctor, f.UserFactory()], actor=exam_world.staff,
                       room=room)  # fmt: skip
    services.candidate_place(candidate=exam_world.candidate, room=room, actor=exam_world.staff)
    assert selectors.ratio_warnings(sitting) == []
    with pytest.raises(ValidationError):
        services.room_save(sitting=sitting, name="第一考场", proctors=[], actor=exam_world.staff)


def test_provider_staff_see_only_their_providers_sittings(exam_world):
    other = xf.SittingFactory()  # another provider's
    assert list(selectors.sittings_for(exam_world.staff)) == [exam_world.sitting]
    assert exam_world.sitting not in selectors.sittings_for(exam_world.other_staff)
    admin = f.UserFactory(is_superuser=True)
    assert set(selectors.sittings_for(admin)) == {exam_world.sitting, other}
    assert not selectors.sittings_for(exam_world.user).exists()
