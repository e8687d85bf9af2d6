"""Views of the exams app: candidate and examiner pages, and Wagtail admin views (one module per area)."""
