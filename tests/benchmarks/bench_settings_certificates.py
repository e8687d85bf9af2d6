"""Settings of the certificate benchmarks' subprocesses (gunicorn, Celery workers, setup): ``bench_settings``
(the test settings on PostgreSQL, persistent connections) plus:

* ``bench_urls_verify``: the product's URLs, the heartbeat benchmark's bare POST view and a bare GET view;
* the verify rate limits raised far above what one benchmark client sends (all its requests come from
  127.0.0.1, one "client"): the limiter still counts every request in the cache, as in production, it just
  never answers 429;
* the verification log written in batches of 50 as in production (``CERTIFICATES_VERIFY_LOG_BATCH``);
* the cache on Redis as in production (``BENCH_CACHE_URL``, default ``redis://127.0.0.1:6379/7``): the
  verify API's rate-limit counts, status version and cached certificates are shared by the gunicorn workers,
  not one cold per-process memory cache each;
* Celery on the broker in ``CELERY_BROKER_URL`` when set (the PDF benchmark's Redis, results there too),
  else in process as in the test settings.
"""

from cms.settings.base import with_pooled_clients
from tests.benchmarks.bench_settings import *  # noqa: F403
from tests.benchmarks.bench_settings import env

ROOT_URLCONF = "tests.benchmarks.bench_urls_verify"
CACHES = {"default": with_pooled_clients(env.cache("BENCH_CACHE_URL", default="redis://127.0.0.1:6379/7"))}
CERTIFICATES_VERIFY_API_RATE = "1000000/m"
CERTIFICATES_VERIFY_PAGE_RATE = "1000000/m"
CERTIFICATES_VERIFY_LOG_BATCH = 50  # as production: log rows written in batches
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_RESULT_BACKEND = CELERY_BROKER_URL or None
