"""The listing catalogue: one narrow, indexed row per record per reading
language, kept in step with publishing. Listings, facet counts, the home page
and related records read it instead of joining every record table.

A record written in Korean with an English translation has two rows, one per
language. A record with no translation yet is also listed in the other
language, as a fallback row that points at the original page.
"""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from .models import CatalogueEntry, CatalogueVersion, RecordPage
from .records import TAXONOMY_FIELDS, record_models, record_type_key

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _is_listed(page: Page) -> bool:
    return (
        page.live
        and not PageViewRestriction.objects.filter(
            page__path__in=[page.path[:i] for i in range(4, len(page.path) + 1, 4)]
        ).exists()
    )


def _entry_values(page: RecordPage, language: str) -> dict:
    end = getattr(page, "end", None)
    return {
        "page_id": page.pk,
        "language": language,
        "record_type": record_type_key(type(page)),
        "section": getattr(page, "section", "") or "",
        "date": page.date,
        "year": page.date.year,
        "end_date": timezone.localtime(end).date() if end else None,
        "fallback": page.locale.language_code != language,
    }


def _write(entries: list[tuple[RecordPage, str]]) -> None:
    rows = CatalogueEntry.objects.bulk_create(
        [CatalogueEntry(**_entry_values(page, language)) for page, language in entries]
    )
    by_page: dict[int, list[int]] = {}
    for row in rows:
        by_page.setdefault(row.page_id, []).append(row.pk)
    pages = {page.pk: page for page, _language in entries}
    for field in TAXONOMY_FIELDS:
        through, term_col = CatalogueEntry.term_link(field)
        links = []
        for page_id, entry_ids in by_page.items():
            term_ids = [t.pk for t in getattr(pages[page_id], field).all()]
            for entry_id in entry_ids:
                links += [
                    through(catalogueentry_id=entry_id, **{f"{term_col}_id": term})
                    for term in term_ids
                ]
        through.objects.bulk_create(links, batch_size=5000)


def _group_entries(listed: list[RecordPage]) -> list[tuple[RecordPage, str]]:
    """Which page each language lists for one record and its translations:
    its own version, or else the original (a fallback row)."""
    if not listed:
        return []
    by_language = {p.locale.language_code: p for p in listed}
    original = by_language.get(settings.LANGUAGE_CODE) or listed[0]
    return [(by_language.get(code, original), code) for code in LANGUAGE_CODES]


@transaction.atomic
def refresh_record(page: RecordPage) -> None:
    """Re-list a record and its translations after any change to one of them
    (translations share the record's page type)."""
    group = list(
        type(page)
        .objects.filter(translation_key=page.translation_key)
        .select_related("locale")
    )
    CatalogueEntry.objects.filter(page__translation_key=page.translation_key).delete()
    _write(_group_entries([p for p in group if _is_listed(p)]))
    bump_version()


@transaction.atomic
def list_new_records(pages: list[RecordPage]) -> None:
    """List pages just published for the first time that have no
    translation yet, in one write (bulk importers): none of the reads and
    deletes a refresh needs."""
    if pages:
        _write([entry for page in pages for entry in _group_entries([page])])
        bump_version()


@transaction.atomic
def rebuild(progress=None) -> int:
    """Rebuild the whole catalogue from the live records; returns row count."""
    CatalogueEntry.objects.all().delete()
    restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    written = 0
    for model in record_models():
        queryset = (
            model.objects.live()
            .select_related("locale")
            .prefetch_related(*TAXONOMY_FIELDS)
            .order_by("translation_key", "pk")
        )
        # Translations sort together, so each group is complete when the
        # next key starts and the rebuild streams in constant memory.
        batch: list[tuple[RecordPage, str]] = []
        group: list[RecordPage] = []
        for page in queryset.iterator(chunk_size=2000):
            if any(page.path.startswith(path) for path in restricted):
                continue
            if group and group[0].translation_key != page.translation_key:
                batch += _group_entries(group)
                group = []
            group.append(page)
            if len(batch) >= 2000:
                _write(batch)
                written += len(batch)
                batch = []
                if progress:
                    progress(written)
        batch += _group_entries(group)
        _write(batch)
        written += len(batch)
    bump_version()
    return written


def bump_version() -> None:
    """Mark every cached listing count and page fragment stale."""
    now = timezone.now()
    updated = CatalogueVersion.objects.filter(pk=1).update(
        number=F("number") + 1, changed_at=now
    )
    if not updated:
        CatalogueVersion.objects.get_or_create(
            pk=1, defaults={"number": 2, "changed_at": now}
        )


def version_and_time() -> tuple[int, datetime | None]:
    """The current catalogue version and when it was raised (one read)."""
    row = CatalogueVersion.objects.filter(pk=1).values_list("number", "changed_at")
    found = row.first()
    return found if found else (1, None)


def version() -> int:
    """The current catalogue version (one indexed read)."""
    number = (
        CatalogueVersion.objects.filter(pk=1).values_list("number", flat=True).first()
    )
    return number or 1
