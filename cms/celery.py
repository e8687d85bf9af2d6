"""Celery application, wired the standard way for Django.

Without CELERY_BROKER_URL (the laptop default) settings make tasks run eagerly in process;
with it (Redis in production) run `celery -A cms worker` and `celery -A cms beat`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

app = Celery("cms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
