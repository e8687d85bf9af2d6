"""Classroom attendance services: check-in/out by scanned code, corrections, hours credit."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from lms.learning import services
from lms.learning.choices import HoursSource, TrainingKind
from lms.learning.models import Attendance, CourseCompletion, Enrollment, HoursEntry
from lms.learning.services import classroom as svc
from lms.registry.models import Role
from lms.registry.services import person_ban
from tests import factories as f

from .classroom_world import START, make_classroom, make_session, token

pytestmark = pytest.mark.django_db

AT = START + timedelta(minutes=5)


def check_in(room, at=AT, tok=None, person=None):
    return services.attendance_check_in(
        session=room.session, person=person or room.learner, token=tok or token(room.session, at), now=at
    )


def refusal_code(exc_info) -> str:
    return exc_info.value.code


def hours_of(person) -> Decimal:
    return sum((e.hours for e in HoursEntry.objects.filter(person=person)), Decimal("0"))


def test_check_in_credits_the_session_hours_once():
    room = make_classroom()
    attendance, created = check_in(room)
    assert created and attendance.checked_in_at == AT
    entry = HoursEntry.objects.get(person=room.learner)
    assert entry.key == f"class:{attendance.pk}"
    assert (entry.hours, entry.source, entry.kind) == (Decimal("3.0"), HoursSource.CLASSROOM, TrainingKind.IN_SERVICE)
    assert entry.course_id == room.course.pk and entry.occurred_on == date(2025, 3, 10)
    assert ModelLogEntry.objects.filter(action="learning.attendance.check_in", object_id=str(attendance.pk)).exists()

    again, created = check_in(room, at=AT + timedelta(minutes=1))  # scanned twice
    assert not created and again.pk == attendance.pk and again.checked_in_at == AT
    assert HoursEntry.objects.filter(person=room.learner).count() == 1
    assert ModelLogEntry.objects.filter(action="learning.attendance.check_in").count() == 1


@pytest.mark.parametrize(
    "tok,code",
    [
        (lambda s: token(s, AT - timedelta(seconds=61)), svc.EXPIRED),
        (lambda s: token(s, AT).split(".")[0] + ".AAAAAAAAAAAAAAAA", svc.INVALID),
        (lambda s: token(s, AT, kind="out"), svc.INVALID),
        (lambda s: "not-a-token", svc.INVALID),
    ],
    ids=["expired", "forged", "wrong-kind", "garbage"],
)
def test_bad_codes_are_refused(tok, code):
    room = make_classroom()
    with pytest.raises(ValidationError) as exc:
        check_in(room, tok=tok(room.session))
    assert refusal_code(exc) == code
    assert not Attendance.objects.exists() and not HoursEntry.objects.exists()


def test_a_code_scanned_just_before_it_rotated_still_works():
    room = make_classroom()
    _, created = check_in(room, at=AT, tok=token(room.session, AT - timedelta(seconds=30)))
    assert created


def test_another_sessions_code_is_refused():
    room = make_classroom()
    other = make_session(room.course, room.instructor, title="另一场")
    with pytest.raises(ValidationError) as exc:
        check_in(room, tok=token(other, AT))
    assert refusal_code(exc) == svc.INVALID


def test_a_learner_not_enrolled_is_refused():
    room = make_classroom()
    stranger = f.PersonFactory()
    with pytest.raises(ValidationError) as exc:
        check_in(room, person=stranger)
    assert refusal_code(exc) == svc.NOT_ENROLLED
    cancelled = f.PersonFactory()
    services.enrollment_cancel(enrollment=services.enroll(person=cancelled, course=room.course))
    with pytest.raises(ValidationError):
        check_in(room, person=cancelled)


@pytest.mark.parametrize(
    "at,code",
    [(START - timedelta(minutes=31), svc.TOO_EARLY), (START + timedelta(hours=3, seconds=1), svc.CLOSED)],
)
def test_check_in_outside_the_window_is_refused(at, code):
    room = make_classroom()
    with pytest.raises(ValidationError) as exc:
        check_in(room, at=at)
    assert refusal_code(exc) == code


def test_check_in_opens_30_minutes_early():
    room = make_classroom()
    assert check_in(room, at=START - timedelta(minutes=30))[1]


def test_capacity_is_respected():
    room = make_classroom(capacity=1)
    check_in(room)
    second = f.PersonFactory()
    services.enroll(person=second, course=room.course)
    with pytest.raises(ValidationError) as exc:
        check_in(room, person=second)
    assert refusal_code(exc) == svc.FULL
    assert check_in(room)[1] is False  # the one checked in may scan again


def test_banned_person_is_refused():
    room = make_classroom()
    person_ban(person=room.learner, reason="虐待儿童", decided_on=date(2025, 1, 2), decided_by="卫健委")
    with pytest.raises(ValidationError) as exc:
        check_in(room)
    assert refusal_code(exc) == svc.BANNED


def test_check_out_credits_when_the_session_requires_it():
    room = make_classroom(requires_checkout=True)
    attendance, _ = check_in(room)
    assert not HoursEntry.objects.exists() and attendance.credited_at is None

    with pytest.raises(ValidationError) as exc:  # the check-in code does not check out
        services.attendance_check_out(session=room.session, person=room.learner, token=token(room.session, AT), now=AT)
    assert refusal_code(exc) == svc.INVALID

    out_at = START + timedelta(hours=3, minutes=10)
    attendance, created = services.attendance_check_out(
        session=room.session, person=room.learner, token=token(room.session, out_at, "out"), now=out_at
    )
    assert created and attendance.checked_out_at == out_at and attendance.credited_at == out_at
    assert hours_of(room.learner) == Decimal("3.0")
    _, created = services.attendance_check_out(
        session=room.session, person=room.learner, token=token(room.session, out_at, "out"), now=out_at
    )
    assert not created and hours_of(room.learner) == Decimal("3.0")


def test_check_out_needs_a_check_in_and_closes_an_hour_after_the_end():
    room = make_classroom(requires_checkout=True)
    out_at = START + timedelta(hours=1)
    with pytest.raises(ValidationError) as exc:
        services.attendance_check_out(
            session=room.session, person=room.learner, token=token(room.session, out_at, "out"), now=out_at
        )
    assert refusal_code(exc) == svc.NOT_CHECKED_IN
    check_in(room)
    late = START + timedelta(hours=4, seconds=1)
    with pytest.raises(ValidationError) as exc:
        services.attendance_check_out(
            session=room.session, person=room.learner, token=token(room.session, late, "out"), now=late
        )
    assert refusal_code(exc) == svc.CLOSED


def test_check_out_is_refused_when_not_required():
    room = make_classroom()
    with pytest.raises(ValidationError) as exc:
        services.attendance_check_out(
            session=room.session, person=room.learner, token=token(room.session, AT, "out"), now=AT
        )
    assert refusal_code(exc) == svc.NO_CHECKOUT


def test_correction_is_audited_and_credits_once():
    room = make_classroom(requires_checkout=True)
    check_in(room)  # phone died before check-out
    out_at = START + timedelta(hours=3)
    with pytest.raises(ValidationError):
        services.attendance_correct(
            session=room.session,
            person=room.learner,
            checked_in_at=AT,
            checked_out_at=out_at,
            reason=" ",
            actor=room.instructor,
        )
    attendance = services.attendance_correct(
        session=room.session,
        person=room.learner,
        checked_in_at=AT,
        checked_out_at=out_at,
        reason="手机没电,未能扫码签退",
        actor=room.instructor,
    )
    assert attendance.corrected_by == room.instructor and attendance.credited_at is not None
    assert hours_of(room.learner) == Decimal("3.0")
    entry = ModelLogEntry.objects.get(action="learning.attendance.correct", object_id=str(attendance.pk))
    assert entry.user_id == room.instructor.pk and entry.data["reason"] == "手机没电,未能扫码签退"
    assert entry.data["before"]["checked_out_at"] is None

    services.attendance_correct(  # a second correction does not credit again
        session=room.session,
        person=room.learner,
        checked_in_at=AT,
        checked_out_at=out_at + timedelta(minutes=5),
        reason="签退时间更正",
        actor=room.instructor,
    )
    assert hours_of(room.learner) == Decimal("3.0")
    assert ModelLogEntry.objects.filter(action="learning.attendance.correct").count() == 2


def test_correction_that_removes_a_credited_attendance_takes_the_hours_back():
    room = make_classroom()
    attendance, _created = check_in(room)  # someone scanned the code for an absent colleague
    assert hours_of(room.learner) == Decimal("3.0")
    services.attendance_correct(
        session=room.session,
        person=room.learner,
        checked_in_at=None,
        checked_out_at=None,
        reason="代签,本人未到场",
        actor=room.instructor,
    )
    entries = list(HoursEntry.objects.filter(person=room.learner).order_by("pk"))
    assert [e.hours for e in entries] == [Decimal("3.0"), Decimal("-3.0")]  # the credit stays, a reversal is added
    reversal = entries[1]
    assert (reversal.source, reversal.kind, reversal.course_id) == (entries[0].source, entries[0].kind, room.course.pk)
    assert reversal.occurred_on == entries[0].occurred_on and reversal.created_by == room.instructor
    assert hours_of(room.learner) == Decimal("0")
    attendance.refresh_from_db()
    assert attendance.credited_at is None
    log = ModelLogEntry.objects.get(action="learning.attendance.correct", object_id=str(attendance.pk))
    assert log.data["hours_taken_back"] == "3.0" and log.data["reason"] == "代签,本人未到场"

    # the same correction again takes nothing more back
    services.attendance_correct(
        session=room.session, person=room.learner, checked_in_at=None, checked_out_at=None,
        reason="复核", actor=room.instructor,
    )  # fmt: skip
    assert hours_of(room.learner) == Decimal("0")

    # it turns out the learner was there after all: credited again, once
    for _ in range(2):
        services.attendance_correct(
            session=room.session, person=room.learner, checked_in_at=AT, checked_out_at=None,
            reason="核实本人到场", actor=room.instructor,
        )  # fmt: skip
    assert hours_of(room.learner) == Decimal("3.0")
    assert HoursEntry.objects.filter(person=room.learner).count() == 3


def test_correction_can_add_a_learner_who_could_not_scan():
    room = make_classroom()
    attendance = services.attendance_correct(
        session=room.session,
        person=room.learner,
        checked_in_at=AT,
        checked_out_at=None,
        reason="未带手机",
        actor=f.UserFactory(is_superuser=True),
    )
    assert attendance.pk and hours_of(room.learner) == Decimal("3.0")


def test_correction_refused_to_others_and_for_banned_people():
    room = make_classroom()
    other_staff = f.RoleGrantFactory(role=Role.PROVIDER_STAFF, region=None, provider=f.TrainingProviderFactory()).user
    colleague = f.RoleGrantFactory(role=Role.PROVIDER_STAFF, region=None, provider=room.provider).user
    kwargs = {"session": room.session, "person": room.learner, "checked_in_at": AT, "checked_out_at": None}
    for outsider in (other_staff, room.learner_user):
        with pytest.raises(PermissionDenied):
            services.attendance_correct(**kwargs, reason="试图代签", actor=outsider)
    assert not Attendance.objects.exists()
    person_ban(person=room.learner, reason="虐待儿童", decided_on=date(2025, 1, 2), decided_by="卫健委")
    with pytest.raises(ValidationError):
        services.attendance_correct(**kwargs, reason="补签", actor=colleague)
    assert not HoursEntry.objects.exists()


def test_classroom_hours_complete_a_course_that_needs_them():
    room = make_classroom()
    room.course.classroom_hours_required = Decimal("3.0")
    room.course.save()
    enrollment = Enrollment.objects.get(person=room.learner)
    from lms.learning.models import LessonPage, LessonProgress

    for lesson in LessonPage.objects.descendant_of(room.course):
        LessonProgress.objects.create(enrollment=enrollment, lesson=lesson, credited_at=AT)
    assert not CourseCompletion.objects.exists()
    check_in(room)
    assert CourseCompletion.objects.get(enrollment=enrollment).hours == Decimal("3.0")
