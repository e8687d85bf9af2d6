"""Classroom attendance: QR check-in and check-out, corrections by the instructor, hours credit.

Refusals raise ``ValidationError`` with a user-facing message and one of the ``code`` values below,
so that the learner's phone can show a clear result page.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.registry import audit
from lms.registry.models import Person
from lms.registry.selectors import is_banned

from .. import checkin, selectors
from ..choices import HoursSource
from ..models import Attendance, ClassSession, Enrollment, HoursEntry
from .completion import completion_check
from .ledger import hours_credit

CHECK_IN_OPENS_BEFORE = timedelta(minutes=30)
CHECK_OUT_CLOSES_AFTER = timedelta(minutes=60)

# refusal codes
BANNED = "banned"
EXPIRED = "expired"
INVALID = "invalid"
NOT_ENROLLED = "not_enrolled"
TOO_EARLY = "too_early"
CLOSED = "closed"
FULL = "full"
NOT_CHECKED_IN = "not_checked_in"
NO_CHECKOUT = "no_checkout"


def _refuse(code: str, message: str) -> ValidationError:
    return ValidationError(message, code=code)


def session_key(session: ClassSession) -> bytes:
    return checkin.derive_key(secret_key=settings.SECRET_KEY, session_secret=session.secret)


def checkin_token(*, session: ClassSession, kind: str, now: datetime) -> str:
    """The code the instructor's screen shows at ``now`` (a read; no state changes)."""
    return checkin.make_token(key=session_key(session), session_id=session.pk, kind=kind, now=now)


def token_refusal(*, session: ClassSession, kind: str, token: str, now: datetime) -> ValidationError | None:
    verdict = checkin.verify_token(token, key=session_key(session), session_id=session.pk, kind=kind, now=now)
    if verdict is checkin.Verdict.EXPIRED:
        return _refuse(EXPIRED, _("This QR code has expired. Please scan the code on the screen again."))
    if verdict is checkin.Verdict.INVALID:
        return _refuse(INVALID, _("This QR code is not valid for this session. Please scan the code on the screen."))
    return None


def _creditable(attendance: Attendance, session: ClassSession) -> bool:
    return attendance.checked_in_at is not None and (
        not session.requires_checkout or attendance.checked_out_at is not None
    )


def _generation(attendance: Attendance) -> int:
    """How many times this attendance's credit has been taken back (each reversal is a ledger entry)."""
    return HoursEntry.objects.filter(key__startswith=f"class:{attendance.pk}:reversal:").count()


def _credit_key(attendance: Attendance, generation: int) -> str:
    return f"class:{attendance.pk}" + (f":{generation}" if generation else "")


def _credit(attendance: Attendance, session: ClassSession, enrollment: Enrollment, *, now: datetime, actor=None):
    """Credit the session's hours once per attendance (the ledger key makes retries harmless).

    After a correction took the hours back (``_uncredit``), a later correction that makes the
    attendance creditable again credits it again, under the next generation's key.
    """
    if attendance.credited_at is not None or not _creditable(attendance, session):
        return
    course = session.course
    hours_credit(
        person_id=attendance.person_id,
        key=_credit_key(attendance, _generation(attendance)),
        hours=session.hours,
        kind=course.kind,
        source=HoursSource.CLASSROOM,
        occurred_on=timezone.localdate(session.starts_at),
        course_id=course.pk,
        note=session.title,
        actor=actor,
    )
    attendance.credited_at = now
    attendance.save(update_fields=["credited_at"])
    completion_check(enrollment=enrollment, now=now)


def _uncredit(attendance: Attendance, session: ClassSession, *, actor) -> Decimal | None:
    """Take back the hours of a credited attendance that a correction made uncreditable.

    The ledger is immutable: the credit stays and a negative entry of the same hours is added.
    A course completion already written stands (certificates decide what a correction means).
    """
    if attendance.credited_at is None or _creditable(attendance, session):
        return None
    generation = _generation(attendance)
    credit = HoursEntry.objects.filter(key=_credit_key(attendance, generation)).first()
    hours = credit.hours if credit else session.hours
    course = session.course
    hours_credit(
        person_id=attendance.person_id,
        key=f"class:{attendance.pk}:reversal:{generation + 1}",
        hours=-hours,
        kind=credit.kind if credit else course.kind,
        source=HoursSource.CLASSROOM,
        occurred_on=credit.occurred_on if credit else timezone.localdate(session.starts_at),
        course_id=course.pk,
        note=_("Attendance corrected: %(title)s") % {"title": session.title},
        actor=actor,
    )
    attendance.credited_at = None
    attendance.save(update_fields=["credited_at"])
    return hours


def _learner_checks(*, session: ClassSession, person: Person, kind: str, token: str, now: datetime) -> Enrollment:
    if is_banned(person.pk):
        raise _refuse(BANNED, _("You are barred from childcare work and cannot attend training."))
    refusal = token_refusal(session=session, kind=kind, token=token, now=now)
    if refusal:
        raise refusal
    enrollment = selectors.open_enrollment(person, session.course)
    if enrollment is None:
        raise _refuse(NOT_ENROLLED, _("You are not enrolled in this course."))
    return enrollment


