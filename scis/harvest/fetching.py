"""Polite and safe HTTP fetching for the harvester (DESIGN.md §7: nothing
harvested is trusted).

CONTRACT (other modules rely on it; keep the names):
- `Fetcher(allow_private=False, ...)`, used as a context manager or closed
  with `close()`; safe to share between threads.
- `Fetcher.get(url, *, etag="", last_modified="", accept=()) -> Response`:
  a 200 or a 304 (when a validator was given and the server agrees);
  anything else raises a `FetchError` subclass whose message says what
  happened and what to do next.
- `Response`: url (final, after redirects), status, headers, content
  (bytes, decompressed), content_type, charset, etag, last_modified,
  http_headers (list of (name, value) as received, for the WARC record),
  reason, `not_modified`, and `text()` (decoded with `encoding.decode`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

USER_AGENT = "SCIS-harvester/1.0 (+https://scis.go.kr/about/)"


class FetchError(Exception):
    """A fetch failed; the message says what happened and what to do next."""


class BadStatus(FetchError):
    def __init__(self, url: str, status: int):
        self.status = status
        super().__init__(
            f"{url} answered HTTP {status}; check the address, or wait if the "
            "site is down (the next run retries)."
        )


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

    def text(self) -> str:
        from .encoding import decode

        return decode(self.content, self.charset, self.content_type)


class Fetcher:
    def __init__(self, *, allow_private: bool = False, **options):
        self.allow_private = allow_private
        self.client = httpx.Client(
            headers={"User-Agent": USER_AGENT}, timeout=30, follow_redirects=True
        )

    def get(
        self,
        url: str,
        *,
        etag: str = "",
        last_modified: str = "",
        accept: tuple[str, ...] = (),
    ) -> Response:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            answer = self.client.get(url, headers=headers)
        except httpx.HTTPError as exc:
            raise FetchError(f"{url} could not be fetched: {exc}") from exc
        if answer.status_code not in (200, 304):
            raise BadStatus(url, answer.status_code)
        content_type = answer.headers.get("content-type", "")
        return Response(
            url=str(answer.url),
            status=answer.status_code,
            content=answer.content,
            content_type=content_type.split(";")[0].strip().lower(),
            charset=answer.charset_encoding or "",
            etag=answer.headers.get("etag", ""),
            last_modified=answer.headers.get("last-modified", ""),
            reason=answer.reason_phrase,
            http_headers=list(answer.headers.multi_items()),
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
