"""Public pages of competitions (mounted at /competitions/ from cms/urls.py; url names ``competition_*``, no
namespace) and the judges' pages under judge/."""

from django.urls import include, path

from .views import public

urlpatterns = [
    path("", public.competition_list, name="competition_list"),
    path("judge/", include("lms.competitions.urls_judge")),
    path("<int:competition_id>/", public.detail, name="competition_detail"),
    path("<int:competition_id>/scoreboard/", public.scoreboard, name="competition_scoreboard"),
    path("<int:competition_id>/scoreboard.json", public.scoreboard_json, name="competition_scoreboard_json"),
    path("<int:competition_id>/results/", public.results, name="competition_results"),
]
