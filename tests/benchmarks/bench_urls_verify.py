"""``bench_urls`` plus ``GET /bench/bare-get/<payload>``: the cheapest anonymous Django JSON GET, for comparison
with the certificate verify API (``GET /api/v1/certificates/verify/<payload>``).

The bare view goes through the same middleware and a URL of the same length, then answers a JSON object of
about the same size at once, without the database: what any public JSON GET costs before the verify API's
own work (decoding, the Ed25519 check, the certificate lookup, the verification log row, the rate-limit count).
"""

from django.http import JsonResponse
from django.urls import re_path
from django.views.decorators.http import require_safe

from tests.benchmarks.bench_urls import urlpatterns as bench_urlpatterns


@require_safe
def bare_get(request, payload: str):
    response = JsonResponse({"status": "valid", "reason": None, "message": "bench", "echo": payload[:16]})
    response["Cache-Control"] = "no-store, private"
    return response


urlpatterns = [re_path(r"^bench/bare-get/(?P<payload>.*?)/?$", bare_get), *bench_urlpatterns]
