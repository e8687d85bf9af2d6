"""The product's URLs plus ``/bench/bare/``: the cheapest authenticated Django JSON POST, for comparison.

The bare view goes through the same middleware (session, CSRF, authentication) and JSON parsing as
the heartbeat endpoint and looks up the user, then answers at once: what any logged-in JSON call
costs before the heartbeat's own work (lesson, enrollment, row locks, progress write).
"""

import json

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_POST

from cms.urls import urlpatterns as product_urlpatterns


@require_POST
def bare(request):
    data = json.loads(request.body or b"{}")
    return JsonResponse({"ok": request.user.is_authenticated, "echo": data.get("lesson")})


urlpatterns = [path("bench/bare/", bare), *product_urlpatterns]
