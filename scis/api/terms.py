"""Taxonomy terms of many records at once, read from the listing catalogue's
links (a few narrow queries, whatever the number of record types) with the
term names held in the cache until the catalogue changes."""

from django.core.cache import cache

from scis.core.catalogue import version
from scis.core.models import CatalogueEntry
from scis.core.records import TAXONOMY_FIELDS

Terms = dict[int, dict[str, list[dict]]]


def _term_table(field: str, number: int) -> dict[int, tuple[int, str, str, str]]:
    """id → (position in the taxonomy's own order, slug, Korean, English), as
    of catalogue version `number`."""
    key = f"scis:api:terms:{number}:{field}"
    table = cache.get(key)
    if table is None:
        model = CatalogueEntry._meta.get_field(field).related_model
        rows = model.objects.values_list("pk", "slug", "name_ko", "name_en")  # type: ignore[union-attr]
        table = {
            pk: (position, slug, ko, en)
            for position, (pk, slug, ko, en) in enumerate(rows)
        }
        cache.set(key, table, 3600)
    return table


def terms_for(page_ids: list[int], language: str, fields=TAXONOMY_FIELDS) -> Terms:
    """page id → taxonomy field → [{slug, name}], names in `language`."""
    found: Terms = {page_id: {field: [] for field in fields} for page_id in page_ids}
    if not page_ids or not fields:
        return found
    entry_pages = dict(
        CatalogueEntry.objects.filter(page_id__in=page_ids).values_list("pk", "page_id")
    )
    english = language == "en"
    number = version()
    for field in fields:
        table = _term_table(field, number)
        through, term_col = CatalogueEntry.term_link(field)
        links = through.objects.filter(
            catalogueentry_id__in=list(entry_pages)
        ).values_list("catalogueentry_id", f"{term_col}_id")
        chosen: dict[int, set[int]] = {}
        for entry_id, term_id in links:
            chosen.setdefault(entry_pages[entry_id], set()).add(term_id)
        for page_id, term_ids in chosen.items():
            rows = sorted(table[t] for t in term_ids if t in table)
            found[page_id][field] = [
                {"slug": slug, "name": (en or ko) if english else (ko or en)}
                for _position, slug, ko, en in rows
            ]
    return found
