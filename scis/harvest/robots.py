"""robots.txt for the harvester: read once per site (scheme, host, port) per
`Fetcher`, interpreted as RFC 9309 says.

- 2xx: the rules apply (parsed by protego; at most `MAX_ROBOTS_BYTES` read).
- 4xx (404 above all): "unavailable", so everything is allowed.
- 5xx, or the file could not be fetched at all: "unreachable", so nothing is
  fetched from the site for now; asked again after `RETRY_UNREACHABLE_SECONDS`.

`Crawl-delay` (or `Request-rate`) for our user agent can only slow the
harvester down: `fetching` waits for the longer of it and
HARVEST_HOST_INTERVAL_MS between two requests to one host. A delay above
`MAX_CRAWL_DELAY` counts as that much, so one site cannot hold a worker
(and its job) for hours between two pages.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from protego import Protego

# RFC 9309 §2.5: crawlers must parse at least 500 KiB.
MAX_ROBOTS_BYTES = 512 * 1024
RETRY_UNREACHABLE_SECONDS = 300.0
UNREACHABLE = 0  # the status recorded when robots.txt could not be fetched
MAX_CRAWL_DELAY = 60.0


@dataclass
class Robots:
    """What one site's robots.txt says."""

    status: int
    rules: Protego | None = None
    read_at: float = 0.0  # time.monotonic() of the read
    problem: str = ""  # why the file could not be read, for the error message

    @property
    def unreachable(self) -> bool:
        return self.status == UNREACHABLE or self.status >= 500

    def allows(self, url: str, user_agent: str) -> bool:
        """May `user_agent` fetch `url`?"""
        if self.unreachable:
            return False
        if self.rules is None:
            return True
        return self.rules.can_fetch(url, user_agent)

    def delay(self, user_agent: str) -> float:
        """Seconds the site asks between two requests (0 when it says nothing)."""
        if self.rules is None:
            return 0.0
        delay = self.rules.crawl_delay(user_agent) or 0.0
        rate = self.rules.request_rate(user_agent)
        if rate and rate.requests:
            delay = max(delay, rate.seconds / rate.requests)
        return min(MAX_CRAWL_DELAY, max(0.0, float(delay)))

    def stale(self, now: float) -> bool:
        """Should the file be read again? Only after it was unreachable."""
        return self.unreachable and now - self.read_at >= RETRY_UNREACHABLE_SECONDS


def interpret(status: int, body: bytes = b"", problem: str = "") -> Robots:
    """The `Robots` for a robots.txt answer (`status` 0 when unreachable)."""
    now = time.monotonic()
    if 200 <= status < 300:
        text = body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
        return Robots(status, Protego.parse(text), now)
    if 400 <= status < 500:
        return Robots(status, None, now)
    return Robots(status, None, now, problem or f"HTTP {status}")


class RobotsCache:
    """Each site's robots.txt, read at most once at a time (thread-safe: the
    pipeline's workers share one Fetcher, and the first to need a site's
    rules reads them while the others wait)."""

    def __init__(self) -> None:
        self._robots: dict[str, Robots] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, origin: str, read: Callable[[], Robots]) -> Robots:
        """The rules for `origin` ("https://host:port"), calling `read` when
        they are not known yet (or were unreachable a while ago)."""
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            known = self._robots.get(origin)
            if known is None or known.stale(time.monotonic()):
                known = self._robots[origin] = read()
            return known
