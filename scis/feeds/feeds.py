"""Atom and RSS 2.0 feeds of records, built with Django's syndication
framework. Every feed is a scope (scopes.py) read in the reader's language:
a record with no translation appears in its own language, as on the
listing pages."""

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from scis.core.catalogue import version
from scis.core.listing import FILTER_NAMES, ListingQuery, records_for
from scis.core.records import TAXONOMY_FIELDS, record_models, record_type_key

from .scopes import Scope

FORMATS = {"atom": Atom1Feed, "rss": Rss201rev2Feed}
# Atom and RSS readers know these; browsers show the feed as text.
CONTENT_TYPES = {
    "atom": "application/atom+xml; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
}


@dataclass
class FeedContext:
    scope: Scope
    base: str  # scheme and host, for permanent identifiers
    path: str
    params: QueryDict


def _query(values: dict[str, str]) -> QueryDict:
    query = QueryDict(mutable=True)
    query.update(values)
    return query


def _records(scope: Scope, params: QueryDict, language: str) -> list:
    size = settings.FEED_SIZE
    if scope.search:
        from scis.search.searching import search

        query = _query({"sort": "date", **scope.params})
        for name in FILTER_NAMES:
            value = params.get(name)
            if value:
                query[name] = value
        outcome = search(query, language, page_size=size)
        return [result.page for result in outcome.results]
    keys = [record_type_key(model) for model in record_models()]
    listing = ListingQuery(_query(scope.params), keys)
    rows = listing.queryset(language).order_by("-date", "-id")[:size]
    return records_for(list(rows))


class RecordFeed(Feed):
    """One feed view per (scope kind, format). `make_scope(request, **url
    arguments)` says what the feed covers; the instance is shared by every
    request, so all per-request state lives in the FeedContext."""

    def __init__(self, make_scope: Callable[..., Scope], kind: str):
        super().__init__()
        self.make_scope = make_scope
        self.kind = kind
        self.feed_type = FORMATS[kind]

    def __call__(self, request, *args, **kwargs):
        # A feed changes only when the catalogue does: keep its bytes until then.
        address = request.build_absolute_uri()
        key = f"feed:{version()}:{hashlib.sha256(address.encode()).hexdigest()}"
        body = cache.get(key)
        if body is None:
            response = super().__call__(request, *args, **kwargs)
            cache.set(key, response.content, 3600)
        else:
            response = HttpResponse(body)
        response["Content-Type"] = CONTENT_TYPES[self.kind]
        return response

    def get_object(self, request, *args, **kwargs) -> FeedContext:
        return FeedContext(
            self.make_scope(request, **kwargs),
            f"{request.scheme}://{request.get_host()}",
            request.path,
            request.GET,
        )

    def title(self, obj: FeedContext) -> str:
        return f"{obj.scope.title} — {_('Smart City Information System')}"

    def subtitle(self, obj: FeedContext) -> str:
        return _("New records in the Smart City Information System: %(scope)s.") % {
            "scope": obj.scope.title
        }

    description = subtitle

    def link(self, obj: FeedContext) -> str:
        return obj.scope.listing_url()

    def feed_url(self, obj: FeedContext) -> str:
        return obj.path

    def feed_guid(self, obj: FeedContext) -> str:
        return f"{obj.base}{obj.path}"

    def author_name(self) -> str:
        return _("Smart City Information System")

    def items(self, obj: FeedContext) -> list:
        pages = _records(obj.scope, obj.params, get_language())
        by_type: dict[type, list] = {}
        for page in pages:
            by_type.setdefault(type(page), []).append(page)
        for same_type in by_type.values():
            prefetch_related_objects(same_type, *TAXONOMY_FIELDS)
        for page in pages:
            page.feed_base = obj.base
        return pages

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        summary = item.summary
        venue = getattr(item, "venue", "")
        start = getattr(item, "start", None)
        if start is not None:
            when = timezone.localtime(start).strftime("%Y-%m-%d %H:%M")
            summary = " · ".join(part for part in (when, venue, summary) if part)
        return summary

    def item_link(self, item) -> str:
        return item.url

    def item_guid(self, item) -> str:
        return f"{item.feed_base}/id/{item.pk}/"

    item_guid_is_permalink = True

    def item_pubdate(self, item) -> dt.datetime:
        return dt.datetime.combine(
            item.date, dt.time(0), tzinfo=ZoneInfo(settings.TIME_ZONE)
        )

    def item_updateddate(self, item) -> dt.datetime:
        return item.last_published_at or self.item_pubdate(item)

    def item_author_name(self, item) -> str | None:
        return ", ".join(term.name for term in item.organisations.all()) or None

    def item_categories(self, item) -> list[str]:
        return [
            term.name
            for name in ("topics", "programmes", "regions")
            for term in getattr(item, name).all()
        ]
