"""Public certificate URLs, mounted at the site root by cms.urls (paths are absolute on purpose:
the QR codes and the published key set and status lists must never move)."""

from django.urls import path, re_path

from .views import offline, public

app_name = "certificates"

urlpatterns = [
    # Verify URLs: the QR carries /V/ (QR alphanumeric mode is uppercase); /v/ is accepted too. Any text
    # after the prefix reaches the view, which answers "invalid" rather than 404 for what is not a payload.
    re_path(r"^V/(?P<payload>.*?)/?$", public.verify_page, name="verify"),
    re_path(r"^v/(?P<payload>.*?)/?$", public.verify_page, name="verify_lower"),
    re_path(r"^api/v1/certificates/verify/(?P<payload>.*?)/?$", public.verify_api, name="verify_api"),
    path("certificates/photo/<str:payload>", public.photo, name="photo"),
    path(".well-known/jwks.json", public.jwks, name="jwks"),
    path("certificates/status/<int:list_no>/<str:purpose>.jwt", public.status_list, name="status_list"),
    path("verify/offline/", offline.offline_page, name="offline"),
    path("verify/offline/sw.js", offline.service_worker, name="offline_sw"),
    path("verify/offline/manifest.webmanifest", offline.manifest, name="offline_manifest"),
    path("verify/offline/sync/token", offline.sync_token, name="offline_sync_token"),
    path("verify/offline/sync", offline.sync, name="offline_sync"),
]
