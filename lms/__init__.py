"""Workforce registry, learning, exams and competitions (one small Django app per domain)."""
