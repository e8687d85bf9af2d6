"""Front-site URLs of learning, mounted at /learn/ by cms.urls."""

from django.urls import include, path

app_name = "learning"

urlpatterns = [
    path("", include("lms.learning.urls_learner")),
    path("class/", include("lms.learning.urls_classroom")),
]
