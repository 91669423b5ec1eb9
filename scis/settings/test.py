"""The test suite: `make test`. DATABASE_URL selects PostgreSQL."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Tests read mail.outbox; the portal the browser tests start sends real mail
# to their SMTP server on 127.0.0.1 instead (tests/browser/conftest.py).
EMAIL_BACKEND = os.environ.get(
    "SCIS_TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
WAGTAILADMIN_BASE_URL = "http://testserver"
# Browser tests run a real server with DEBUG off: serve static files from the
# app folders through WhiteNoise, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The suite makes many API requests a minute; the rate-limit test sets one.
API_ANON_RATE = None
# Each test process publishes open data into its own temporary folder.
# (A portal the browser tests start sets OPEN_DATA_ROOT for all its processes.)
OPEN_DATA_ROOT = Path(
    os.environ.get("OPEN_DATA_ROOT")
    or Path(tempfile.gettempdir()) / f"scis-test-opendata-{os.getpid()}"
)
HARVEST_WARC_ROOT = Path(tempfile.gettempdir()) / f"scis-test-warc-{os.getpid()}"
# Tests fetch from their own 127.0.0.1 site: no pause between requests.
HARVEST_HOST_INTERVAL_MS = 0
# The demo archive is small: keep the postings of words that a few dozen of
# its documents hold, so every search test runs through kept postings for
# its common words and through the engine for the others.
SEARCH_COMMON_TERM_DOCUMENTS = 20
