"""Taking snapshots of common words' postings (postings.py) and keeping them
true as records are indexed and dropped between snapshots."""

from collections.abc import Callable

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .engines import DocumentKey, engine
from .models import RecentPosting, SearchDocument, SearchPostings, SearchSnapshot
from .postings import DROPPED, Snapshot, snapshot


def note_indexed(documents: list, columns: list[dict[str, list[str]]]) -> None:
    """Record the common words' weights in newly indexed documents (saved
    SearchDocuments and their columns' terms)."""
    search_engine = engine()
    rows = []
    held: dict[str, Snapshot | None] = {}
    for document, terms in zip(documents, columns, strict=True):
        if document.language not in held:
            held[document.language] = snapshot(document.language)
        current = held[document.language]
        if current is None:
            continue
        weights = search_engine.document_weights(
            terms, current.idf, current.average_length
        )
        rows.extend(
            RecentPosting(
                language=document.language,
                term=term,
                page_id=document.page_id,
                document_id=document.pk,
                weight=weight,
            )
            for term, weight in weights.items()
        )
    RecentPosting.objects.bulk_create(rows, batch_size=1000)


def note_dropped(documents: list[DocumentKey]) -> None:
    """Forget the recent postings of dropped documents, and mark those the
    snapshot holds as gone."""
    ids = [pk for pk, _page, _language in documents]
    for start in range(0, len(ids), 500):
        RecentPosting.objects.filter(document_id__in=ids[start : start + 500]).delete()
    held: dict[str, Snapshot | None] = {}
    marks = []
    for pk, page_id, language in documents:
        if language not in held:
            held[language] = snapshot(language)
        current = held[language]
        if current is not None and pk <= current.last_document:
            marks.append(
                RecentPosting(
                    language=language,
                    term=DROPPED,
                    page_id=page_id,
                    document_id=pk,
                    weight=0,
                )
            )
    RecentPosting.objects.bulk_create(marks, batch_size=1000)


def forget() -> None:
    """Drop every snapshot: searches read the engine alone until the next
    refresh (a full rebuild replaces every document anyway)."""
    with transaction.atomic():
        SearchSnapshot.objects.all().delete()
        SearchPostings.objects.all().delete()
        RecentPosting.objects.all().delete()


def pending(language: str) -> int | None:
    """Documents indexed since the language's snapshot (None: no snapshot)."""
    current = SearchSnapshot.objects.filter(language=language).first()
    if current is None:
        return None
    return SearchDocument.objects.filter(
        language=language, pk__gt=current.last_document
    ).count()


def is_stale(language: str) -> bool:
    """Whether a new snapshot is due: there is none yet and the language has
    common words to keep, or the documents indexed since the last one are
    more than SEARCH_POSTINGS_REFRESH_SHARE of the language's documents."""
    documents = SearchDocument.objects.filter(language=language).count()
    since = pending(language)
    if since is None:
        return documents >= settings.SEARCH_COMMON_TERM_DOCUMENTS
    return since > documents * settings.SEARCH_POSTINGS_REFRESH_SHARE


def refresh(language: str, progress: Callable[[int, int], None] | None = None) -> int:
    """Take a new snapshot of the language's common words' postings;
    returns how many words it keeps.

    The new postings are written beside the current ones in batches and
    switched to in one short transaction, so searches read one snapshot or
    the other, never a mix, and the index keeps taking writes meanwhile.
    """
    from .index import index_record

    minimum = settings.SEARCH_COMMON_TERM_DOCUMENTS
    search_engine = engine()
    # Documents up to here are read below; any written later are read from
    # their recent postings, so nothing is missed in between.
    last = SearchDocument.objects.aggregate(last=Max("pk"))["last"] or 0
    current = SearchSnapshot.objects.filter(language=language).first()
    generation = current.generation + 1 if current else 1
    # Left behind by a refresh that did not finish.
    SearchPostings.objects.filter(language=language, generation=generation).delete()
    average = search_engine.average_length()
    terms = search_engine.common_terms(language, minimum)
    batch: list[SearchPostings] = []
    kept = 0
    for done, (term, idf) in enumerate(terms, 1):
        pages, weights, counts, positions = search_engine.postings_to_keep(
            term, language
        )
        if len(pages) >= minimum:
            batch.append(
                SearchPostings(
                    language=language,
                    generation=generation,
                    term=term,
                    pages=pages.astype(np.int32).tobytes(),
                    weights=weights.astype(np.float32).tobytes(),
                    counts=counts.astype(np.uint16).tobytes(),
                    positions=positions.astype(np.uint16).tobytes(),
                    idf=idf,
                )
            )
            kept += 1
        if len(batch) >= 20 or done == len(terms):
            SearchPostings.objects.bulk_create(batch)
            batch = []
        if progress:
            progress(done, len(terms))
    with transaction.atomic():
        SearchSnapshot.objects.update_or_create(
            language=language,
            defaults={
                "generation": generation,
                "last_document": last,
                "taken": timezone.now(),
                "average_length": average,
            },
        )
        SearchPostings.objects.filter(language=language).exclude(
            generation=generation
        ).delete()
        RecentPosting.objects.filter(language=language, document_id__lte=last).delete()
    # Records indexed while the postings were read weighed their words for
    # the previous snapshot's list of common words: weigh them again.
    late = (
        SearchDocument.objects.filter(language=language, pk__gt=last)
        .values_list("page__translation_key", flat=True)
        .distinct()
    )
    for key in list(late):
        index_record(key)
    return kept


def refresh_all(
    progress: Callable[[str, int, int], None] | None = None, only_stale=False
) -> dict[str, int]:
    """Refresh every language's snapshot (or only the stale ones)."""
    kept = {}
    for language, _name in settings.LANGUAGES:
        if only_stale and not is_stale(language):
            continue
        step = (lambda d, t, lang=language: progress(lang, d, t)) if progress else None
        kept[language] = refresh(language, step)
    return kept
