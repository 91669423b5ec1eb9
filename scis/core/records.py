"""Queries over content records of every type (news, literature, events, …)."""

from functools import cache
from typing import Any

from django.apps import apps
from wagtail.models import Page

from .models import RecordPage

TAXONOMY_FIELDS = ("topics", "programmes", "regions", "organisations")


@cache
def record_models() -> tuple[type[RecordPage], ...]:
    """Every concrete page model that is a content record, in a stable order."""
    return tuple(
        model
        for model in apps.get_models()
        if issubclass(model, RecordPage) and not model._meta.abstract
    )


def live_pages_of(model: type[Page]):
    """Live pages of a page type with few pages (index pages, programmes,
    policies). Without statistics SQLite joins such a type by scanning every
    page of the archive; picking the ids from the type's own table first
    keeps it an index lookup however large the archive grows."""
    ids = list(model.objects.order_by().values_list("pk", flat=True))
    return model.objects.filter(pk__in=ids).live()


def record_type_key(model: type[Page]) -> str:
    return model._meta.model_name.removesuffix("page")


def latest_records(
    language: str, record_type: str, section: str = "", programme=None, limit: int = 4
) -> list:
    """The newest records of one type in a reading language."""
    from .listing import records_for
    from .models import CatalogueEntry

    rows = CatalogueEntry.objects.filter(language=language, record_type=record_type)
    if section:
        rows = rows.filter(section=section)
    if programme is not None:
        rows = rows.filter(programmes=programme)
    return records_for(list(rows.order_by("-date", "-id")[:limit]))


def upcoming_records(language: str, record_type: str, limit: int) -> list:
    """Records (events) that have not ended yet, soonest first."""
    from django.utils import timezone

    from .listing import records_for
    from .models import CatalogueEntry

    rows = CatalogueEntry.objects.filter(
        language=language, record_type=record_type, end_date__gte=timezone.localdate()
    ).order_by("date", "id")[:limit]
    return records_for(list(rows))


RELATED_CANDIDATES = 50


def related_records(page: RecordPage, limit: int = 4) -> list[RecordPage]:
    """Records in the reader's language that share the most programmes,
    regions and topics with `page`, newest first among equals. Each term
    contributes its most recent records only, so the cost stays flat as the
    archive grows; the choice is cached until the catalogue changes."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    from .catalogue import version
    from .listing import records_for
    from .models import CatalogueEntry

    language = get_language() or page.locale.language_code
    key = f"scis:related:{version()}:{language}:{page.pk}:{limit}"
    chosen = cache.get(key)
    if chosen is not None:
        return records_for(chosen)
    own_ids = list(
        Page.objects.filter(translation_key=page.translation_key)
        .order_by()
        .values_list("pk", flat=True)
    )
    scores: dict[int, int] = {}
    dates: dict[int, Any] = {}
    for field in TAXONOMY_FIELDS[:3]:
        term_ids = [term.pk for term in getattr(page, field).all()]
        if not term_ids:
            continue
        through, term_col = CatalogueEntry.term_link(field)
        candidates = (
            through.objects.filter(
                **{f"{term_col}__in": term_ids},
                catalogueentry__language=language,
            )
            .exclude(catalogueentry__page_id__in=own_ids)
            .order_by("-catalogueentry__date")
            .values_list("catalogueentry_id", "catalogueentry__date")[
                :RELATED_CANDIDATES
            ]
        )
        for entry_id, date in candidates:
            scores[entry_id] = scores.get(entry_id, 0) + 1
            dates[entry_id] = date
    best = sorted(scores, key=lambda e: (scores[e], dates[e], e), reverse=True)[:limit]
    entries = CatalogueEntry.objects.in_bulk(best)
    chosen = [entries[e] for e in best]
    cache.set(key, chosen, 3600)
    return records_for(chosen)
