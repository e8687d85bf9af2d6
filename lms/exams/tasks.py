"""Celery tasks of the exams app: thin wrappers that call one service."""

from celery import shared_task

from .services.attempts import attempts_close_overdue


@shared_task
def close_overdue_attempts_task() -> int:
    """Submit and grade attempts past their deadline plus grace (beat: every minute; idempotent)."""
    return attempts_close_overdue()
