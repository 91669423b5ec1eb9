"""Polite and safe HTTP fetching for the harvester (DESIGN.md §7: nothing
harvested is trusted).

CONTRACT (other modules rely on it; keep the names):
- `Fetcher(allow_private=False, *, user_agent=None, timeout=None,
  max_bytes=None, max_redirects=None, host_interval=None,
  host_concurrency=None, respect_robots=True)` (None: the HARVEST_* setting),
  used as a context manager or closed with `close()`; safe to share between
  threads.
- `Fetcher.get(url, *, etag="", last_modified="", accept=()) -> Response`:
  a 200 or a 304 (when a validator was given and the server agrees);
  anything else raises a `FetchError` subclass whose message says what
  happened and what to do next: `BadStatus(url, status)`, `AddressRefused`,
  `RobotsDisallowed`, `TooLarge`, `TooManyRedirects`, `WrongContentType`,
  `FetchTimeout`. httpx's own exceptions never leak out.
- `Response`: url (final, after redirects), status, headers, content
  (bytes, decompressed), content_type, charset, etag, last_modified,
  http_headers (list of (name, value) as received, for the WARC record),
  reason, `not_modified`, and `text()` (decoded with `encoding.decode`).

What "polite and safe" means here:
- Every connection, each redirect hop and each robots.txt included, goes
  through the address guard in `addresses.py` after DNS resolution.
- Redirects are followed by hand (at most `max_redirects`), each hop checked
  again: scheme, credentials, address, robots.txt.
- robots.txt is read once per site (`robots.py`); its Crawl-delay can only
  slow us down.
- Per host: at most `host_concurrency` requests in flight and
  `host_interval` seconds between two request starts.
- Caps: connect/read timeouts of `timeout` seconds, and each request must be
  over within `timeout` seconds in all (a server trickling bytes forever
  still stops); `max_bytes` both on the wire and after decompression,
  counted while streaming (a gzip bomb stops early), and a Content-Length
  above it is refused before reading.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from django.conf import settings

from . import addresses, robots
from .addresses import AddressRefusedError, GuardedBackend

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CONTENT_STATUSES = frozenset({200, 203})
# robots.txt may redirect up to five times (RFC 9309 §2.3.1.2).
ROBOTS_MAX_REDIRECTS = 5
# Decompress in steps of this size, so memory stays small whatever the ratio.
INFLATE_STEP = 64 * 1024


class FetchError(Exception):
    """A fetch failed; the message says what happened and what to do next."""


class BadStatus(FetchError):
    def __init__(self, url: str, status: int):
        self.url = url
        self.status = status
        super().__init__(
            f"{url} answered HTTP {status}; check the address, or wait if the "
            "site is down (the next run retries)."
        )


class AddressRefused(FetchError):
    """The address is not one the harvester may reach (see `addresses.py`),
    or the URL is not a plain http(s) one."""


class RobotsDisallowed(FetchError):
    """The site's robots.txt forbids the harvester this URL (or could not be
    read, which RFC 9309 says to treat as "not now")."""


class TooLarge(FetchError):
    pass


class TooManyRedirects(FetchError):
    pass


class WrongContentType(FetchError):
    def __init__(self, url: str, content_type: str, accept: tuple[str, ...]):
        self.content_type = content_type
        super().__init__(
            f"{url} is {content_type or 'of no stated type'}, not "
            f"{' or '.join(accept)}; check that the address points at the "
            "feed or page itself rather than at a page about it."
        )


class FetchTimeout(FetchError):
    pass


@dataclass
class Response:
    url: str
    status: int
    content: bytes = b""
    content_type: str = ""
    charset: str = ""
    etag: str = ""
    last_modified: str = ""
    reason: str = ""
    http_headers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def headers(self) -> httpx.Headers:
        """The headers, looked up without regard to case."""
        return httpx.Headers(self.http_headers)

    def text(self) -> str:
        from .encoding import decode

        return decode(self.content, self.charset, self.content_type)


@dataclass
class _Redirect:
    location: str


class Fetcher:
    """Fetches pages for one source (see the module docstring)."""

    def __init__(
        self,
        allow_private: bool = False,
        *,
        user_agent: str | None = None,
        timeout: float | None = None,
        max_bytes: int | None = None,
        max_redirects: int | None = None,
        host_interval: float | None = None,
        host_concurrency: int | None = None,
        respect_robots: bool = True,
    ):
        self.allow_private = allow_private
        self.user_agent = user_agent or settings.HARVEST_USER_AGENT
        self.timeout = float(
            timeout if timeout is not None else settings.HARVEST_TIMEOUT_SECONDS
        )
        self.max_bytes = (
            max_bytes if max_bytes is not None else settings.HARVEST_MAX_BYTES
        )
        self.max_redirects = (
            max_redirects
            if max_redirects is not None
            else settings.HARVEST_MAX_REDIRECTS
        )
        self.respect_robots = respect_robots
        self.hosts = HostGate(
            host_interval
            if host_interval is not None
            else settings.HARVEST_HOST_INTERVAL_MS / 1000,
            host_concurrency or settings.HARVEST_HOST_CONCURRENCY,
        )
        self.robots = robots.RobotsCache()
        self.client = httpx.Client(
            transport=_guarded_transport(allow_private),
            headers={
                "User-Agent": self.user_agent,
                # Only what `_body` can decompress with a size cap.
                "Accept-Encoding": "gzip, deflate",
            },
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=False,
            trust_env=False,  # no proxy from the environment around the guard
        )

    # Public --------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        etag: str = "",
        last_modified: str = "",
        accept: tuple[str, ...] = (),
    ) -> Response:
        """Fetch `url` (see the CONTRACT in the module docstring)."""
        # Validators go back byte for byte as they came (`http_headers` holds
        # them decoded as latin-1).
        headers: dict[bytes, bytes] = {}
        if etag:
            headers[b"If-None-Match"] = etag.encode("latin-1", "replace")
        if last_modified:
            headers[b"If-Modified-Since"] = last_modified.encode("latin-1", "replace")
        seen = [url]
        current = url
        for _hop in range(self.max_redirects + 1):
            _check_url(current)
            delay = self._robots_delay(current) if self.respect_robots else 0.0
            answer = self._request(
                current, headers, accept=accept, max_bytes=self.max_bytes, delay=delay
            )
            if isinstance(answer, Response):
                return answer
            current = answer.location
            if current in seen:
                raise TooManyRedirects(
                    f"{url} redirects in a loop ({' -> '.join([*seen, current])}); "
                    "tell the site's webmaster, or use the address the page "
                    "really lives at."
                )
            seen.append(current)
        raise TooManyRedirects(
            f"{url} redirected more than {self.max_redirects} times "
            f"(last to {current}); use the address the page really lives at."
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # One request ---------------------------------------------------------

    def _request(
        self,
        url: str,
        headers: Mapping[bytes, bytes],
        *,
        accept: tuple[str, ...],
        max_bytes: int,
        delay: float = 0.0,
        truncate: bool = False,
        for_url: str = "",
    ) -> Response | _Redirect:
        """One GET, no redirect followed, within the host's politeness limits
        and the deadline. `truncate` keeps the first `max_bytes` instead of
        refusing a larger body (for robots.txt); `for_url` is the page an
        address refusal is reported for (the page, not its robots.txt)."""
        parts = urlsplit(url)
        with self.hosts.slot(parts.netloc.lower(), delay):
            addresses.deadline.at = time.monotonic() + self.timeout
            try:
                with self.client.stream("GET", url, headers=headers) as answer:
                    return self._answer(
                        url, answer, bool(headers), accept, max_bytes, truncate
                    )
            except AddressRefusedError as exc:
                raise _address_refused(for_url or url, exc) from None
            except httpx.TimeoutException as exc:
                raise FetchTimeout(
                    f"{url} did not answer in full within {self.timeout:g} "
                    "seconds; the site may be slow or down (the next run "
                    "retries)."
                ) from exc
            except httpx.InvalidURL as exc:
                raise AddressRefused(
                    f"{url} is not a valid address ({exc}); correct the URL."
                ) from exc
            except httpx.HTTPError as exc:
                raise FetchError(
                    f"{url} could not be fetched ({_describe(exc)}); check the "
                    "address, or wait if the site is down (the next run retries)."
                ) from exc
            finally:
                addresses.deadline.at = None

    def _answer(
        self,
        url: str,
        answer: httpx.Response,
        conditional: bool,
        accept: tuple[str, ...],
        max_bytes: int,
        truncate: bool,
    ) -> Response | _Redirect:
        status = answer.status_code
        if status in REDIRECT_STATUSES and answer.headers.get("location"):
            return _Redirect(urljoin(url, answer.headers["location"].strip()))
        if status == 304 and conditional:
            return self._response(url, answer, b"")
        if status not in CONTENT_STATUSES:
            raise BadStatus(url, status)
        content_type = _media_type(answer.headers.get("content-type", ""))
        if accept and content_type and not _accepted(content_type, accept):
            raise WrongContentType(url, content_type, accept)
        declared = answer.headers.get("content-length", "")
        if not truncate and declared.isdigit() and int(declared) > max_bytes:
            raise _too_large(url, max_bytes, f"says it is {_size(int(declared))}")
        return self._response(url, answer, _body(url, answer, max_bytes, truncate))

    def _response(self, url: str, answer: httpx.Response, content: bytes) -> Response:
        return Response(
            url=url,
            status=answer.status_code,
            content=content,
            content_type=_media_type(answer.headers.get("content-type", "")),
            charset=answer.charset_encoding or "",
            etag=answer.headers.get("etag", ""),
            last_modified=answer.headers.get("last-modified", ""),
            reason=answer.reason_phrase,
            http_headers=[
                (name.decode("latin-1"), value.decode("latin-1"))
                for name, value in answer.headers.raw
            ],
        )

    # robots.txt ----------------------------------------------------------

    def _robots_delay(self, url: str) -> float:
        """Raise `RobotsDisallowed` unless the site's robots.txt lets us
        fetch `url`; return its crawl delay in seconds."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc.lower()}"
        rules = self.robots.get(origin, lambda: self._read_robots(origin, url))
        if rules.unreachable:
            raise RobotsDisallowed(
                f"{url} was not fetched: the site's robots.txt could not be read "
                f'({rules.problem}), which means "not now"; the next run '
                "retries."
            )
        if not rules.allows(url, self.user_agent):
            raise RobotsDisallowed(
                f"{url} was not fetched: the site's robots.txt forbids it to "
                "the SCIS harvester. Ask the publisher to allow it, or "
                "harvest another address (a feed or sitemap) they do allow."
            )
        return rules.delay(self.user_agent)

    def _read_robots(self, origin: str, for_url: str) -> robots.Robots:
        """Read `origin`/robots.txt through the same guard (redirects
        followed, robots itself not consulted) on the way to `for_url`."""
        url = origin + "/robots.txt"
        try:
            for _hop in range(ROBOTS_MAX_REDIRECTS + 1):
                _check_url(url)
                answer = self._request(
                    url,
                    {},
                    accept=(),
                    max_bytes=robots.MAX_ROBOTS_BYTES,
                    truncate=True,
                    for_url=for_url,
                )
                if isinstance(answer, _Redirect):
                    url = answer.location
                    continue
                return robots.interpret(answer.status, answer.content)
        except BadStatus as exc:
            return robots.interpret(exc.status)
        except AddressRefused:
            raise
        except FetchError as exc:
            return robots.interpret(robots.UNREACHABLE, problem=str(exc))
        # Too many redirects: "unavailable", so allowed (RFC 9309 §2.3.1.2).
        return robots.interpret(404)


