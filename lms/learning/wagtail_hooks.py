"""Wagtail hooks of learning: each module below registers its own hooks when imported."""

from .views import admin_authoring, admin_classroom, admin_enroll, admin_provider_enroll  # noqa: F401
