"""Candidate pages and the autosave API of theory exams."""

urlpatterns: list = []
