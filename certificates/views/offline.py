"""The offline verifier: an installable page (PWA), its web app manifest and its service worker.

The page verifies payloads in the browser (``static/certificates/offline.js``) from data the service
worker keeps: the JWK set and the signed status lists. The service worker is rendered from a template
so that it lists the exact (hashed, in production) static URLs it precaches; its bytes change whenever
one of them does, which makes browsers install the new version.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from lms.learning.choices import Occupation, SkillLevel

from .. import payload, selectors, statuslist
from ..models import Kind
from ..ratelimit import rate_limited
from ..services import verification as verify_service
from .public import STATUS_LABELS, api_rate, client_key, limited_message

SYNC_MAX_CHECKS = 50

STATIC_FILES = (
    "cms/site.css",
    "certificates/verify.css",
    "certificates/ed25519.js",
    "certificates/offline.js",
    "certificates/icon-192.png",
    "certificates/icon-512.png",
)
SCOPES = ("/verify/offline/", "/v/", "/V/")


def _status_lists() -> list[dict]:
    return [
        {
            "list": list_no,
            "purpose": purpose,
            "url": reverse("certificates:status_list", kwargs={"list_no": list_no, "purpose": purpose}),
        }
        for list_no in range(selectors.status_list_count())
        for purpose in statuslist.PURPOSES
    ]


@lru_cache(maxsize=1)
def _static_digest() -> str:
    """A digest of the verifier's static files' contents (so the worker updates when they change)."""
    digest = hashlib.sha256()
    for name in STATIC_FILES:
        path = finders.find(name)
        if path:
            with open(path, "rb") as fh:
                digest.update(fh.read())
    return digest.hexdigest()


def _labels() -> dict:
    occupations = {}
    for code, value in payload.OCCUPATION_CODES.items():
        if value:
            occupations[code] = str(Occupation(value).label)
    return {
        "statuses": {status.value: label() for status, label in STATUS_LABELS.items()} | {"unknown": _("Unconfirmed")},
        "kinds": {int(kind): str(kind.label) for kind in Kind},
        "occupations": occupations,
        "levels": {int(level): str(level.label) for level in SkillLevel},
    }


def _messages() -> dict:
    def both(forms) -> list[str]:  # [one, other]; each ngettext is written out so makemessages finds it
        return list(forms)

    return {
        "justNow": _("Data updated just now"),
        "minutesAgo": both(
            ngettext("Data updated %(n)s minute ago", "Data updated %(n)s minutes ago", n) for n in (1, 2)
        ),
        "hoursAgo": both(ngettext("Data updated %(n)s hour ago", "Data updated %(n)s hours ago", n) for n in (1, 2)),
        "daysAgo": both(ngettext("Data updated %(n)s day ago", "Data updated %(n)s days ago", n) for n in (1, 2)),
        "stale": _("connect to the network to refresh it"),
        "noData": _("No verification data on this device yet: open this page once with a network."),
        "expiredOn": _("Expired on %(date)s"),
        "noExpiry": _("No expiry"),
        "noCamera": _("The camera is not available; paste the link instead."),
        "noCode": _("No QR code found in the photo."),
        "messages": {
            "valid": _("The signature is genuine, and the certificate was neither revoked nor suspended."),
            "expired": _(
                "This certificate is genuine but the expiry date in its code has passed. If it was renewed, its "
                "new code or an online check shows the new date."
            ),
            "revoked": _("This certificate is genuine but has been revoked."),
            "suspended": _("This certificate is genuine but is suspended."),
            "invalid": _("The signature does not match: the code was altered or was not issued by this platform."),
            "malformed": _("This is not a certificate code of this platform."),
            "unknown_key": _("The code was signed with a key this platform does not (or no longer) recognise."),
            "bad_signature": _(
                "The signature does not match: the code was altered or was not issued by this platform."
            ),
            "no_status_list": _(
                "The signature is genuine, but this device has no revocation list for it: verify online."
            ),
            "no_data": _("No verification data on this device yet: open this page once with a network."),
            "unsupported": _("This browser cannot check signatures offline: verify online instead."),
        },
    }


@require_safe
def offline_page(request):
    config = {
        "jwks": reverse("certificates:jwks"),
        "statusLists": _status_lists(),
        "listSize": statuslist.LIST_SIZE,
        "serviceWorker": reverse("certificates:offline_sw"),
        "syncToken": reverse("certificates:offline_sync_token"),
        "sync": reverse("certificates:offline_sync"),
        "scopes": list(SCOPES),
        "labels": _labels(),
        "messages": _messages(),
    }
    response = render(request, "certificates/offline.html", {"config": config})
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def service_worker(request):
    page = reverse("certificates:offline")
    shell = [page, reverse("certificates:offline_manifest"), *(static(name) for name in STATIC_FILES)]
    data = [reverse("certificates:jwks"), *(entry["url"] for entry in _status_lists())]
    version = hashlib.sha256(json.dumps([shell, data, _static_digest()]).encode()).hexdigest()[:16]
    config = json.dumps({"version": version, "page": page, "shell": shell, "data": data})
    response = render(request, "certificates/sw.js", {"config": config}, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def manifest(request):
    page = reverse("certificates:offline")
    lang = get_language() or "zh-hans"
    body = {
        "name": _("Certificate verifier"),
        "short_name": _("Verifier"),
        "description": _("Verify childcare workforce certificates, also without a network."),
        "lang": "zh-CN" if lang == "zh-hans" else lang,
        "id": page,
        "start_url": page,
        "scope": page,
        "display": "standalone",
        "background_color": "#f7f7f5",
        "theme_color": "#c0392b",
        "icons": [
            {
                "src": static(f"certificates/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in (192, 512)
        ],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "no-cache"
    return response


# --- synchronising the checks made offline into the verification log ------------------------------


def _parse_at(value):
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


@never_cache
@require_safe
def sync_token(request):
    """A CSRF token for :func:`sync` (the cached page cannot carry one: it would go stale at the next login)."""
    return JsonResponse({"token": get_token(request)})


@require_POST
@rate_limited(key=client_key, rate=api_rate, group="offline-sync")
def sync(request):
    """Log the checks an offline verifier made: ``{"checks": [{"payload": "...", "at": "<ISO time>"}, ...]}``.

    CSRF-protected (the page gets a token from :func:`sync_token`), so the logged-in inspector is recorded as
    the one who checked. Each payload is decided again here; the log keeps the server's result.
    """
    if getattr(request, "limited", False):
        return JsonResponse({"error": limited_message()}, status=429, json_dumps_params={"ensure_ascii": False})
    try:
        checks = json.loads(request.body or b"").get("checks")
    except (ValueError, AttributeError, UnicodeDecodeError):
        checks = None
    if not isinstance(checks, list) or len(checks) > SYNC_MAX_CHECKS:
        return JsonResponse({"error": _("Send at most %(n)s checks.") % {"n": SYNC_MAX_CHECKS}}, status=400)
    client = verify_service.client_of(request)
    logged = 0
    for check in checks:
        if not isinstance(check, dict) or not isinstance(check.get("payload"), str):
            continue
        at = _parse_at(check.get("at"))
        verify_service.certificate_verify(
            payload=check["payload"], channel="offline-sync", user=request.user, client=client, at=at
        )
        logged += 1
    return JsonResponse({"logged": logged})
