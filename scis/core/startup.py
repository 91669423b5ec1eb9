"""What a serving process does once, before its first request
(`scis/wsgi.py`; the bench does the same before timing searches)."""

import gc

from django.conf import settings


def prepare() -> None:
    """Load the search analyzer, then take every object made so far out of
    the garbage collector's sight.

    Kiwi costs a second on first use (SEARCH_PRELOAD_ANALYZER). A full
    collection walks every tracked object, and once Django and Wagtail have
    started that took about 110 ms here: it landed on whichever request
    happened to trigger it, the slowest of a fresh process's first searches.
    Objects made at start-up live as long as the process, so there is
    nothing for the collector to find among them. With `gunicorn --preload`
    the master freezes them before forking, which also keeps collections in
    the workers from writing to the memory pages they share with it.
    """
    if settings.SEARCH_PRELOAD_ANALYZER:
        from scis.search.query import parse

        # Loads Kiwi, finishes its set-up (the first analysis takes a
        # second) and reads the synonym table.
        parse("스마트도시")
    gc.collect()
    gc.freeze()
