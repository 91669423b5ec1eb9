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
tail, and a new one is taken once the tail is long (kept_postings.py).
Words that few documents hold are read from the engine at each search, as
before.

Where the engine's phrase queries are costly (PostgreSQL rereads the vector
of every document holding all the words: about 0.1 s for "smart city
certification" at 100,000 records), a snapshot keeps the common words'
positions too, and a quoted phrase of common words is matched from them.
"""

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from .engines import Posting, engine
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


class _Kept:
    """Arrays read from kept postings in this process: key → arrays, least
    recently used first, within SEARCH_POSTINGS_CACHE_MB. A snapshot never
    changes, only gives way to the next generation, so nothing here goes
    stale."""

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple, tuple[np.ndarray, ...]] = OrderedDict()
        self._bytes = 0

    def get(self, key: tuple) -> tuple[np.ndarray, ...] | None:
        with _lock:
            arrays = self._entries.get(key)
            if arrays is not None:
                self._entries.move_to_end(key)
            return arrays

    def put(self, key: tuple, arrays: tuple[np.ndarray, ...]) -> None:
        budget = settings.SEARCH_POSTINGS_CACHE_MB * 1024 * 1024
        with _lock:
            if key in self._entries:
                return
            self._entries[key] = arrays
            self._bytes += sum(a.nbytes for a in arrays)
            while self._bytes > budget and self._entries:
                _key, old = self._entries.popitem(last=False)
                self._bytes -= sum(a.nbytes for a in old)


# Each kept word's (int32 pages, float32 weights), and its positions as
# sorted keys (`_keys`), by (language, generation, term).
_weights = _Kept()
_places = _Kept()
# A key is page << POSITION_BITS | position (positions are uint16).
POSITION_BITS = 16


def _stored(
    language: str, generation: int, terms: list[str]
) -> dict[str, tuple[np.ndarray, ...]]:
    """The kept postings of `terms`, from this process's memory or the
    database (about 1 ms for a word 100,000 documents hold on PostgreSQL)."""
    found = {}
    for term in terms:
        arrays = _weights.get((language, generation, term))
        if arrays is not None:
            found[term] = arrays
    missing = [term for term in terms if term not in found]
    if missing:
        for term, pages, weights in engine().kept_postings(
            language, generation, missing
        ):
            found[term] = (
                np.frombuffer(pages, dtype=np.int32),
                np.frombuffer(weights, dtype=np.float32),
            )
            _weights.put((language, generation, term), found[term])
    return found


def _stored_places(
    language: str, generation: int, terms: list[str]
) -> dict[str, np.ndarray]:
    """The kept positions of `terms` as sorted keys; a word kept without
    positions (SQLite, or a snapshot taken before they were kept) is left
    out."""
    read = {}
    for term in terms:
        arrays = _places.get((language, generation, term))
        if arrays is not None:
            read[term] = arrays[0]
    missing = [term for term in terms if term not in read]
    if missing:
        fields = ("pages", "counts", "positions")
        for term, pages, counts, positions in engine().kept_postings(
            language, generation, missing, fields
        ):
            # A word kept without positions is remembered as having none
            # (no keys), so phrases with it never read it again.
            read[term] = np.zeros(0, dtype=np.int64)
            if counts:
                read[term] = _keys(
                    np.frombuffer(pages, dtype=np.int32),
                    np.frombuffer(counts, dtype=np.uint16),
                    np.frombuffer(positions, dtype=np.uint16),
                )
            _places.put((language, generation, term), (read[term],))
    return {term: keys for term, keys in read.items() if len(keys)}


def _keys(pages: np.ndarray, counts: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Each position of a word as one sortable number: page, then position
    (pages ascending, as refresh() stores them; positions ascending in
    each page, as the engine keeps them)."""
    keys = np.repeat(pages.astype(np.int64), counts) << POSITION_BITS
    return keys | positions


def phrase_pages(keys: list[np.ndarray]) -> np.ndarray:
    """The pages where the words (each given by its `_keys`) stand one right
    after another, in order."""
    pages = [k >> POSITION_BITS for k in keys]
    size = 1 + max((int(p[-1]) for p in pages if len(p)), default=0)
    # Only pages holding every word can hold the phrase: narrowing each
    # word's positions to those first leaves few to look up.
    held = np.zeros(size, dtype=np.int16)
    for page_ids in pages:
        mark = np.zeros(size, dtype=bool)
        mark[page_ids] = True
        held += mark
    candidate = held == len(keys)
    hits = keys[0][candidate[pages[0]]]
    for offset, (word_keys, page_ids) in enumerate(
        zip(keys[1:], pages[1:], strict=True), 1
    ):
        narrowed = word_keys[candidate[page_ids]]
        if not len(narrowed) or not len(hits):
            return np.zeros(0, dtype=np.int64)
        wanted = hits + offset
        at = np.minimum(np.searchsorted(narrowed, wanted), len(narrowed) - 1)
        hits = hits[narrowed[at] == wanted]
    return np.unique(hits >> POSITION_BITS)


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
            phrases = [u for u in missing if len(u) > 1 and all(t in kept for t in u)]
            if phrases:
                self._read.update(self._phrases(self.snapshot, phrases))
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
            current = self._current(pages)
            pages, weights = pages[current], weights[current]
            if recent[term]:
                newer = np.array(recent[term], dtype=np.float64)
                pages = np.concatenate([pages, newer[:, 0].astype(np.int64)])
                weights = np.concatenate([weights, newer[:, 1]])
            found[(term,)] = (pages, weights)
        return found

    def _phrases(
        self, current: Snapshot, phrases: list[Alternative]
    ) -> dict[Alternative, Posting]:
        """Phrases of kept words, matched from their kept positions among
        the snapshot's documents, and by the engine among newer ones. A
        phrase's postings only say where it matches (weight 0), as the
        engine's do."""
        terms = sorted({term for phrase in phrases for term in phrase})
        places = _stored_places(self.language, current.generation, terms)
        found: dict[Alternative, Posting] = {}
        for phrase in phrases:
            if not all(term in places for term in phrase):
                continue  # kept without positions: the engine reads it
            pages = phrase_pages([places[term] for term in phrase])
            pages = pages[self._current(pages)]
            newer, _weights = engine().postings(
                phrase, self.language, after=current.last_document
            )
            pages = np.concatenate([pages, newer])
            found[phrase] = (pages, np.zeros(len(pages)))
        return found

    def _current(self, pages: np.ndarray) -> np.ndarray:
        """Which of the snapshot's pages still count: those not indexed
        again or dropped since."""
        changed = self._changed
        if changed is None:
            return np.ones(len(pages), dtype=bool)
        return ~changed[np.minimum(pages, len(changed) - 1)]


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
