"""Classroom check-in pages (rotating QR codes)."""

urlpatterns = []
