"""Timing requests against the running server, and counting the database
queries behind each kind of page (in-process, with Django's test client)."""

import math
from dataclasses import dataclass

from .pages import Scenario
from .server import GunicornServer


@dataclass
class Timing:
    """Client-side wall times of one scenario's requests, in seconds."""

    scenario: Scenario
    seconds: list[float]
    response_bytes: int
    queries: float | None = None

    def percentile(self, fraction: float) -> float:
        """Nearest-rank percentile, in milliseconds."""
        ordered = sorted(self.seconds)
        rank = max(1, math.ceil(fraction * len(ordered)))
        return ordered[rank - 1] * 1000

    @property
    def p50(self) -> float:
        return self.percentile(0.50)

    @property
    def p95(self) -> float:
        return self.percentile(0.95)

    @property
    def max(self) -> float:
        return max(self.seconds) * 1000

    @property
    def mean(self) -> float:
        return sum(self.seconds) / len(self.seconds) * 1000


class BadResponse(RuntimeError):
    pass


def _get(server: GunicornServer, url: str) -> tuple[bytes, float]:
    status, body, seconds = server.get(url)
    if status != 200:
        raise BadResponse(f"GET {url} answered {status}:\n{server.log_tail()}")
    return body, seconds


def verify(server: GunicornServer, scenarios: list[Scenario], per_scenario: int = 5):
    """A 200 for the first few URLs of every scenario before timing anything."""
    for scenario in scenarios:
        for url in scenario.urls[:per_scenario]:
            _get(server, url)


def time_scenario(
    server: GunicornServer, scenario: Scenario, warmup: int, requests: int
) -> Timing:
    """`warmup` untimed requests, then `requests` timed ones, one at a time,
    rotating over the scenario's URLs (the timed ones start after those the
    warm-up used, so a rotating row is not timed on URLs it just warmed)."""
    urls = scenario.urls
    if scenario.warm_all:
        warmup = max(warmup, len(urls))
    for i in range(warmup):
        _get(server, urls[i % len(urls)])
    seconds = []
    size = 0
    for i in range(warmup, warmup + requests):
        body, elapsed = _get(server, urls[i % len(urls)])
        seconds.append(elapsed)
        size += len(body)
    return Timing(scenario, seconds, size // max(1, requests))


def count_queries(timing: Timing, sample: int = 10) -> None:
    """SQL queries per request of the scenario: the mean over up to `sample`
    of its URLs, rendered in this process with Django's test client.

    Only the count: query times as Django records them leave out fetching
    the rows, where SQLite does most of its work."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    urls = timing.scenario.urls[:sample]
    client.get(urls[0])  # fill per-process caches, as the warm-up did
    queries = 0
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200:
            raise BadResponse(f"in-process GET {url} answered {response.status_code}")
        queries += len(captured.captured_queries)
    timing.queries = queries / len(urls)
