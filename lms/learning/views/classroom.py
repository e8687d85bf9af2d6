"""Front pages of classroom sessions: the instructor's rotating QR code and the learner's scan result.

A phone camera opens the scanned URL with GET. GET never changes anything: it shows what a tap
would do and a single "confirm" button that POSTs (CSRF-protected) to the same URL, where the
service checks the learner in. Link previewers, prefetchers and chat apps that open URLs
therefore cannot check anyone in, and the check-in is always the learner's own act.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lms.registry.masking import mask_name
from lms.registry.selectors import is_banned, person_for_user

from .. import checkin, selectors, services
from ..models import ClassSession
from ..services import classroom as svc

# --- instructor ---------------------------------------------------------------------------------


def _session_to_run(request, pk: int) -> ClassSession:
    session = get_object_or_404(ClassSession.objects.select_related("course", "instructor"), pk=pk)
    if not selectors.can_run_session(request.user, session):
        raise PermissionDenied
    return session


def _kind(request, session: ClassSession) -> str:
    kind = request.GET.get("kind", "in")
    if kind not in checkin.KINDS or (kind == "out" and not session.requires_checkout):
        raise Http404
    return kind


def _checkin_url(request, session: ClassSession, kind: str, now) -> str:
    token = svc.checkin_token(session=session, kind=kind, now=now)
    return request.build_absolute_uri(
        reverse("learning:class_checkin", kwargs={"pk": session.pk, "kind": kind, "token": token})
    )


@never_cache
@login_required
@require_GET
def qr_page(request, pk: int):
    """The instructor's screen: a big rotating QR code, live counts and the attendance list."""
    session = _session_to_run(request, pk)
    kind = _kind(request, session)
    now = timezone.now()
    url = _checkin_url(request, session, kind, now)
    attendances = [
        {
            "name": mask_name(a.person.name),
            "checked_in_at": a.checked_in_at,
            "checked_out_at": a.checked_out_at,
            "corrected": bool(a.correction_reason),
        }
        for a in selectors.session_attendances(session)
        if a.checked_in_at
    ]
    return render(
        request,
        "learning/classroom/qr.html",
        {
            "session": session,
            "kind": kind,
            "checkin_url": url,
            "qr": checkin.qr_svg(url),
            "checked_in": selectors.session_checked_in_count(session),
            "checked_out": sum(1 for a in attendances if a["checked_out_at"]),
            "attendances": attendances,
            "refresh_ms": int(checkin.seconds_left(now) * 1000) + 300,
            "step_seconds": checkin.STEP_SECONDS,
        },
    )


@never_cache
@login_required
@require_GET
def qr_svg(request, pk: int):
    """The current code alone (the live page fetches it every 30 s); its URL is in X-Checkin-Url."""
    session = _session_to_run(request, pk)
    kind = _kind(request, session)
    now = timezone.now()
    url = _checkin_url(request, session, kind, now)
    response = HttpResponse(checkin.qr_svg(url), content_type="image/svg+xml")
    response["X-Checkin-Url"] = url
    response["X-Checked-In"] = str(selectors.session_checked_in_count(session))
    response["X-Refresh-Ms"] = str(int(checkin.seconds_left(now) * 1000) + 300)
    return response


# --- learner ------------------------------------------------------------------------------------

OUTCOME_STYLE = {"checked_in": "ok", "checked_out": "ok", "already": "ok", "confirm": "info"}


def _result(request, session, kind, token, *, outcome: str, message: str = "", status: int = 200):
    return render(
        request,
        "learning/classroom/checkin.html",
        {
            "session": session,
            "kind": kind,
            "token": token,
            "outcome": outcome,
            "style": OUTCOME_STYLE.get(outcome, "bad"),
            "message": message,
        },
        status=status,
    )


def _preview(request, session, kind, token, person):
    """What a tap on "confirm" would do, without doing it."""
    attendance = selectors.attendance_of(session, person)
    if kind == "in" and attendance and attendance.checked_in_at:
        return _result(request, session, kind, token, outcome="already")
    if kind == "out" and attendance and attendance.checked_out_at:
        return _result(request, session, kind, token, outcome="already")
    if is_banned(person.pk):
        return _result(
            request, session, kind, token, outcome=svc.BANNED,
            message=_("You are barred from childcare work and cannot attend training."),
        )  # fmt: skip
    refusal = svc.token_refusal(session=session, kind=kind, token=token, now=timezone.now())
    if refusal:
        return _result(request, session, kind, token, outcome=refusal.code, message=refusal.messages[0])
    if selectors.open_enrollment(person, session.course) is None:
        return _result(
            request, session, kind, token, outcome=svc.NOT_ENROLLED, message=_("You are not enrolled in this course.")
        )
    return _result(request, session, kind, token, outcome="confirm")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def checkin_page(request, pk: int, kind: str, token: str):
    """The page a learner's phone opens from the QR code; the check-in itself is a POST."""
    session = get_object_or_404(ClassSession.objects.select_related("course"), pk=pk)
    if kind not in checkin.KINDS:
        raise Http404
    person = person_for_user(request.user)
    if person is None:
        return _result(
            request, session, kind, token, outcome="no_person",
            message=_("Your account is not linked to a staff record yet. Ask your institution's administrator."),
        )  # fmt: skip
    if request.method == "GET":
        return _preview(request, session, kind, token, person)
    service = services.attendance_check_in if kind == "in" else services.attendance_check_out
    try:
        _attendance, changed = service(session=session, person=person, token=token, now=timezone.now())
    except ValidationError as exc:
        return _result(request, session, kind, token, outcome=exc.code or "refused", message=exc.messages[0])
    if not changed:
        return _result(request, session, kind, token, outcome="already")
    return _result(request, session, kind, token, outcome="checked_in" if kind == "in" else "checked_out")
