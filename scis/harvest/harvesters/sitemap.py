"""sitemap.xml: a <urlset>, or a <sitemapindex> whose child sitemaps are
followed (each child is one listing page; a child that fails goes into
`Gathered.errors` and the others are still read). Gzipped sitemaps
(sitemap.xml.gz) are unpacked, within the fetcher's size cap.

Each <url> becomes an Entry: guid = url = <loc>; `updated` = <lastmod>;
date from <lastmod> (or from Google News' <news:publication_date>, whose
<news:title> also gives the title). `complete` is True when every child
sitemap was read, so an item missing from it was deleted at the source.

Config keys (`source.config`):
- `include`: a regular expression; only URLs matching it (searched
  anywhere in the URL) are kept, e.g. "/news/" or "/board/view\\.do".
- `exclude`: a regular expression; URLs matching it are dropped, e.g.
  "/en/" or "\\.pdf$".
- `max_sitemaps` (default 50): at most this many sitemap files are read in
  one run (an index and its children); past it `complete` is False.
- `fetch_pages` (default true): see rss.py; a sitemap carries no text, so
  leave it on.
"""

from __future__ import annotations

import re
import zlib
from typing import Any

from lxml import etree

from ..dates import parse_date
from ..encoding import EncodingError, decode
from ..fetching import FetchError, Response
from . import register
from .base import Entry, Gathered, GatherError, Harvester

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
DEFAULT_MAX_SITEMAPS = 50
GZIP_MAGIC = b"\x1f\x8b"


def xml_root(response: Response, what: str, max_bytes: int) -> Any:
    """The root element of the XML document in `response` (gzipped or not),
    or a GatherError naming `what` was fetched, where it breaks and what to
    check. No DTD, no entity expansion, no network: the XML is untrusted."""
    content = response.content
    if content[:2] == GZIP_MAGIC:
        content = _gunzip(content, response.url, max_bytes)
    try:
        text = decode(content, response.charset, response.content_type or "text/xml")
    except EncodingError as exc:
        raise GatherError(f"The {what} at {response.url} is not text: {exc}") from exc
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, encoding="utf-8"
    )
    try:
        # Re-encoded: lxml refuses a str that carries an encoding declaration,
        # and the declaration may be wrong anyway (decode checked the bytes).
        root = etree.fromstring(text.encode("utf-8"), parser=parser)
    except etree.XMLSyntaxError as exc:
        line = f" (line {exc.lineno})" if exc.lineno else ""
        raise GatherError(
            f"The {what} at {response.url} is not well-formed XML{line}: "
            f"{exc.msg}; check that the URL points at the {what} itself, not an "
            "HTML page, or ask the publisher to fix it."
        ) from exc
    if root is None:
        raise GatherError(f"The {what} at {response.url} is empty.")
    return root


