"""Writes of the exams app, one module per area (import from the submodule: ``services.attempts`` …)."""
