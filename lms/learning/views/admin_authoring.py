"""Admin (Wagtail) side of course authoring: templates, provider sections, workflow, requirements."""
