"""Bureau statistics: the JSON API for bureau systems (``/reports/api/v1/``) and its OpenAPI document."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import api
from .selectors.statistics import INDICATORS

app_name = "reports"

api_patterns = [
    path("api/v1/regions/", api.RegionsView.as_view(), name="api-regions"),
    path("api/v1/targets/progress/", api.ProgressView.as_view(), name="api-target-progress"),
    *[path(f"api/v1/indicators/{code}/", api.indicator_view(code), name=f"api-{code}") for code in INDICATORS],
]

urlpatterns = [
    # the document covers this API only (not Wagtail's admin API): reports.schema, the default generator
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    *api_patterns,
]
