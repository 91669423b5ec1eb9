"""A query's matches and scores, put together from the postings of its words.

Both engines score a query as a sum of parts that each depend on one word or
phrase and one document (engines/, `combine`). So a search asks the engine
for each word's documents and weights separately and adds them up with numpy,
which finds the same documents in the same order as the engine's own ranking
of the whole query.

What that buys: a word most documents hold (도시, 교통, smart) is the costly
part of any query, as the engine must read and weigh every one of its
documents (about 0.15 s on SQLite and 1 s on PostgreSQL for 100,000). The
postings of those common words are read once and kept in SearchPostings, per
language: a snapshot that covers every document up to `last_document`.
Documents indexed since then (a publish, an edit) carry their own weights for
the common words in RecentPosting, written when they are indexed, and stand in
for their older entries. So a snapshot is never out of date; it only grows a
tail, and the scheduler takes a new one once the tail is long
(`refresh_search_postings`). Words that few documents hold are read from the
engine at each search, as before.
"""

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .engines import DocumentKey, Posting, engine
from .models import RecentPosting, SearchDocument, SearchPostings, SearchSnapshot
from .query import Alternative, Query

# The term of a RecentPosting that says a document the snapshot holds was
# dropped (its record unpublished, deleted or indexed again): the snapshot's
# entries for its page no longer count.
DROPPED = ""


@dataclass(frozen=True)
class Snapshot:
    language: str
    generation: int
    last_document: int
    average_length: float
    idf: dict[str, float]  # every common word of the snapshot

    @property
    def terms(self) -> set[str]:
        return set(self.idf)


_lock = threading.Lock()
_held: dict[str, Snapshot] = {}


def snapshot(language: str) -> Snapshot | None:
    """The language's current snapshot (its list of words kept in this
    process until a refresh replaces it), or None before the first."""
    row = (
        SearchSnapshot.objects.filter(language=language)
        .values_list("generation", "last_document", "average_length")
        .first()
    )
    if row is None:
        return None
    generation, last_document, average_length = row
    held = _held.get(language)
    # A snapshot is known by all three: after `forget()` generations start
    # again from 1.
    if held is None or (held.generation, held.last_document) != (
        generation,
        last_document,
    ):
        idf = dict(
            SearchPostings.objects.filter(
                language=language, generation=generation
            ).values_list("term", "idf")
        )
        held = Snapshot(language, generation, last_document, average_length, idf)
        with _lock:
            _held[language] = held
    return held


