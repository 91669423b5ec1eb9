"""What every harvester kind shares: the Entry that gather produces and the
Harvester base class. One subclass per source kind (rss.py, sitemap.py,
listing.py, oai.py, json_api.py), registered in `__init__.py`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from ..fetching import Fetcher
    from ..models import Source


@dataclass
class Entry:
    """One item as gather sees it. Only `guid` and `url` are required; what
    else the listing gives (a feed's title and full text, an OAI record's
    authors) saves work at import and may be all there is."""

    guid: str
    url: str
    title: str = ""
    date: date | None = None
    summary: str = ""
    body_html: str = ""
    authors: list[str] = field(default_factory=list)
    language: str = ""
    # The source's own change marker (feed <updated>, sitemap <lastmod>,
    # OAI datestamp): equal to last run's means the item did not change.
    updated: str = ""
    # Kind-specific metadata worth keeping (JSON-safe values only).
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """JSON-safe form kept on Item.entry, so import can rerun."""
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        data = dict(data)
        if data.get("date"):
            data["date"] = date.fromisoformat(data["date"])
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class Gathered:
    """What one gather found."""

    entries: list[Entry] = field(default_factory=list)
    # True when `entries` is everything the source still publishes, so an
    # item missing from it was deleted at the source. False when gather saw
    # only a window (a feed's latest 20, the first pages of a board).
    complete: bool = False
    # The gather URL answered 304 Not Modified: nothing changed since last run.
    not_modified: bool = False
    # Pages of the listing that failed while the rest was read: (url, message).
    errors: list[tuple[str, str]] = field(default_factory=list)
    # HTTP validators of the gather URL, stored on the Source for next time.
    etag: str = ""
    last_modified: str = ""


class Harvester:
    """Gather a source's item identifiers. Subclasses set `kind` and
    implement `gather`; raise `GatherError` (or a FetchError) when the
    source cannot be read at all."""

    kind: ClassVar[str] = ""
    # Content types the gather URL may answer with (checked by the fetcher).
    accept: ClassVar[tuple[str, ...]] = ()

    def __init__(self, source: Source, fetcher: Fetcher):
        self.source = source
        self.fetcher = fetcher
        self.config: dict[str, Any] = source.config or {}

    def gather(self) -> Gathered:
        raise NotImplementedError

    def needs_page(self, entry: Entry) -> bool:
        """Whether import must fetch the item's own page. By default a page
        is fetched unless the listing already gave the full text and the
        source's config says `"fetch_pages": false`."""
        if entry.body_html and not self.config.get("fetch_pages", True):
            return False
        return bool(entry.url)


class GatherError(Exception):
    """The source could not be gathered; the message says what to fix."""
