"""Public verification: the page a phone camera opens, the JSON API, the key set and the status lists.

Contract (docs/certificates-format.md describes the payload itself):

* ``GET /v/<payload>`` and ``/V/<payload>`` — an HTML page (Chinese by default) with a large status:
  valid / expired / revoked (date, reason category) / suspended / invalid. HTTP 200 for every decision,
  including ``invalid`` for text that is not a payload at all: a scanned code never lands on an error page,
  and revoked or expired certificates never look like a 404 or a forgery. 429 when rate-limited.
* ``GET /api/v1/certificates/verify/<payload>`` — the same decision as JSON
  ``{"status", "reason", "message", "certificate", "checked_at"}``; 200 for every decided payload
  (valid, expired, revoked, suspended, and invalid for an unknown key, a bad signature or an unknown
  certificate), 400 with ``status: "invalid", reason: "malformed"`` for text that does not decode, 429 when
  rate-limited. CORS is open (``*``): third parties verify from their own pages.
* ``GET /.well-known/jwks.json`` — the verification keys (active and rotated) as a JWK set.
* ``GET /certificates/status/<list_no>/<purpose>.jwt`` — the Bitstring Status List credential of one list
  (purpose ``revocation`` or ``suspension``) as a compact JWS (``typ: vc+jwt``) signed by the active key.

No response here is cacheable by shared caches except the key set and the status lists (short max-age).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lms.registry.selectors import VIEW, can_on

from .. import jose, selectors, signing, statuslist
from ..ratelimit import Limit, rate_limited
from ..services import keys as keys_service
from ..services import verification as verify_service
from ..verification import Reason, Status, Verification, public_fields

MAX_LIST_NO = 2**32 // statuslist.LIST_SIZE  # status indexes are uint32
STATUS_JWS_CACHE_SECONDS = 300


# --- rate limits --------------------------------------------------------------------------------


def page_rate(group, request) -> str:
    return getattr(settings, "CERTIFICATES_VERIFY_PAGE_RATE", "120/m")


def api_rate(group, request) -> str:
    return getattr(settings, "CERTIFICATES_VERIFY_API_RATE", "60/m")


def client_key(group, request) -> str:
    """Rate-limit per client: the same hashed address the verification log keeps."""
    return verify_service.client_of(request)


def limited_message() -> str:
    return _("Too many verification requests from your network. Please wait a minute and try again.")


# --- presentation --------------------------------------------------------------------------------

STATUS_LABELS = {
    Status.VALID: lambda: _("Valid"),
    Status.EXPIRED: lambda: _("Expired"),
    Status.REVOKED: lambda: _("Revoked"),
    Status.SUSPENDED: lambda: _("Suspended"),
    Status.INVALID: lambda: _("Invalid"),
}


def _invalid_message(reason: str) -> str:
    if reason == Reason.MALFORMED:
        return _("This is not a certificate code of this platform.")
    if reason == Reason.UNKNOWN_CERTIFICATE:
        return _("The signature is genuine but no such certificate is on record.")
    if reason == Reason.UNKNOWN_KEY:
        return _("The code was signed with a key this platform does not (or no longer) recognise.")
    return _("The signature does not match: the code was altered or was not issued by this platform.")


def _local_date(value):
    return timezone.localdate(value) if value else None


def _reason_label(certificate) -> str:
    display = getattr(certificate, "get_revocation_reason_display", None)
    return str(display()) if display and certificate.revocation_reason else ""


def describe(result: Verification) -> dict:
    """What page and API show of a decision (only masked, frozen data; never the full name)."""
    cert = result.certificate
    message = {
        Status.VALID: lambda: _("This certificate is genuine and valid."),
        Status.EXPIRED: lambda: _("This certificate is genuine but has expired."),
        Status.REVOKED: lambda: _("This certificate is genuine but has been revoked."),
        Status.SUSPENDED: lambda: _("This certificate is genuine but is suspended."),
        Status.INVALID: lambda: _invalid_message(result.reason),
    }[result.status]()
    info = {
        "status": result.status.value,
        "label": STATUS_LABELS[result.status](),
        "reason": result.reason or None,
        "message": message,
        "certificate": None,
        "checked_at": result.checked_at,
    }
    if cert is not None:
        fields = public_fields(cert.snapshot)
        fields["expires_on"] = cert.expires_on.isoformat() if cert.expires_on else None
        fields["revoked_on"] = d.isoformat() if (d := _local_date(cert.revoked_at)) else None
        fields["revocation_reason"] = cert.revocation_reason or None if result.status == Status.REVOKED else None
        fields["revocation_reason_label"] = _reason_label(cert) if result.status == Status.REVOKED else ""
        fields["suspended_on"] = d.isoformat() if (d := _local_date(getattr(cert, "suspended_at", None))) else None
        info["certificate"] = fields
    return info


def _has_photo(cert) -> bool:
    return bool(cert.snapshot.get("photo", True)) and bool(getattr(cert, "photo", None))


def _may_see_photo(request, result: Verification) -> bool:
    if result.certificate is None or not _has_photo(result.certificate):
        return False
    if result.status == Status.VALID:
        return True
    user = request.user
    return user.is_authenticated and can_on(user, VIEW, result.certificate.holder)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- views --------------------------------------------------------------------------------------


def _limit(group: str, rate, request) -> tuple[str, Limit]:
    """The client's hashed address and its rate limit on this endpoint (counted by the service with the check)."""
    client = verify_service.client_of(request)
    return client, Limit(group, client, rate(group, request))


