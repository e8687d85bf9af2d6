"""Writes of the competitions app: import the module you need (``from lms.competitions.services import entries``)."""
