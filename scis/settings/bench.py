"""The benchmark harness (`make bench`): production settings, served over plain
HTTP on loopback, with background tasks run inline and logging kept quiet.

DATABASE_URL is set by the harness to its own database, never the site's.
"""

import os

# production.py refuses to start without a secret key; the bench serves only
# loopback and throwaway data, so a fixed one is enough.
os.environ.setdefault("SECRET_KEY", "bench-only-insecure-key")  # noqa: S105

from .production import *  # noqa: E402, F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The harness collects static files here, unhashed: pages only link to them,
# but WhiteNoise indexes them in every worker, as in production.
STATIC_ROOT = VAR_DIR / "bench" / "static"  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Inline by default; the memory measurement runs a real database task worker.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # Server errors (500s) still show; 404 warnings and chatter do not.
    "root": {"handlers": ["console"], "level": "ERROR"},
}

# The bench measures the API, not the rate limit.
API_ANON_RATE = None
