"""Which feeds a page advertises (`<link rel="alternate">` in its head and
a visible "subscribe" line): the feed of what the page lists, the feed of a
term the reader filtered by, the search feed on a results page, and always
the feed of everything new."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse

from scis.core.listing import TAXONOMY_FACETS
from scis.core.models import BaseIndexPage

from . import scopes


@dataclass
class Advert:
    title: str
    atom: str
    rss: str


def _advert(scope: scopes.Scope, name: str, query: str = "", **kwargs) -> Advert:
    suffix = f"?{query}" if query else ""
    return Advert(
        scope.title,
        reverse(f"feed_{name}_atom", kwargs=kwargs) + suffix,
        reverse(f"feed_{name}_rss", kwargs=kwargs) + suffix,
    )


def _of_index(page: BaseIndexPage, params) -> list[Advert]:
    adverts = []
    section = page.listed_section()
    models = page.listed_models()
    if section:
        adverts.append(_advert(scopes.of_section(section), "section", section=section))
    elif len(models) == 1:
        key = models[0]._meta.model_name.removesuffix("page")
        adverts.append(_advert(scopes.of_type(key), "type", type_key=key))
    for taxonomy in TAXONOMY_FACETS:
        slug = params.get(taxonomy, "").strip()
        if slug:
            try:
                scope = scopes.of_term(taxonomy, slug)
            except Http404:
                continue
            adverts.append(_advert(scope, taxonomy, slug=slug))
    return adverts


def feeds_for(page, params, search_text: str = "") -> list[Advert]:
    """The feeds to advertise on `page` (None off the page tree) read with
    query `params`; the most specific first."""
    adverts: list[Advert] = []
    if search_text.strip():
        try:
            scope = scopes.of_search(search_text)
        except Http404:
            pass
        else:
            query = urlencode({"q": scope.params["q"]})
            adverts.append(_advert(scope, "search", query))
    specific = getattr(page, "specific", None)
    if isinstance(specific, BaseIndexPage):
        adverts += _of_index(specific, params)
    programme = getattr(specific, "programme", None)
    if programme is not None and type(specific).__name__ == "ProgrammePage":
        scope = scopes.of_term("programme", programme.slug)
        adverts.append(_advert(scope, "programme", slug=programme.slug))
    adverts.append(_advert(scopes.everything(), "all"))
    return adverts
