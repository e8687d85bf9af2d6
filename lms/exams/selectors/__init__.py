"""Reads of the exams app and who may see what, one module per area."""
