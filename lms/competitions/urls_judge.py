"""Judges' tablet pages (mounted at /competitions/judge/; url names ``competition_judge_*``, no namespace)."""

from django.urls import path

from .views import judge

urlpatterns = [
    path("", judge.stations, name="competition_judge_stations"),
    path("<int:station_id>/", judge.station, name="competition_judge_station"),
    path("<int:station_id>/sheets/<int:sheet_id>/", judge.mark, name="competition_judge_mark"),
    path("<int:station_id>/chief/", judge.chief, name="competition_judge_chief"),
    path("<int:station_id>/chief/sheets/<int:sheet_id>/reopen/", judge.reopen, name="competition_judge_reopen"),
]