def whole_number(config: dict[str, Any], key: str, default: int) -> int:
    """The positive whole number setting `key` of a source's config, or a
    GatherError naming it."""
    value = config.get(key, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise GatherError(
            f"The source's `{key}` setting must be a whole number of 1 or more, "
            f"not {value!r}; correct it in the source's settings."
        )
    return number


def local_name(element: Any) -> str:
    """The tag of `element` without its namespace."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


@register
class SitemapHarvester(Harvester):
    """A sitemap or sitemap index."""

    kind = "sitemap"
    accept = (
        "application/xml",
        "text/xml",
        "+xml",
        "application/gzip",
        "application/x-gzip",
        "application/octet-stream",
        "text/plain",
    )

    def gather(self) -> Gathered:
        """Read the sitemap, and each child sitemap of an index."""
        include = self._pattern("include")
        exclude = self._pattern("exclude")
        budget = whole_number(self.config, "max_sitemaps", DEFAULT_MAX_SITEMAPS)
        response = self.fetcher.get(
            self.source.url,
            etag=self.source.etag,
            last_modified=self.source.last_modified,
            accept=self.accept,
        )
        gathered = Gathered(
            complete=True, etag=response.etag, last_modified=response.last_modified
        )
        if response.not_modified:
            gathered.not_modified = True
            gathered.complete = False
            return gathered

        seen_urls: set[str] = set()
        read = {self.source.url}
        queue = self._read(self.source.url, response, gathered, seen_urls)
        while queue:
            child = queue.pop(0)
            if child in read:
                continue
            if len(read) >= budget:
                gathered.complete = False
                gathered.errors.append(
                    (
                        child,
                        f"Not read: more than {budget} sitemap files in one run. "
                        "Raise `max_sitemaps` in the source's settings, or point "
                        "the source at the child sitemap you need.",
                    )
                )
                break
            read.add(child)
            try:
                answer = self.fetcher.get(child, accept=self.accept)
                queue.extend(self._read(child, answer, gathered, seen_urls))
            except (FetchError, GatherError) as exc:
                gathered.complete = False
                gathered.errors.append((child, str(exc)))

        gathered.entries = [
            entry
            for entry in gathered.entries
            if (include is None or include.search(entry.url))
            and (exclude is None or not exclude.search(entry.url))
        ]
        return gathered

    def _read(
        self, url: str, response: Response, gathered: Gathered, seen: set[str]
    ) -> list[str]:
        """Add the entries of one sitemap file; return the child sitemaps it
        lists (when it is an index)."""
        root = xml_root(response, "sitemap", self.fetcher.max_bytes)
        kind = local_name(root)
        if kind == "sitemapindex":
            children = (
                _text(node, "loc") for node in root if local_name(node) == "sitemap"
            )
            return [loc for loc in children if loc]
        if kind != "urlset":
            raise GatherError(
                f"{url} is XML but not a sitemap: its root element is <{kind}>, "
                "not <urlset> or <sitemapindex>. If it is a feed, choose the "
                "RSS kind instead."
            )
        for node in root:
            if local_name(node) != "url":
                continue
            loc = _text(node, "loc")
            if not loc or loc in seen:
                continue
            seen.add(loc)
            lastmod = _text(node, "lastmod")
            news = node.find(f"{{{NEWS_NS}}}news")
            title = published = ""
            if news is not None:
                title = _text(news, "title", NEWS_NS)
                published = _text(news, "publication_date", NEWS_NS)
            gathered.entries.append(
                Entry(
                    guid=loc,
                    url=loc,
                    title=title,
                    date=parse_date(published or lastmod),
                    updated=lastmod or published,
                )
            )
        return []

    def _pattern(self, key: str) -> re.Pattern[str] | None:
        value = self.config.get(key)
        if not value:
            return None
        try:
            return re.compile(str(value))
        except re.error as exc:
            raise GatherError(
                f"The sitemap source's `{key}` setting {value!r} is not a valid "
                f"regular expression ({exc}); correct it in the source's settings."
            ) from exc


def _text(node: Any, name: str, namespace: str = SITEMAP_NS) -> str:
    """The text of `node`'s child `name`, in `namespace` or in none (some
    sitemaps forget the namespace)."""
    child = node.find(f"{{{namespace}}}{name}")
    if child is None:
        child = node.find(name)
    return (child.text or "").strip() if child is not None else ""


def _gunzip(content: bytes, url: str, max_bytes: int) -> bytes:
    """Unpack a gzipped sitemap, stopping at `max_bytes` (a bomb stays small)."""
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflate.decompress(content, max_bytes + 1)
    except zlib.error as exc:
        raise GatherError(
            f"The sitemap at {url} looks gzipped but cannot be unpacked ({exc}); "
            "ask the publisher to fix it."
        ) from exc
    if len(out) > max_bytes or inflate.unconsumed_tail:
        raise GatherError(
            f"The sitemap at {url} unpacks to more than {max_bytes} bytes "
            "(HARVEST_MAX_BYTES); point the source at a smaller child sitemap."
        )
    return out
