"""Celery application, wired the standard way for Django.

Without CELERY_BROKER_URL (the laptop default) settings make tasks run eagerly in process;
with it (Redis in production) run `celery -A cms worker` and `celery -A cms beat`
(the beat schedule, e.g. the daily certificate renewals and reminders, is CELERY_BEAT_SCHEDULE in settings).
"""

import logging
import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

logger = logging.getLogger(__name__)

app = Celery("cms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def warm_certificate_font(**kwargs):
    """Parse the certificate PDFs' CJK font (~0.5 s) when a worker process starts, not in its first PDF task."""
    from certificates.fonts import FontMissing, registered_font

    try:
        registered_font()
    except FontMissing as exc:  # the PDF tasks will fail and retry; say why once, at start
        logger.warning("certificate PDFs cannot be rendered: %s", exc)
