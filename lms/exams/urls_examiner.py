"""Examiner pages of practical assessment (tablet-friendly mark entry), mounted at /exams/practical/."""

from django.urls import path

from .views import examiner

urlpatterns = [
    path("", examiner.sessions, name="practical_sessions"),
    path("results/", examiner.my_results, name="practical_my_results"),
    path("<int:session_id>/", examiner.session, name="practical_session"),
    path("<int:session_id>/candidates/<int:candidate_id>/", examiner.mark, name="practical_mark"),
    path("<int:session_id>/chief/", examiner.chief, name="practical_chief"),
    path("<int:session_id>/chief/sheets/<int:sheet_id>/", examiner.change, name="practical_change"),
]
