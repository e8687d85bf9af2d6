"""Examiner pages of practical assessment (tablet-friendly mark entry)."""

urlpatterns: list = []
