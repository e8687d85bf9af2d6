"""Wagtail admin: question banks, questions, blueprints (XLSX import/export)."""
