"""Writing the search index: one record at a time after publishing, or the
whole archive at once.

Documents mirror the listing catalogue (scis/core/catalogue.py): one per
catalogue row, in that row's reading language. Each write replaces a whole
record (all of its translations), so it is safe to repeat and safe to run
while readers search: a reader sees either the old or the new documents.
"""

from collections import Counter
from collections.abc import Callable, Iterable

from django.db import transaction
from wagtail.models import Page

from scis.core.catalogue import bump_version
from scis.core.models import CatalogueEntry
from scis.core.records import TAXONOMY_FIELDS

from . import vocabulary
from .analyzer import analyzer
from .documents import COLUMNS, DocumentText, document_text
from .engines import engine
from .models import SearchDocument

BATCH_SIZE = 500


def _documents_for(
    entries: list[CatalogueEntry],
) -> list[tuple[SearchDocument, DocumentText]]:
    """Build (unsaved document, its text) for catalogue rows."""
    page_ids = {entry.page_id for entry in entries}
    pages = {
        page.pk: page
        for page in Page.objects.filter(pk__in=page_ids)
        .select_related("locale")
        .specific()
    }
    _prefetch(pages.values())
    keys = {page.translation_key for page in pages.values()}
    translations: dict = {}
    for page in (
        Page.objects.filter(translation_key__in=keys, live=True)
        .select_related("locale")
        .specific()
    ):
        translations.setdefault(page.translation_key, []).append(page)
    built = []
    for entry in entries:
        page = pages.get(entry.page_id)
        if page is None:
            continue
        other = next(
            (
                p
                for p in translations.get(page.translation_key, [])
                if p.pk != page.pk and hasattr(p, "summary")
            ),
            None,
        )
        text = document_text(page, other)
        document = SearchDocument(
            page_id=page.pk,
            language=entry.language,
            record_type=entry.record_type,
            date=entry.date,
            title=page.title[:500],
            text=text.shown,
        )
        built.append((document, text))
    return built


def _prefetch(pages: Iterable) -> None:
    from django.db.models import prefetch_related_objects

    by_model: dict[type, list] = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
    for model, group in by_model.items():
        lookups = list(TAXONOMY_FIELDS)
        if hasattr(model, "authors"):
            lookups.append("authors")
        prefetch_related_objects(group, *lookups)


def _analyzed(texts: list[DocumentText]) -> list[dict[str, list[str]]]:
    """Terms of every column of every document, analyzed in one batch."""
    flat = analyzer().terms_many([t.column(c) for t in texts for c in COLUMNS])
    width = len(COLUMNS)
    return [
        dict(zip(COLUMNS, flat[i * width : (i + 1) * width], strict=True))
        for i in range(len(texts))
    ]


def _store(built: list[tuple[SearchDocument, DocumentText]]) -> Counter:
    """Save documents and their analyzed text; returns their words."""
    # SQLite (3.35+) and PostgreSQL both return the new ids.
    SearchDocument.objects.bulk_create([document for document, _text in built])
    analyzed = _analyzed([text for _document, text in built])
    engine().write(
        [
            (document.pk, columns)
            for (document, _text), columns in zip(built, analyzed, strict=True)
        ]
    )
    words: Counter = Counter()
    found = vocabulary.words_of([text for _document, text in built])
    for (document, _text), document_words in zip(built, found, strict=True):
        words.update((document.language, w) for w in document_words)
    return words


def _drop(document_ids: list[int]) -> None:
    engine().delete(document_ids)
    SearchDocument.objects.filter(pk__in=document_ids).delete()


@transaction.atomic
def index_record(translation_key) -> int:
    """Re-index one record in every language it is listed in; returns how
    many documents it now has (0 once it is unpublished or deleted)."""
    old = list(
        SearchDocument.objects.filter(
            page__translation_key=translation_key
        ).values_list("pk", flat=True)
    )
    _drop(old)
    entries = list(CatalogueEntry.objects.filter(page__translation_key=translation_key))
    built = _documents_for(entries)
    vocabulary.add(_store(built))
    if len(built) < len(old) or not old:
        # A translation was deleted: its documents went with the page, but
        # the engine's own rows may remain.
        engine().delete_orphans()
    bump_version()  # cached result counts are keyed on it
    return len(built)


def remove_orphans() -> int:
    """Drop documents whose page left the catalogue (a safety net for pages
    deleted outside Wagtail)."""
    listed = CatalogueEntry.objects.values("page_id")
    orphans = list(
        SearchDocument.objects.exclude(page_id__in=listed).values_list("pk", flat=True)
    )
    _drop(orphans)
    return len(orphans)


def rebuild(progress: Callable[[int, int], None] | None = None) -> int:
    """Index every catalogue row again; returns the number of documents.

    Each batch replaces its own documents in a short transaction, so a site
    that keeps serving finds every record at every moment (old text or new)
    and never waits on one long lock.
    """
    total = CatalogueEntry.objects.count()
    words: Counter = Counter()
    done = 0
    last_id = 0
    while True:
        batch = list(
            CatalogueEntry.objects.filter(pk__gt=last_id).order_by("pk")[:BATCH_SIZE]
        )
        if not batch:
            break
        last_id = batch[-1].pk
        wanted = {(entry.page_id, entry.language) for entry in batch}
        with transaction.atomic():
            _drop(
                [
                    pk
                    for pk, page_id, language in SearchDocument.objects.filter(
                        page_id__in={page_id for page_id, _lang in wanted}
                    ).values_list("pk", "page_id", "language")
                    if (page_id, language) in wanted
                ]
            )
            words += _store(_documents_for(batch))
        done += len(batch)
        if progress:
            progress(done, total)
    remove_orphans()
    vocabulary.replace(words)
    bump_version()
    return SearchDocument.objects.count()
