"""Public (logged-in) pages of the exams app, mounted at /exams/."""

from django.urls import include, path

app_name = "exams"

urlpatterns = [
    path("", include("lms.exams.urls_candidate")),
    path("practical/", include("lms.exams.urls_examiner")),
]
