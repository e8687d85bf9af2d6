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
# Signing keys are sealed under these (second = retired key-encryption key).
CERTIFICATE_KEY_ENCRYPTION_KEYS = [
    "q8mS1eXw7mVj3sVd1oYc2QmHq9f0a5KkXGqvU3l0b9o=",
    "3p0WnqkVxq8b8q0eS4m1Vfq3yX8Lw1tq2J7sQ8m6k2U=",
]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = env("MEDIA_ROOT", default="/tmp/tuoyu-test-media")  # noqa: S108
CERTIFICATE_FILES_ROOT = env("CERTIFICATE_FILES_ROOT", default="/tmp/tuoyu-test-certificates")  # noqa: S108
REPORT_FILES_ROOT = env("REPORT_FILES_ROOT", default="/tmp/tuoyu-test-reports")  # noqa: S108
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
