"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds, read with feedparser.

Each feed entry becomes an Entry: guid = the entry's id (RSS <guid>, Atom
<id>) or else its link; title; date from <pubDate>/<published> (or
<updated>); summary from <description>/<summary> as plain text; body_html
from <content:encoded>/Atom <content>; authors; `updated` = the entry's
updated or published string, so an unchanged entry is recognised.

A feed is a window on the latest items, so `complete` is always False: an
item that drops out of the feed was not deleted at the source.

A feed that is not well-formed XML but from which feedparser recovered
entries is accepted, with a warning in `Gathered.errors`; one with nothing
usable raises GatherError saying where the XML breaks.

Config keys (`source.config`):
- `fetch_pages` (default true): fetch each item's own page at import. Set
  it to false for a feed that carries the full text in content:encoded or
  Atom <content>, to save a request per item.
"""

from __future__ import annotations

import io
from typing import Any

import feedparser

from ..dates import parse_date
from ..encoding import EncodingError
from ..sanitise import plain_text
from . import register
from .base import Entry, Gathered, GatherError, Harvester

# feedparser marks a feed "bozo" for these even when the XML is fine (a
# charset declared one way and served another); they are not worth a warning.
_HARMLESS_BOZO = (
    feedparser.CharacterEncodingOverride,
    feedparser.NonXMLContentType,
)


@register
class FeedHarvester(Harvester):
    """An RSS or Atom feed."""

    kind = "rss"
    accept = (
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "+xml",
        # Many Korean public sites serve their RSS as text/html or text/plain.
        "text/",
        "application/octet-stream",
    )

    def gather(self) -> Gathered:
        """Read the feed once; a 304 means nothing changed since last run."""
        url = self.source.url
        response = self.fetcher.get(
            url,
            etag=self.source.etag,
            last_modified=self.source.last_modified,
            accept=self.accept,
        )
        gathered = Gathered(
            complete=False, etag=response.etag, last_modified=response.last_modified
        )
        if response.not_modified:
            gathered.not_modified = True
            return gathered
        try:
            text = response.text()
        except EncodingError as exc:
            raise GatherError(
                f"The feed at {url} could not be read as text: {exc}"
            ) from exc
        feed = parse_feed(text, response.url)
        language = _language(feed.feed.get("language", ""))
        for position, raw in enumerate(feed.entries, start=1):
            entry = _entry(raw, language)
            if entry is None:
                gathered.errors.append(
                    (
                        url,
                        f"Entry {position} of the feed has neither an id nor a "
                        "link, so it was skipped; tell the publisher their feed "
                        "lacks <guid>/<link>.",
                    )
                )
                continue
            gathered.entries.append(entry)
        if feed.bozo and not isinstance(feed.bozo_exception, _HARMLESS_BOZO):
            gathered.errors.append(
                (
                    url,
                    f"The feed is not well-formed XML ({_problem(feed)}); "
                    f"{len(gathered.entries)} entries were recovered, but some may "
                    "be missing or cut short. Tell the publisher, or check the "
                    "feed in a validator.",
                )
            )
        return gathered


def parse_feed(text: str, url: str) -> Any:
    """Parse feed `text` (already decoded) fetched from `url`; raise
    GatherError when nothing in it is a usable feed."""
    # Re-encoded as UTF-8 and said so in the header, which feedparser trusts
    # over the XML declaration: the text was decoded by encoding.decode,
    # which knows EUC-KR sites better than feedparser does. A byte stream,
    # never a string: feedparser treats a string as a URL or file name.
    feed = feedparser.parse(
        io.BytesIO(text.encode("utf-8")),
        response_headers={
            "content-type": "application/xml; charset=utf-8",
            "content-location": url,
        },
        sanitize_html=True,
        resolve_relative_uris=True,
    )
    if feed.entries:
        return feed
    if feed.bozo and not isinstance(feed.bozo_exception, _HARMLESS_BOZO):
        raise GatherError(
            f"The feed at {url} is not well-formed XML ({_problem(feed)}) and "
            "no entries could be recovered from it; check that the URL points "
            "at the feed itself, or ask the publisher to fix it."
        )
    if not feed.version:
        raise GatherError(
            f"{url} is not an RSS or Atom feed (no <rss>, <rdf:RDF> or <feed> "
            "element found); check that the URL points at the feed, not at a "
            "page that links to it."
        )
    return feed  # a real feed, empty for now


def _entry(raw: Any, language: str) -> Entry | None:
    link = (raw.get("link") or "").strip()
    guid = (raw.get("id") or "").strip() or link
    if not guid:
        return None
    content = raw.get("content") or []
    body_html = "\n".join(part.get("value", "") for part in content).strip()
    summary_html = raw.get("summary", "") or ""
    # feedparser copies <content> into `summary` when there is no summary.
    summary = "" if body_html and summary_html.strip() == body_html else summary_html
    # dict.get: feedparser's own lookup of "updated" falls back to
    # "published" with a DeprecationWarning.
    updated = dict.get(raw, "updated") or ""
    stamp = raw.get("published") or updated or raw.get("created") or ""
    return Entry(
        guid=guid,
        url=link,
        title=plain_text(raw.get("title", "") or "").strip(),
        date=parse_date(stamp),
        summary=plain_text(summary).strip(),
        body_html=body_html,
        authors=_authors(raw),
        language=_language(_entry_language(raw)) or language,
        updated=(updated or raw.get("published") or "").strip(),
    )


def _authors(raw: Any) -> list[str]:
    names = [(author.get("name") or "").strip() for author in raw.get("authors") or []]
    names = [name for name in names if name]
    if not names and raw.get("author"):
        names = [raw["author"].strip()]
    return list(dict.fromkeys(names))


def _entry_language(raw: Any) -> str:
    for part in raw.get("content") or []:
        if part.get("language"):
            return part["language"]
    detail = raw.get("title_detail") or {}
    return detail.get("language") or ""


def _language(code: str | None) -> str:
    """ "ko-KR" → "ko", "en-us" → "en"; anything else → "" (detect later)."""
    code = (code or "").strip().lower()[:2]
    return code if code in ("ko", "en") else ""


def _problem(feed: Any) -> str:
    exc = feed.get("bozo_exception")
    line = getattr(exc, "getLineNumber", None)
    message = getattr(exc, "getMessage", None)
    text = message() if callable(message) else str(exc)
    if callable(line):
        return f"line {line()}: {text}"
    return text
