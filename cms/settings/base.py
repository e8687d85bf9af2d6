"""Settings shared by every environment; safe defaults for production.

Everything secret or machine-specific comes from the environment (django-environ).
``dev`` and ``test`` fill in local values; ``production`` insists on real ones.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default=None)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # ours
    "cms",
    "lms.registry",
    "lms.learning",
    "lms.exams",
    "lms.competitions",
    "certificates",
    "reports",
    "reports.subsidies",
    # wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailmedia",
    "modelcluster",
    "taggit",
    # django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_celery_beat",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# DATABASE_URL selects PostgreSQL (postgres://user@host/db); without it, SQLite under var/.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server and in-process tasks read while one writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    # Grants admin access to users holding a back-office role (lms.registry roles).
    "lms.registry.auth.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Internationalisation: Simplified Chinese by default, English available.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "cms" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# `seed_demo` creates accounts with a published password: never in production.
DEMO_DATA_ALLOWED = False

# Cache: Redis in production (CACHE_URL=redis://...), per-process memory otherwise. Sessions are read
# from the cache and written through to the database, saving a query on every request (heartbeats).


def with_pooled_clients(config: dict) -> dict:
    """Django's Redis cache backend swapped for ``cms.cache.RedisCache`` (one client per pool, see there)."""
    if config.get("BACKEND") == "django.core.cache.backends.redis.RedisCache":
        return {**config, "BACKEND": "cms.cache.RedisCache"}
    return config


CACHES = {"default": with_pooled_clients(env.cache("CACHE_URL", default="locmemcache://"))}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Wagtail
WAGTAIL_SITE_NAME = "托育从业人员培训与持证平台"
WAGTAILADMIN_BASE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

# Personal data protection (lms.registry.crypto).
# FIELD_ENCRYPTION_KEYS: comma-separated Fernet keys, newest first; the first encrypts, all decrypt,
# so a key is rotated by prepending a new one and running `manage.py rotate_field_keys`.
# PERSONAL_ID_HASH_KEY: HMAC key for the lookup/uniqueness hash of ID numbers.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
PERSONAL_ID_HASH_KEY = env("PERSONAL_ID_HASH_KEY", default=None)

# Certificates (certificates app).
# CERTIFICATE_KEY_ENCRYPTION_KEYS: comma-separated Fernet keys (newest first) that seal the Ed25519 signing keys
# stored in the database; the first seals, all unseal. Production refuses to start without them.
CERTIFICATE_KEY_ENCRYPTION_KEYS = env.list("CERTIFICATE_KEY_ENCRYPTION_KEYS", default=[])
# The issuer named on certificates that no training provider issues, and in the signed status lists.
CERTIFICATE_ISSUER_NAME = env("CERTIFICATE_ISSUER_NAME", default="托育从业人员培训与评价平台")
# Certificate PDFs and frozen photos: private files, never served from MEDIA_URL (STORAGES["certificates"]
# takes precedence when configured).
CERTIFICATE_FILES_ROOT = env("CERTIFICATE_FILES_ROOT", default=str(VAR_DIR / "private" / "certificates"))
# Monthly report packs for the bureaus: private files served by checked views (STORAGES["reports"] takes
# precedence when configured).
REPORT_FILES_ROOT = env("REPORT_FILES_ROOT", default=str(VAR_DIR / "private" / "reports"))
# A TrueType CJK font for the PDFs (certificates.render.font_path); empty = the first known system font.
CERTIFICATE_FONT = env("CERTIFICATE_FONT", default="")
# Holders are reminded this many days before a certificate expires.
CERTIFICATE_REMINDER_DAYS = env.int("CERTIFICATE_REMINDER_DAYS", default=30)

# Celery: CELERY_BROKER_URL selects a broker (Redis in production); without it tasks run in process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None) or (CELERY_BROKER_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    # Uploaded rosters hold ID numbers: drop the (encrypted) upload once it is no longer needed.
    "purge-stale-roster-uploads": {
        "task": "lms.registry.tasks.purge_stale_roster_uploads",
        "schedule": 60 * 60 * 6,
    },
    # Certificates expiring soon: renew those whose holders now meet the rule, remind the others (once).
    "certificate-renewals-and-reminders": {
        "task": "certificates.tasks.renewal_reminders_task",
        "schedule": crontab(hour=6, minute=30),
    },
    # Exam attempts past their deadline plus grace: submitted and graded (the candidate's page may be closed).
    "exams-close-overdue-attempts": {
        "task": "lms.exams.tasks.close_overdue_attempts_task",
        "schedule": 60,
    },
    # The monthly report pack for officers (XLSX of every indicator table, stored with its hash).
    "reports-monthly-pack": {
        "task": "reports.tasks.build_monthly_packs_task",
        "schedule": crontab(day_of_month=1, hour=3, minute=0),
    },
}

# Security headers that are harmless in every environment; production tightens further.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Bureau JSON API (reports) -------------------------------------------------------------------
# Bureau systems authenticate with a token (``Authorization: Token <key>``); officers browsing the
# API from the admin use their session. The OpenAPI document is generated by drf-spectacular.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Childcare workforce platform: bureau statistics API",
    "DESCRIPTION": "Certified-staff rates, training person-times and targets per region (see docs/reports.md).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # only the bureau API (not Wagtail's admin API), in the schema view and in `check --deploy`
    "DEFAULT_GENERATOR_CLASS": "reports.schema.BureauAPISchemaGenerator",
}