class HostGate:
    """Per-host politeness, shared by threads: at most `concurrency`
    requests in flight on one host, and request starts at least `interval`
    seconds apart (or the host's own crawl delay when longer)."""

    def __init__(self, interval: float, concurrency: int):
        self.interval = max(0.0, interval)
        self.concurrency = max(1, concurrency)
        self._hosts: dict[str, _HostState] = {}
        self._guard = threading.Lock()

    @contextmanager
    def slot(self, host: str, delay: float = 0.0) -> Iterator[None]:
        """Wait for `host`'s turn; hold a slot on it inside the block."""
        with self._guard:
            state = self._hosts.get(host)
            if state is None:
                state = self._hosts[host] = _HostState(self.concurrency)
        with state.in_flight:
            with state.lock:
                now = time.monotonic()
                start = max(now, state.next_start)
                # Reserve our start time first, then sleep outside the lock.
                state.next_start = start + max(self.interval, delay)
            if start > now:
                time.sleep(start - now)
            yield


class _HostState:
    def __init__(self, concurrency: int):
        self.in_flight = threading.BoundedSemaphore(concurrency)
        self.lock = threading.Lock()
        self.next_start = 0.0


# Helpers ---------------------------------------------------------------------


def _guarded_transport(allow_private: bool) -> httpx.HTTPTransport:
    """httpx's transport, connecting through `GuardedBackend` so the address
    guard runs on every new connection, after DNS, on the address dialled."""
    transport = httpx.HTTPTransport(trust_env=False)
    limits = httpx.Limits()
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=GuardedBackend(allow_private),
    )
    return transport


