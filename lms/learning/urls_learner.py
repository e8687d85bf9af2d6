"""Learner pages and JSON endpoints (catalogue, enrollment, lessons, heartbeats)."""

urlpatterns = []
