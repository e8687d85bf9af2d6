"""Local development on a laptop: SQLite, tasks in process, generated local secrets."""

import secrets

from cryptography.fernet import Fernet

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)

# Secrets for this checkout only, generated once into var/dev.env (git-ignored) unless set in the
# environment. Never use these in production: production.py refuses to start without real ones.
_DEV_ENV = VAR_DIR / "dev.env"
if not _DEV_ENV.exists():
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _DEV_ENV.write_text(
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
        f"FIELD_ENCRYPTION_KEYS={Fernet.generate_key().decode()}\n"
        f"PERSONAL_ID_HASH_KEY={secrets.token_urlsafe(32)}\n"
        f"CERTIFICATE_KEY_ENCRYPTION_KEYS={Fernet.generate_key().decode()}\n"
    )
    _DEV_ENV.chmod(0o600)
if "CERTIFICATE_KEY_ENCRYPTION_KEYS=" not in _DEV_ENV.read_text():  # a var/dev.env from before certificates
    with _DEV_ENV.open("a") as _file:
        _file.write(f"CERTIFICATE_KEY_ENCRYPTION_KEYS={Fernet.generate_key().decode()}\n")
env.read_env(str(_DEV_ENV), overwrite=False)

SECRET_KEY = env("SECRET_KEY")
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS")
PERSONAL_ID_HASH_KEY = env("PERSONAL_ID_HASH_KEY")
CERTIFICATE_KEY_ENCRYPTION_KEYS = env.list("CERTIFICATE_KEY_ENCRYPTION_KEYS")
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Serve static files from the apps (no collectstatic) in this environment.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
DEMO_DATA_ALLOWED = True
