"""Candidate pages and the autosave API of theory exams (mounted at /exams/, namespace ``exams``)."""

from django.urls import path

from .views import candidate

urlpatterns = [
    path("", candidate.my_exams, name="my_exams"),
    path("sittings/<int:sitting_id>/register", candidate.register, name="register"),
    path("sittings/<int:sitting_id>/start", candidate.start, name="start"),
    path("attempts/<int:pk>/", candidate.attempt_page, name="attempt"),
    path("attempts/<int:pk>/answers", candidate.answer_api, name="answers"),
    path("attempts/<int:pk>/submit", candidate.submit, name="submit"),
    path("attempts/<int:pk>/result", candidate.result, name="result"),
]
