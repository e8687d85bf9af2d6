"""The OpenAPI document of the bureau JSON API (drf-spectacular).

It covers this API only (``/reports/api/v1/``), at the paths it is served under: not Wagtail's own admin API,
which also runs on Django REST framework. Set as drf-spectacular's ``DEFAULT_GENERATOR_CLASS``, so the schema
view and ``manage.py check --deploy`` (which generates the document as a check) see the same endpoints.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.urls import include, path
from drf_spectacular.generators import SchemaGenerator


def api_urlconf() -> SimpleNamespace:
    """A URLconf of the API alone, under ``/reports/`` as the site serves it."""
    from .urls import api_patterns

    return SimpleNamespace(urlpatterns=[path("reports/", include((api_patterns, "reports")))])


class BureauAPISchemaGenerator(SchemaGenerator):
    def __init__(self, *args, urlconf=None, **kwargs):
        super().__init__(*args, urlconf=urlconf if urlconf is not None else api_urlconf(), **kwargs)
