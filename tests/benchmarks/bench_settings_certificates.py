"""Settings of the certificate benchmarks' subprocesses (gunicorn, Celery workers, setup): ``bench_settings``
(the test settings on PostgreSQL, persistent connections) plus:

* ``bench_urls_verify``: the product's URLs, the heartbeat benchmark's bare POST view and a bare GET view;
* the verify rate limits raised far above what one benchmark client sends (all its requests come from
  127.0.0.1, one "client"): the limiter still counts every request in the cache, as in production, it just
  never answers 429;
* Celery on the broker in ``CELERY_BROKER_URL`` when set (the PDF benchmark's Redis, results there too),
  else in process as in the test settings.
"""

from tests.benchmarks.bench_settings import *  # noqa: F403
from tests.benchmarks.bench_settings import env

ROOT_URLCONF = "tests.benchmarks.bench_urls_verify"
CERTIFICATES_VERIFY_API_RATE = "1000000/m"
CERTIFICATES_VERIFY_PAGE_RATE = "1000000/m"
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_RESULT_BACKEND = CELERY_BROKER_URL or None