def _check_url(url: str) -> None:
    """Refuse what is not a plain http(s) URL with a host."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise AddressRefused(f"{url} is not a valid address ({exc}).") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise AddressRefused(
            f"{url} is not an http or https address; the harvester fetches "
            "web pages only. Use the web address of the feed or page."
        )
    if parts.username is not None or parts.password is not None:
        raise AddressRefused(
            f"{urlsplit(url)._replace(netloc=parts.hostname or '').geturl()} "
            "carries a user name or password in the address; the harvester "
            "does not send credentials. Use a public address without them."
        )
    if not parts.hostname:
        raise AddressRefused(f"{url} has no host name; correct the address.")
    if port == 0:
        raise AddressRefused(f"{url} has port 0; correct the address.")


def _address_refused(url: str, exc: AddressRefusedError) -> AddressRefused:
    if addresses.classify(exc.address) in addresses.PRIVATE_KINDS:
        advice = (
            "If this is an intranet source, add it with --allow-private "
            '(or tick "Allow private addresses" on the source).'
        )
    else:
        advice = "This is refused for every source; use a public address."
    where = (
        f"{exc.host} is {exc.reason}"
        if exc.host.strip("[]") == exc.address
        else f"{exc.host} resolves to {exc.address}, {exc.reason}"
    )
    return AddressRefused(
        f"{url} was not fetched: {where}, which the harvester does not reach. {advice}"
    )


def _body(url: str, answer: httpx.Response, max_bytes: int, truncate: bool) -> bytes:
    """The decompressed body, read while counting both the bytes on the
    wire and the bytes after decompression against `max_bytes`."""
    coding = answer.headers.get("content-encoding", "").strip().lower()
    inflater = _Inflater(url, coding)
    out = bytearray()
    wire = 0
    for chunk in answer.iter_raw():
        wire += len(chunk)
        if wire > max_bytes and not truncate:
            raise _too_large(url, max_bytes, "sent more than that")
        for piece in inflater.feed(chunk):
            out += piece
            if len(out) > max_bytes:
                if truncate:
                    return bytes(out[:max_bytes])
                raise _too_large(url, max_bytes, "unpacks to more than that")
        if truncate and wire > max_bytes:
            break
    for piece in inflater.finish():
        out += piece
        if len(out) > max_bytes and not truncate:
            raise _too_large(url, max_bytes, "unpacks to more than that")
    return bytes(out[:max_bytes])


class _Inflater:
    """Undoes Content-Encoding gzip or deflate a step at a time, so a small
    compressed body that unpacks to gigabytes is stopped early."""

    def __init__(self, url: str, coding: str):
        self.url = url
        self.coding = coding
        self.fed = False  # an empty body is empty, whatever its encoding
        self.inflate: zlib._Decompress | None
        if coding in ("", "identity"):
            self.inflate = None
        elif coding in ("gzip", "x-gzip"):
            self.inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            self.inflate = zlib.decompressobj()  # raw deflate: see `feed`
        else:
            raise FetchError(
                f"{url} was sent with Content-Encoding {coding!r}, which the "
                "harvester cannot unpack; ask the site to send gzip or plain."
            )

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The unpacked pieces of `data`, at most INFLATE_STEP bytes each."""
        if self.inflate is None:
            yield data
            return
        if not self.fed and self.coding == "deflate" and not _zlib_header(data):
            # Many servers send raw deflate without the zlib wrapper.
            self.inflate = zlib.decompressobj(-zlib.MAX_WBITS)
        self.fed = self.fed or bool(data)
        inflate = self.inflate
        pending = data
        try:
            while pending and not inflate.eof:
                piece = inflate.decompress(pending, INFLATE_STEP)
                pending = inflate.unconsumed_tail
                if piece:
                    yield piece
        except zlib.error as exc:
            raise self._corrupt(exc) from exc

    def finish(self) -> Iterator[bytes]:
        """What is left once the body has all arrived."""
        if self.inflate is None:
            return
        try:
            rest = self.inflate.flush()
        except zlib.error as exc:
            raise self._corrupt(exc) from exc
        if rest:
            yield rest
        if self.fed and not self.inflate.eof:
            raise self._corrupt(zlib.error("the body was cut short"))

    def _corrupt(self, exc: zlib.error) -> FetchError:
        return FetchError(
            f"{self.url} sent a damaged {self.coding} body ({exc}); the next "
            "run retries."
        )


def _zlib_header(data: bytes) -> bool:
    """Does `data` start with a zlib header (RFC 1950)?"""
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _accepted(media_type: str, accept: tuple[str, ...]) -> bool:
    """Does `media_type` match one of `accept`: an exact type, a prefix
    ending in "/" ("text/"), a wildcard ("text/*") or a suffix ("+xml")?"""
    for wanted in accept:
        wanted = wanted.strip().lower()
        if wanted.endswith("/*"):
            wanted = wanted[:-1]
        if (
            media_type == wanted
            or (wanted.endswith("/") and media_type.startswith(wanted))
            or (wanted.startswith("+") and media_type.endswith(wanted))
        ):
            return True
    return False


def _too_large(url: str, max_bytes: int, what: str) -> TooLarge:
    return TooLarge(
        f"{url} was not fetched: it {what}, and the limit is {_size(max_bytes)} "
        "(HARVEST_MAX_BYTES). Check that the address is a page, not a file "
        "download, or raise the limit."
    )


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MB"
    return f"{count / 1024:.0f} KB"


def _describe(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return f"could not connect: {exc}"
    return str(exc) or type(exc).__name__