@transaction.atomic
def attendance_check_in(
    *, session: ClassSession, person: Person, token: str, now: datetime | None = None
) -> tuple[Attendance, bool]:
    """Check a learner in with a scanned code; returns (attendance, newly checked in).

    Idempotent: a second scan returns the existing attendance unchanged.
    """
    now = now or timezone.now()
    session = ClassSession.objects.select_for_update().select_related("course").get(pk=session.pk)  # capacity
    enrollment = _learner_checks(session=session, person=person, kind="in", token=token, now=now)
    attendance = selectors.attendance_of(session, person)
    if attendance is not None and attendance.checked_in_at is not None:
        return attendance, False
    if now < session.starts_at - CHECK_IN_OPENS_BEFORE:
        raise _refuse(TOO_EARLY, _("Check-in opens 30 minutes before the session starts."))
    if now > session.ends_at:
        raise _refuse(CLOSED, _("This session has ended; check-in is closed."))
    if selectors.session_checked_in_count(session) >= session.capacity:
        raise _refuse(FULL, _("This session is full."))
    if attendance is None:
        attendance = Attendance(session=session, person=person)
    attendance.checked_in_at = now
    attendance.save()
    audit.record(attendance, "learning.attendance.check_in", session=session.pk)
    _credit(attendance, session, enrollment, now=now)
    return attendance, True


@transaction.atomic
def attendance_check_out(
    *, session: ClassSession, person: Person, token: str, now: datetime | None = None
) -> tuple[Attendance, bool]:
    """Check a learner out with a scanned check-out code; credits the hours. Idempotent."""
    now = now or timezone.now()
    session = ClassSession.objects.select_for_update().select_related("course").get(pk=session.pk)
    if not session.requires_checkout:
        raise _refuse(NO_CHECKOUT, _("This session does not need check-out."))
    enrollment = _learner_checks(session=session, person=person, kind="out", token=token, now=now)
    attendance = selectors.attendance_of(session, person)
    if attendance is None or attendance.checked_in_at is None:
        raise _refuse(NOT_CHECKED_IN, _("You did not check in to this session, so you cannot check out."))
    if attendance.checked_out_at is not None:
        return attendance, False
    if now > session.ends_at + CHECK_OUT_CLOSES_AFTER:
        raise _refuse(CLOSED, _("Check-out closed one hour after the session ended."))
    attendance.checked_out_at = max(now, attendance.checked_in_at)
    attendance.save(update_fields=["checked_out_at"])
    audit.record(attendance, "learning.attendance.check_out", session=session.pk)
    _credit(attendance, session, enrollment, now=now)
    return attendance, True


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@transaction.atomic
def attendance_correct(
    *,
    session: ClassSession,
    person: Person,
    checked_in_at: datetime | None,
    checked_out_at: datetime | None,
    reason: str,
    actor,
    now: datetime | None = None,
) -> Attendance:
    """Set a learner's attendance by hand (the instructor, the provider's staff or a platform admin).

    Audited with the values before and after. When the corrected attendance becomes creditable its
    hours are credited once; when it stops being creditable (e.g. the learner was not there after
    all) a negative ledger entry takes the credited hours back.
    """
    now = now or timezone.now()
    session = ClassSession.objects.select_for_update().select_related("course").get(pk=session.pk)
    if not selectors.can_run_session(actor, session):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    if is_banned(person.pk):
        raise ValidationError(_("This person is barred from childcare work."), code=BANNED)
    enrollment = selectors.open_enrollment(person, session.course)
    if enrollment is None:
        raise ValidationError(_("This person is not enrolled in the session's course."), code=NOT_ENROLLED)
    if checked_out_at and not checked_in_at:
        raise ValidationError({"checked_in_at": _("A check-out needs a check-in time.")})
    if checked_in_at and checked_out_at and checked_out_at < checked_in_at:
        raise ValidationError({"checked_out_at": _("Check-out is before check-in.")})
    attendance = selectors.attendance_of(session, person) or Attendance(session=session, person=person)
    before = {"checked_in_at": _iso(attendance.checked_in_at), "checked_out_at": _iso(attendance.checked_out_at)}
    attendance.checked_in_at = checked_in_at
    attendance.checked_out_at = checked_out_at
    attendance.corrected_by = actor
    attendance.correction_reason = reason[:200]
    attendance.save()
    taken_back = _uncredit(attendance, session, actor=actor)
    audit.record(
        attendance,
        "learning.attendance.correct",
        actor=actor,
        reason=attendance.correction_reason,
        before=before,
        after={"checked_in_at": _iso(checked_in_at), "checked_out_at": _iso(checked_out_at)},
        hours_taken_back=str(taken_back) if taken_back is not None else None,
    )
    _credit(attendance, session, enrollment, now=now, actor=actor)
    return attendance
