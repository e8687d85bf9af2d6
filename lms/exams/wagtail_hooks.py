"""Wagtail admin registration of the exams app: each area's module registers its own viewsets and menu items."""

from .views import admin_bank, admin_practical, admin_sittings  # noqa: F401  (register their hooks on import)