class Reader:
    """Postings of one language's words as the index stands now: made once
    per search, and remembers what it read for that search."""

    def __init__(self, language: str, stamp: tuple | None = None):
        from scis.core.catalogue import version_and_time

        self.language = language
        # The catalogue version (and when it was raised) this search reads.
        self.stamp = stamp or version_and_time()
        self.snapshot = snapshot(language)
        self._changed: np.ndarray | None = None
        self._read: dict[Alternative, Posting] = {}
        if self.snapshot is not None:
            # Pages indexed since the snapshot, and pages it holds that were
            # dropped, in one statement. The newer documents are found by id
            # alone, so the primary key finds the few newer rows (with the
            # language too, SQLite walks the language's whole index).
            newer = SearchDocument.objects.filter(
                pk__gt=self.snapshot.last_document
            ).values_list("page_id", "language")
            dropped = RecentPosting.objects.filter(
                language=language, term=DROPPED
            ).values_list("page_id", "language")
            changed = (
                page_id
                for page_id, lang in newer.union(dropped, all=True)
                if lang == language
            )
            pages = np.fromiter(changed, dtype=np.int64)
            if len(pages):
                # page id → indexed since the snapshot, with a last False
                # slot for every page id past the highest.
                self._changed = np.zeros(int(pages.max()) + 2, dtype=bool)
                self._changed[pages] = True

    def __call__(self, units: Iterable[Alternative]) -> dict[Alternative, Posting]:
        wanted = set(units)
        # One search may ask for a word again (spelling check, then the
        # query; the query, then any of its words): read each once.
        missing = wanted - self._read.keys()
        if self.snapshot is not None:
            kept = self.snapshot.idf
            common = sorted({u[0] for u in missing if len(u) == 1 and u[0] in kept})
            if common:
                self._read.update(self._common(self.snapshot.generation, common))
        for unit in missing:
            if unit not in self._read:
                self._read[unit] = engine().postings(unit, self.language)
        return {unit: self._read[unit] for unit in wanted}

    def _common(self, generation: int, terms: list[str]) -> dict[Alternative, Posting]:
        kept = _stored(self.language, generation, terms)
        recent: dict[str, list] = defaultdict(list)
        for term, page_id, weight in RecentPosting.objects.filter(
            language=self.language, term__in=terms
        ).values_list("term", "page_id", "weight"):
            recent[term].append((page_id, weight))
        found: dict[Alternative, Posting] = {}
        for term, (pages_data, weights_data) in kept.items():
            pages = pages_data.astype(np.int64)
            weights = weights_data.astype(np.float64)
            if self._changed is not None:
                stale = self._changed[np.minimum(pages, len(self._changed) - 1)]
                pages, weights = pages[~stale], weights[~stale]
            if recent[term]:
                newer = np.array(recent[term], dtype=np.float64)
                pages = np.concatenate([pages, newer[:, 0].astype(np.int64)])
                weights = np.concatenate([weights, newer[:, 1]])
            found[(term,)] = (pages, weights)
        return found


# Kept postings read lately, in this process: (language, generation, term) →
# (int32 pages, float32 weights), least recently used first. A snapshot never
# changes, only gives way to the next generation, so nothing here goes stale.
_cache: OrderedDict[tuple[str, int, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
_cache_bytes = 0


def _stored(
    language: str, generation: int, terms: list[str]
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The kept postings of `terms`, from this process's memory or the
    database (about 1 ms for a word 100,000 documents hold on PostgreSQL)."""
    global _cache_bytes
    found = {}
    with _lock:
        for term in terms:
            key = (language, generation, term)
            if key in _cache:
                _cache.move_to_end(key)
                found[term] = _cache[key]
    missing = [term for term in terms if term not in found]
    if not missing:
        return found
    rows = engine().kept_postings(language, generation, missing)
    budget = settings.SEARCH_POSTINGS_CACHE_MB * 1024 * 1024
    for term, pages_data, weights_data in rows:
        arrays = (
            np.frombuffer(pages_data, dtype=np.int32),
            np.frombuffer(weights_data, dtype=np.float32),
        )
        found[term] = arrays
        size = arrays[0].nbytes + arrays[1].nbytes
        with _lock:
            _cache[(language, generation, term)] = arrays
            _cache_bytes += size
            while _cache_bytes > budget and _cache:
                _key, (old_pages, old_weights) = _cache.popitem(last=False)
                _cache_bytes -= old_pages.nbytes + old_weights.nbytes
    return found


def matches(query: Query, reader: Reader) -> Posting:
    """Page ids of the documents in the reader's language matching `query`,
    and their scores (lower ranks higher)."""
    from scis.core.counting import catalogue_arrays

    search_engine = engine()
    found = reader(search_engine.units(query))
    arrays = catalogue_arrays(reader.language, reader.stamp)
    return search_engine.combine(query, found, arrays.size)


def holders(terms: list[str], reader: Reader) -> dict[str, int]:
    """How many documents in the reader's language hold each term."""
    found = reader((term,) for term in terms)
    return {term: len(found[(term,)][0]) for term in terms}


# Keeping the snapshot up to date.


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
        pages, weights = search_engine.postings((term,), language)
        if len(pages) >= minimum:
            batch.append(
                SearchPostings(
                    language=language,
                    generation=generation,
                    term=term,
                    pages=pages.astype(np.int32).tobytes(),
                    weights=weights.astype(np.float32).tobytes(),
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
