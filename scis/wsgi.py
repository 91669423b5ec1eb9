"""WSGI entry point for gunicorn: `gunicorn scis.wsgi`.

The search analyzer (Kiwi, a few hundred MB) is loaded here, at start-up, not
by the first search, and start-up objects are frozen out of the garbage
collector's walks (`scis.core.startup`). With `gunicorn --preload` the
master does both once and every worker shares those pages (see
docs/operations.md).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scis.settings.production")

application = get_wsgi_application()

from scis.core.startup import prepare  # noqa: E402

prepare()
