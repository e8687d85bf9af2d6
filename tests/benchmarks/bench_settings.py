"""Settings of the heartbeat benchmark's gunicorn: the test settings on PostgreSQL, plus a bare JSON view.

Persistent database connections as in production (``CONN_MAX_AGE``); the URLconf adds the bare view
(``bench_urls``) next to the product's URLs, so both are served by the same processes.
"""

from cms.settings.test import *  # noqa: F403
from cms.settings.test import env

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = 60
ROOT_URLCONF = "tests.benchmarks.bench_urls"
ALLOWED_HOSTS = ["127.0.0.1"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
