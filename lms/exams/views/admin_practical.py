"""Wagtail admin: rubrics, practical sessions, examiners, results."""