@require_safe
def verify_page(request, payload: str):
    client, limit = _limit("verify-page", page_rate, request)
    try:
        result = verify_service.certificate_verify(
            payload=payload, channel="page", user=request.user, client=client, limit=limit
        )
    except verify_service.RateLimited:
        response = render(request, "certificates/limited.html", {"message": limited_message()}, status=429)
        response["Retry-After"] = "60"
        return _no_store(response)
    info = describe(result)
    context = {
        "result": info,
        "cert": info["certificate"],
        "photo": _may_see_photo(request, result),
        "payload": payload,
    }
    return _no_store(render(request, "certificates/verify.html", context))


@require_safe
def verify_api(request, payload: str):
    client, limit = _limit("verify-api", api_rate, request)
    try:
        result = verify_service.certificate_verify(
            payload=payload, channel="api", user=request.user, client=client, limit=limit
        )
    except verify_service.RateLimited:
        response = JsonResponse({"error": limited_message()}, status=429, json_dumps_params={"ensure_ascii": False})
        response["Retry-After"] = "60"
        return _cors(_no_store(response))
    info = describe(result)
    del info["label"]
    if info["certificate"] is not None:
        info["certificate"]["photo_url"] = (
            request.build_absolute_uri(_photo_path(payload)) if _may_see_photo(request, result) else None
        )
    info["checked_at"] = result.checked_at.isoformat().replace("+00:00", "Z")
    status = 400 if result.reason == Reason.MALFORMED else 200
    return _cors(_no_store(JsonResponse(info, status=status, json_dumps_params={"ensure_ascii": False})))


def _photo_path(payload: str) -> str:
    from django.urls import reverse

    return reverse("certificates:photo", kwargs={"payload": payload})


@require_safe
@rate_limited(key=client_key, rate=page_rate, group="verify-photo")
def photo(request, payload: str):
    """The frozen photo of a certificate: public while it is valid, else only for officers who may see the holder."""
    if getattr(request, "limited", False):
        return _no_store(HttpResponse(limited_message(), status=429, content_type="text/plain; charset=utf-8"))
    result = verify_service.decide(payload)
    if not _may_see_photo(request, result):
        raise Http404
    field = result.certificate.photo
    try:
        handle = field.open("rb")
    except (OSError, ValueError) as exc:
        raise Http404 from exc
    return _no_store(FileResponse(handle))


@require_safe
def jwks(request):
    keys = selectors.verification_keys()
    body = {"keys": [signing.jwk(bytes(public)) for _kid, public in sorted(keys.items())]}
    response = JsonResponse(body)
    response["Cache-Control"] = "public, max-age=300"
    return _cors(response)


@require_safe
def status_list(request, list_no: int, purpose: str):
    if purpose not in statuslist.PURPOSES or not 0 <= list_no < MAX_LIST_NO:
        raise Http404
    key = selectors.active_key()
    if key is None:
        raise Http404
    # Signed once per status change (status_version() moves on every revocation, suspension, reinstatement).
    cache_key = f"certificates:status-jws:{selectors.status_version()}:{key.kid}:{list_no}:{purpose}"
    token = cache.get(cache_key)
    if token is None:
        site = _site_url(request)
        credential = statuslist.status_credential(
            list_no=list_no,
            purpose=purpose,
            bits=selectors.status_bits(list_no, purpose),
            issuer=site,
            url=site + request.path,
            valid_from=timezone.now(),
        )
        token = jose.jws_sign(credential, keys_service.private_key(key), kid=key.kid, typ="vc+jwt")
        cache.set(cache_key, token, STATUS_JWS_CACHE_SECONDS)
    response = HttpResponse(token, content_type="application/vc+jwt")
    response["Cache-Control"] = "public, max-age=60"
    return _cors(response)


def _site_url(request) -> str:
    site = getattr(settings, "SITE_URL", "") or getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    return (site or request.build_absolute_uri("/")).rstrip("/")
