"""Admin (Wagtail) side of classroom sessions and attendance."""
