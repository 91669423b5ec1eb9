"""WSGI entry point for gunicorn: `gunicorn scis.wsgi`.

The search analyzer (Kiwi, a few hundred MB) is loaded here, at start-up, not
by the first search. With `gunicorn --preload` the master loads it once and
every worker shares those pages (see docs/operations.md).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scis.settings.production")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402

if settings.SEARCH_PRELOAD_ANALYZER:
    from scis.search.query import parse  # noqa: E402

    # Loads Kiwi, finishes its set-up (the first analysis takes a second)
    # and reads the synonym table.
    parse("스마트도시")
