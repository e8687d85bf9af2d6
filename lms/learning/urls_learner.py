"""Learner pages and JSON endpoints (catalogue, enrollment, lessons, heartbeats).

The catalogue, course and lesson pages are Wagtail pages (templates ``learning/*_page.html``);
these are the views around them.
"""

from django.urls import path

from .views import learner, learner_api

urlpatterns = [
    path("my/", learner.my_courses, name="my_courses"),
    path("hours/", learner.my_hours, name="my_hours"),
    path("enroll/<int:course_id>/", learner.enroll, name="enroll"),
    path("video/<int:lesson_id>/<int:media_id>/", learner.lesson_video, name="lesson_video"),
    path("api/heartbeat/", learner_api.heartbeat, name="api_heartbeat"),
    path("api/gate/", learner_api.gate, name="api_gate"),
    path("api/practice/", learner_api.practice, name="api_practice"),
]
