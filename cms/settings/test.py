"""Test settings: SQLite in memory by default, PostgreSQL when DATABASE_URL is set."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production"  # noqa: S105
# Fixed keys so tests are deterministic; two keys exercise rotation (second = retired key).
FIELD_ENCRYPTION_KEYS = [
    "7Qm0Qd3o2Hq9kP7vQxwGq1t8F3lqv1yQy2eQZg7wV5A=",
    "Yl2mTt8n1aXbq3l3bL7Qm2k9Jz0vPp4s6w8xR1cD2eE=",
]
PERSONAL_ID_HASH_KEY = "test-only-hash-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = env("MEDIA_ROOT", default="/tmp/tuoyu-test-media")  # noqa: S108
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"] = {  # noqa: F405
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        "TEST": {"NAME": ":memory:"},
    }
# Tasks run in process unless a test points Celery at a real broker itself.
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
CELERY_RESULT_BACKEND = None
LANGUAGE_CODE = "zh-hans"
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Serve static files from the apps (no collectstatic) in this environment.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
DEMO_DATA_ALLOWED = True
