"""Wagtail admin: sittings, candidates, proctor live view, marking queue."""
