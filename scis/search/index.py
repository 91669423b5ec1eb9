"""Writing the search index: one record at a time after publishing, or the
whole archive at once.

Documents mirror the listing catalogue (scis/core/catalogue.py): one per
catalogue row, in that row's reading language. Each write replaces a whole
record (all of its translations), so it is safe to repeat and safe to run
while readers search: a reader sees either the old or the new documents.
"""

from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from wagtail.models import Page

from scis.core.catalogue import bump_version
from scis.core.models import CatalogueEntry
from scis.core.processes import forked_pool
from scis.core.records import TAXONOMY_FIELDS

from . import kept_postings, vocabulary
from .analyzer import analyzer
from .documents import COLUMNS, DocumentText, document_text
from .engines import DocumentKey, engine
from .models import SearchDocument
from .query import with_compounds

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


# A document's terms by column; the same terms as the engine writes them
# (Engine.prepare); the vocabulary words of its title and summary.
Analysed = tuple[dict[str, list[str]], Any, set[str]]


def analyse(texts: list[DocumentText]) -> list[Analysed]:
    """Terms of every column of each document, as they are and as the
    engine writes them, and the vocabulary words of its title and summary.
    One Kiwi batch; a text that recurs (an untranslated record is listed in
    both languages with the same text) is analyzed once. Pure computation:
    index worker processes run it."""
    columns = [t.column(c) for t in texts for c in COLUMNS]
    distinct = list(dict.fromkeys(columns))
    found = dict(zip(distinct, analyzer().analyse_many(distinct), strict=True))
    search_engine = engine()
    analysed = []
    for t in texts:
        terms = {c: with_compounds(found[t.column(c)].terms) for c in COLUMNS}
        words = vocabulary.usable(found[t.title].words | found[t.summary].words)
        analysed.append((terms, search_engine.prepare(terms), words))
    return analysed


def _store(
    built: list[tuple[SearchDocument, DocumentText]], analysed: list[Analysed]
) -> Counter:
    """Save documents and their analyzed text; returns their words."""
    documents = [document for document, _text in built]
    engine().create(documents, [prepared for _terms, prepared, _words in analysed])
    kept_postings.note_indexed(
        documents, [terms for terms, _prepared, _words in analysed]
    )
    words: Counter = Counter()
    for (document, _text), (_terms, _prepared, document_words) in zip(
        built, analysed, strict=True
    ):
        words.update((document.language, w) for w in document_words)
    return words


def _drop(documents: list[DocumentKey]) -> None:
    engine().delete(documents)
    kept_postings.note_dropped(documents)
    SearchDocument.objects.filter(
        pk__in=[pk for pk, _page, _lang in documents]
    ).delete()


@transaction.atomic
def index_record(translation_key) -> int:
    """Re-index one record in every language it is listed in; returns how
    many documents it now has (0 once it is unpublished or deleted)."""
    old = list(
        SearchDocument.objects.filter(
            page__translation_key=translation_key
        ).values_list("pk", "page_id", "language")
    )
    _drop(old)
    entries = list(CatalogueEntry.objects.filter(page__translation_key=translation_key))
    built = _documents_for(entries)
    vocabulary.add(_store(built, analyse([text for _document, text in built])))
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
        SearchDocument.objects.exclude(page_id__in=listed).values_list(
            "pk", "page_id", "language"
        )
    )
    _drop(orphans)
    return len(orphans)


def _batches() -> Iterator[list[int]]:
    """Catalogue row ids in batches of about BATCH_SIZE, each holding whole
    records (every language of a record together), so a record's text is
    read once however many documents it has."""
    # Read whole, not streamed: an open cursor would hold SQLite's write-ahead
    # log open for the length of the rebuild, and the log would grow by every
    # batch written.
    rows = list(
        CatalogueEntry.objects.order_by(
            "page__translation_key", "page_id", "language"
        ).values_list("pk", "page__translation_key")
    )
    batch: list[int] = []
    last_key = None
    for pk, key in rows:
        if len(batch) >= BATCH_SIZE and key != last_key:
            yield batch
            batch = []
        batch.append(pk)
        last_key = key
    if batch:
        yield batch


def _replace(entries: list[CatalogueEntry], built, analysed: list[Analysed]) -> Counter:
    """Swap a batch's old documents for new ones in one short transaction."""
    wanted = {(entry.page_id, entry.language) for entry in entries}
    with transaction.atomic():
        _drop(
            [
                key
                for key in SearchDocument.objects.filter(
                    page_id__in={page_id for page_id, _lang in wanted}
                ).values_list("pk", "page_id", "language")
                if key[1:] in wanted
            ]
        )
        return _store(built, analysed)


def rebuild(
    progress: Callable[[int, int], None] | None = None,
    refreshing: Callable[[str, int, int], None] | None = None,
    keep_postings: bool = True,
) -> int:
    """Index every catalogue row again, then take new snapshots of the
    common words' postings (postings.py; `refreshing` follows that part, and
    `keep_postings=False` skips it); returns the number of documents.

    Each batch replaces its own documents in a short transaction, so a site
    that keeps serving finds every record at every moment (old text or new)
    and never waits on one long lock. For a large archive the analysis runs
    in SEARCH_INDEX_PROCESSES forked workers while this process reads the
    next batch and writes the last one.
    """
    total = CatalogueEntry.objects.count()
    processes = settings.SEARCH_INDEX_PROCESSES
    if total < settings.SEARCH_INDEX_PROCESS_MIN_DOCUMENTS:
        processes = 0
    analyzer()  # loaded once, here, and inherited by the workers
    if keep_postings:
        # Every document is about to be replaced: until the new snapshots,
        # searches read the engine alone (slower, never wrong).
        kept_postings.forget()
    words: Counter = Counter()
    done = 0

    def write(entries, built, analysed) -> None:
        nonlocal words, done
        words += _replace(entries, built, analysed)
        done += len(entries)
        if progress:
            progress(done, total)

    # Batches read, analysing, not yet written: enough to keep every worker busy.
    pending: deque = deque()
    executor = forked_pool(processes) if processes else None
    try:
        for ids in _batches():
            entries = list(CatalogueEntry.objects.filter(pk__in=ids).order_by("pk"))
            built = _documents_for(entries)
            texts = [text for _document, text in built]
            if executor is None:
                write(entries, built, analyse(texts))
                continue
            pending.append((entries, built, executor.submit(analyse, texts)))
            if len(pending) > processes:
                entries, built, future = pending.popleft()
                write(entries, built, future.result())
        while pending:
            entries, built, future = pending.popleft()
            write(entries, built, future.result())
    finally:
        if executor is not None:
            executor.shutdown(cancel_futures=True)
    remove_orphans()
    vocabulary.replace(words)
    if keep_postings:
        kept_postings.refresh_all(refreshing)
    bump_version()
    return SearchDocument.objects.count()
