"""Bureau statistics: the JSON API for bureau systems and report-pack downloads."""

urlpatterns: list = []
