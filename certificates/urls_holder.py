"""The holder's certificate pages, mounted at /certificates/ by cms.urls (namespace ``certificates_holder``)."""

from django.urls import path, re_path

from .views import holder

app_name = "certificates_holder"

NUMBER = r"(?P<number>[0-9A-Za-z]{1,24})"

urlpatterns = [
    path("my/", holder.my_certificates, name="my_certificates"),
    re_path(rf"^{NUMBER}/pdf$", holder.certificate_pdf, name="pdf"),
    re_path(rf"^{NUMBER}/badge\.json$", holder.open_badge_json, name="badge_json"),
    re_path(rf"^{NUMBER}/badge\.jwt$", holder.open_badge_jwt, name="badge_jwt"),
]
