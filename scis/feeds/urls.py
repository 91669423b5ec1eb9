"""Feed addresses, under /feeds/ (Korean) and /en/feeds/ (English): each
scope in Atom (`.atom`) and RSS 2.0 (`.rss`)."""

from django.urls import path

from scis.api.conditional import conditional_view
from scis.core.listing import TAXONOMY_FACETS

from . import scopes, views
from .feeds import FORMATS, RecordFeed


def _feed(make_scope, kind: str):
    return conditional_view(RecordFeed(make_scope, kind))


urlpatterns = [path("", views.feed_index, name="feed_index")]
for kind in FORMATS:
    urlpatterns += [
        path(
            f"all.{kind}",
            _feed(lambda request: scopes.everything(), kind),
            name=f"feed_all_{kind}",
        ),
        path(
            f"type/<slug:type_key>.{kind}",
            _feed(lambda request, type_key: scopes.of_type(type_key), kind),
            name=f"feed_type_{kind}",
        ),
        path(
            f"news/<slug:section>.{kind}",
            _feed(lambda request, section: scopes.of_section(section), kind),
            name=f"feed_section_{kind}",
        ),
        path(
            f"search.{kind}",
            _feed(lambda request: scopes.of_search(request.GET.get("q", "")), kind),
            name=f"feed_search_{kind}",
        ),
    ]
    for taxonomy in TAXONOMY_FACETS:
        urlpatterns.append(
            path(
                f"{taxonomy}/<slug:slug>.{kind}",
                _feed(
                    lambda request, slug, taxonomy=taxonomy: scopes.of_term(
                        taxonomy, slug
                    ),
                    kind,
                ),
                name=f"feed_{taxonomy}_{kind}",
            )
        )
