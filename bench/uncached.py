"""What the projects' GeoJSON and figures, and searches, cost when nothing is
cached: right after a publish (the catalogue version changes, so every cached
body, row list and search result is stale) or for a filter or query nobody
asked for yet.

The served rows cannot show it for unfiltered requests, as the app caches
them and the harness cannot bump the version from outside between requests.
So this runs in the bench's own process, against the bench database, with
Django's cache cleared before every call: no HTTP, no gunicorn.
"""

import json
import time
from collections.abc import Callable
from functools import partial

from .measure import Timing
from .pages import Scenario

LANGUAGES = ("ko", "en")
BASE_URL = "http://localhost"


def _geojson_body(language: str) -> bytes:
    """The unfiltered collection, built and encoded as the API view does."""
    from django.utils import translation

    from scis.projects.api import feature_collection
    from scis.projects.queries import ProjectFilters, _build_rows

    with translation.override(language):
        rows = _build_rows(language, ProjectFilters())
        collection = feature_collection(rows, BASE_URL, language, [])
        return json.dumps(collection, ensure_ascii=False).encode("utf-8")


def _rows(language: str) -> list:
    from scis.projects.queries import ProjectFilters, _build_rows

    return _build_rows(language, ProjectFilters())


def _figures(language: str) -> list:
    """The four figures and their eight charts, as the figures page has them."""
    from django.utils import translation

    from scis.projects.figures import build_figures, charts_for
    from scis.projects.queries import ProjectFilters, _build_rows

    with translation.override(language):
        rows = _build_rows(language, ProjectFilters())
        return [(f, charts_for(f, language)) for f in build_figures(rows)]


def _request(urls: dict[str, str]) -> Callable[[str], object]:
    """A whole request for the language's URL through Django's test client."""

    def get(language: str) -> object:
        from django.test import Client

        url = urls[language]
        response = Client(HTTP_HOST="localhost").get(url)
        if response.status_code != 200:
            raise RuntimeError(f"in-process GET {url} answered {response.status_code}")
        return response.content

    return get


def _time(
    name: str, description: str, work: Callable[[str], object], runs: int
) -> Timing:
    """`runs` calls of `work`, alternating languages, the cache cleared
    before each; one untimed call first (imports, template loading)."""
    calls = [partial(work, LANGUAGES[i % len(LANGUAGES)]) for i in range(runs)]
    return _time_calls(name, description, calls)


def _time_calls(
    name: str, description: str, calls: list[Callable[[], object]]
) -> Timing:
    """Each call once, the cache cleared before each; the first also once
    untimed before (imports, template loading), and again to count queries."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    calls[0]()
    seconds = []
    size = 0
    for call in calls:
        cache.clear()
        started = time.perf_counter()
        result = call()
        seconds.append(time.perf_counter() - started)
        if isinstance(result, bytes):
            size += len(result)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        calls[0]()
    timing = Timing(Scenario(name, [], description), seconds, size // len(calls))
    timing.queries = len(captured.captured_queries)
    return timing


def searches(log) -> list[Timing]:
    """The search, uncached: every evaluation-set query, and place + subject
    searches with filters, each once with an empty cache. After a publish
    every query is new to the cache, so this is what readers wait for."""
    from urllib.parse import parse_qsl, urlsplit

    from django.http import QueryDict

    from scis.core.startup import prepare
    from scis.search.searching import search

    from .pages import varied_searches
    from .relevance import load_evaluation

    def call(params: dict, language: str) -> Callable[[], object]:
        query = QueryDict(mutable=True)
        query.update(params)
        return lambda: search(query, language)

    evaluation = [call({"q": q.query}, q.lang) for q in load_evaluation()]
    varied = []
    for url in varied_searches(20, 2026).urls:
        parts = urlsplit(url)
        language = "en" if parts.path.startswith("/en/") else "ko"
        varied.append(call(dict(parse_qsl(parts.query)), language))
    cases = [
        (
            "search, uncached (in process)",
            f"searching.search() for each of the {len(evaluation)} evaluation-set "
            "queries (bare nouns, particles, phrases, typos…), Korean and English: "
            "match, facet counts, ranking, snippets, with an empty cache",
            evaluation,
        ),
        (
            "search varied, uncached (in process)",
            f"searching.search() for {len(varied)} place + subject searches, half "
            "with a year filter, with an empty cache",
            varied,
        ),
    ]
    # The same again: the process has now searched before (its Kiwi word
    # cache and the common words' postings it keeps are warm, as in a web
    # worker after a publish, which clears only the cache).
    cases.append(
        (
            "search, uncached, process warm (in process)",
            "the evaluation-set queries again, each with an empty cache, in the "
            "process that has just run them: a web worker after a publish",
            evaluation,
        )
    )
    # What a gunicorn worker has done before its first request
    # (scis/wsgi.py): Kiwi loaded, the objects made so far frozen out of the
    # garbage collector's walks.
    prepare()
    timings = []
    for name, description, calls in cases:
        timings.append(_time_calls(name, description, calls))
        log(f"  {name}: p95 {timings[-1].p95:.1f} ms")
    return timings


def projects(runs: int, log) -> list[Timing]:
    """Uncached p50/p95/max of the projects' data and pages, in process."""
    from scis.projects.models import ProjectsIndexPage

    index = {
        page.locale.language_code: page.get_url()
        for page in ProjectsIndexPage.objects.select_related("locale")
    }
    cases = [
        (
            "projects rows, uncached (in process)",
            "queries._build_rows() for every listed project, ko and en "
            "alternating: the catalogue-filtered values query, topic and "
            "province links, taxonomy names, one ProjectRow per project",
            _rows,
        ),
        (
            "projects geojson, uncached (in process)",
            "_build_rows() + api.feature_collection() + json.dumps(), "
            "unfiltered, ko and en alternating: what the GeoJSON view does on "
            "a cache miss, without HTTP",
            _geojson_body,
        ),
        (
            "projects figures, uncached (in process)",
            "_build_rows() + figures.build_figures() + charts_for() for all "
            "four figures, unfiltered, ko and en alternating (no template)",
            _figures,
        ),
        (
            "projects geojson request, uncached (in process)",
            "the whole GET /api/v1/projects/geojson/ (and ?lang=en) through "
            "Django's test client (middleware, filters, version lookup, view, "
            "encoding) with an empty cache",
            _request(
                {
                    "ko": "/api/v1/projects/geojson/",
                    "en": "/api/v1/projects/geojson/?lang=en",
                }
            ),
        ),
        (
            "projects figures page, uncached (in process)",
            f"the whole GET {index['ko']}figures/ (and {index['en']}figures/) "
            "through Django's test client (filter options, rows, figures, "
            "template) with an empty cache",
            _request({lang: f"{url}figures/" for lang, url in index.items()}),
        ),
    ]
    timings = []
    for name, description, work in cases:
        timings.append(_time(name, description, work, runs))
        log(f"  {name}: p95 {timings[-1].p95:.1f} ms")
    return timings
