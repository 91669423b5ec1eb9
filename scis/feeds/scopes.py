"""What a feed covers: everything, one record type, one news section, one
taxonomy term or a search. A scope is a set of listing filters, so a feed
shows exactly the records its listing page shows, newest first."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from scis.core.listing import TAXONOMY_FACETS
from scis.core.records import record_models, record_type_key
from scis.news.models import Section


@dataclass
class Scope:
    title: str
    # Listing filters (type, section, region, …) or, for a search, `q`.
    params: dict[str, str] = field(default_factory=dict)
    search: bool = False

    def listing_url(self) -> str:
        """The HTML page listing what the feed carries."""
        if self.search:
            return f"{reverse('search')}?{urlencode(self.params)}"
        from scis.home.models import RecordIndexPage

        index = (
            RecordIndexPage.objects.live()
            .filter(locale__language_code=get_language())
            .order_by()
            .first()
        )
        base = index.url if index is not None else "/"
        return f"{base}?{urlencode(self.params)}" if self.params else base


def type_labels() -> dict[str, str]:
    return {
        record_type_key(model): str(model.record_type_label)
        for model in record_models()
    }


def everything() -> Scope:
    return Scope(_("Everything new"))


def of_type(type_key: str) -> Scope:
    labels = type_labels()
    if type_key not in labels:
        raise Http404(
            _("There is no record type “%(value)s”. Feeds exist for: %(choices)s.")
            % {"value": type_key[:60], "choices": ", ".join(sorted(labels))}
        )
    return Scope(labels[type_key], {"type": type_key})


def of_section(section: str) -> Scope:
    labels = dict(Section.choices)
    if section not in labels:
        raise Http404(
            _("There is no news section “%(value)s”. Feeds exist for: %(choices)s.")
            % {"value": section[:60], "choices": ", ".join(labels)}
        )
    return Scope(
        f"{type_labels()['news']}: {labels[section]}",
        {"type": "news", "section": section},
    )


def of_term(taxonomy: str, slug: str) -> Scope:
    _field, model, label = TAXONOMY_FACETS[taxonomy]
    # No slug holds a NUL, and PostgreSQL refuses one in a query.
    term = None if "\x00" in slug else model.objects.filter(slug=slug).first()
    if term is None:
        raise Http404(
            _(
                "There is no %(taxonomy)s “%(value)s”. /api/v1/taxonomy/ lists "
                "every slug."
            )
            % {"taxonomy": str(label).lower(), "value": slug.replace("\x00", "")[:60]}
        )
    return Scope(f"{label}: {term.name}", {taxonomy: slug})


def of_search(text: str) -> Scope:
    text = " ".join(text.replace("\x00", " ").split())[:200]
    if not text:
        raise Http404(_("A search feed needs words to search for: add ?q= to it."))
    return Scope(_("Search: %(query)s") % {"query": text}, {"q": text}, search=True)
