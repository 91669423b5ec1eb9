"""Running a search: match, filter, count, rank, page, explain.

The search page, the JSON API and the benchmark all call `search()`. It reads
the reader's words and filters from a query string, asks the engine which
documents in the reader's language match, keeps those the listing catalogue
lists with the chosen filters, counts every filter value among them, and
returns one page of results, best first, with highlighted snippets.

When no record holds every word, records holding any of them are shown
instead; when a word is unknown to the archive, the nearest known word is
tried (and said so). Bad input never raises.
"""

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from django.core.cache import cache
from django.http import QueryDict
from django.utils.translation import gettext as _

from scis.core.catalogue import version_and_time
from scis.core.counting import catalogue_arrays
from scis.core.listing import (
    Facet,
    FacetOption,
    KnownCountPaginator,
    Listing,
    ListingQuery,
    labelled_facets,
    records_for,
    requested_page,
    total_of,
)
from scis.core.models import CatalogueEntry
from scis.core.records import record_models, record_type_key

from . import postings, vocabulary
from .models import SearchDocument
from .query import Query, parse
from .snippets import highlight_many, passage

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
SORTS = ("relevance", "date")
LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}


@dataclass
class Result:
    page: object  # the specific record page
    score: float
    title: str = ""  # highlighted, safe HTML
    snippet: str = ""  # highlighted, safe HTML
    fallback: bool = False


@dataclass
class SearchOutcome(Listing):
    """A listing of search results: the filters, counts and pagination of a
    listing page, plus what was searched for and how."""

    text: str = ""
    query: Query = field(default_factory=lambda: Query(""))
    results: list[Result] = field(default_factory=list)
    sort: str = "relevance"
    corrected: str = ""  # the query actually run, when a word was corrected
    loose: bool = False  # any word may match (no record had them all)

    @property
    def total(self) -> int:
        return self.page.paginator.count if self.page is not None else 0

    @property
    def searched(self) -> bool:
        return bool(self.query)

    def sort_query(self, sort: str) -> str:
        return self._query(**{**self.filters, **self.kept, "sort": sort})


class Matches:
    """Every document of one language matching a query, with its score
    (lower ranks higher), asked of the engine once, when first needed:
    counting and ranking both work from these in memory."""

    def __init__(self, query: Query, reader: postings.Reader):
        self.query = query
        self.reader = reader

    @cached_property
    def _read(self) -> tuple[np.ndarray, np.ndarray]:
        return postings.matches(self.query, self.reader)

    @property
    def pages(self) -> np.ndarray:
        return self._read[0]

    @property
    def scores(self) -> np.ndarray:
        return self._read[1]


class SearchFilters(ListingQuery):
    """The listing filters plus the record's own language, and the matches
    of the query being counted and ranked."""

    def __init__(self, params: QueryDict):
        self.matches: Matches | None = None
        super().__init__(params, [record_type_key(m) for m in record_models()])
        value = params.get("language", "").strip()
        if value in LANGUAGE_NAMES:
            self.filters["language"] = value
        elif value:
            self.notices.append(
                _(
                    "“%(value)s” is not a language of this portal, so that filter was ignored."
                )
                % {"value": value[:20]}
            )

    def queryset(self, language: str, skip: str | None = None):
        """Catalogue rows passing the filters, the written language
        included (what scis/core/counting.py counts in memory)."""
        qs = super().queryset(language, skip=skip)
        written = self.filters.get("language")
        if written and skip != "language":
            qs = qs.filter(fallback=written != language)
        return qs


def _language_facet(
    filters: SearchFilters, language: str, by_fallback: dict[bool, int]
) -> Facet:
    other = next(code for code in LANGUAGE_NAMES if code != language)
    counts = {other if fallback else language: n for fallback, n in by_fallback.items()}
    chosen = filters.filters.get("language")
    return Facet(
        "language",
        _("Written in"),
        [
            FacetOption(code, name, counts.get(code, 0), chosen == code)
            for code, name in LANGUAGE_NAMES.items()
            if counts.get(code) or chosen == code
        ],
    )


def _counted(filters: SearchFilters, query: Query, language: str, stamp: tuple):
    """Total and facets for a query and filters, cached until content changes.
    Counting runs in memory over the catalogue's arrays: one grouped SQL
    query per filter over every match took most of a broad search's time."""
    signature = json.dumps(
        [language, query.key(), sorted(filters.filters.items())], ensure_ascii=False
    )
    digest = hashlib.sha256(signature.encode()).hexdigest()[:32]
    key = f"scis:search-facets:{stamp[0]}:{digest}"
    cached = cache.get(key)
    if cached is None:
        arrays = catalogue_arrays(language, stamp)
        among = None
        if filters.matches is not None:
            among = arrays.rows_of_pages(filters.matches.pages)
        counts, by_fallback = arrays.count_values(filters, language, among)
        facets = labelled_facets(filters, counts, stamp)
        facets.insert(2, _language_facet(filters, language, by_fallback))
        cached = (total_of(counts, filters.filters), facets)
        cache.set(key, cached, 3600)
    return cached


def _ranked_ids(
    filters: SearchFilters, language: str, sort: str, offset: int, limit: int
) -> list[tuple[int, float]]:
    """One page of (page id, score) among the matches that pass the filters:
    best first (newer first among equals), or newest first."""
    if filters.matches is None:
        return []
    arrays = catalogue_arrays(language, filters.matches.reader.stamp)
    rows = arrays.row_numbers(filters.matches.pages)
    kept = arrays.passing(filters, language)[rows]
    pages = filters.matches.pages[kept]
    scores = filters.matches.scores[kept]
    newest = -arrays.dates[rows[kept]]
    first = newest if sort == "date" else scores
    wanted = offset + limit
    if len(first) > wanted:
        # Sort only what can reach the page: the `wanted` best by the first
        # key and everything tied with the last of them (a full sort of
        # 100,000 matches costs more than the rest of the ranking).
        bound = np.partition(first, wanted - 1)[wanted - 1]
        near = np.flatnonzero(first <= bound)
        pages, scores, newest = pages[near], scores[near], newest[near]
    # np.lexsort sorts by its last key first.
    keys = (pages, scores, newest) if sort == "date" else (pages, newest, scores)
    order = np.lexsort(keys)[offset : offset + limit]
    return [(int(pages[i]), float(scores[i])) for i in order]


def _try(filters: SearchFilters, query: Query, reader: postings.Reader) -> int:
    filters.matches = Matches(query, reader)
    total, _facets = _counted(filters, query, reader.language, reader.stamp)
    return total


def _correct(query: Query, reader: postings.Reader) -> str:
    """The query text with each word unknown to the archive replaced by the
    nearest known word, or "" when there is nothing to correct."""
    text = query.text.lower()
    changed = False
    for clause in query.clauses:
        if clause.phrase or not clause.source:
            continue
        terms = [alt[0] for alt in clause.alternatives if len(alt) == 1]
        counts = postings.holders(terms, reader)
        if any(counts.values()):
            continue
        replacement = vocabulary.closest(clause.source, reader.language)
        if replacement:
            text = text.replace(clause.source, replacement)
            changed = True
    return text if changed else ""


def search(
    params: QueryDict, language: str, page_size: int = PAGE_SIZE
) -> SearchOutcome:
    """Search the records readable in `language` as `params` asks."""
    text = params.get("q", "")
    query = parse(text)
    filters = SearchFilters(params)
    sort = params.get("sort", "relevance")
    sort = sort if sort in SORTS else "relevance"
    kept = {"q": query.text}
    if sort != "relevance":
        kept["sort"] = sort
    outcome = SearchOutcome(
        page=None,  # type: ignore[arg-type]  # set once the total is known
        facets=[],
        text=query.text,
        query=query,
        filters=filters.filters,
        notices=filters.notices,
        kept=kept,
        sort=sort,
    )
    if not query:
        if query.text:
            outcome.notices.append(
                _(
                    "“%(query)s” has no words that can be searched for; try a noun such as 교통 or “transport”."
                )
                % {"query": query.text[:60]}
            )
        return outcome

    # One reading of the catalogue version and of the index's state serves
    # every step below.
    stamp = version_and_time()
    reader = postings.Reader(language, stamp)
    total = _try(filters, query, reader)
    if total == 0:
        corrected = _correct(query, reader)
        if corrected:
            retry = parse(corrected)
            retry_total = _try(filters, retry, reader)
            if retry_total:
                outcome.corrected, query, total = retry.text, retry, retry_total
    if total == 0 and len(query.clauses) > 1:
        loose = query.any_of()
        loose_total = _try(filters, loose, reader)
        if loose_total:
            outcome.loose, query, total = True, loose, loose_total
    if total == 0:
        _try(filters, query, reader)  # the facets of the query as typed
    outcome.query = query

    total, outcome.facets = _counted(filters, query, language, stamp)
    paginator = KnownCountPaginator([], page_size, total)
    page = requested_page(paginator, params, outcome.notices)
    outcome.page = page
    outcome.results = _cached_results(
        filters, query, language, outcome.sort, page, stamp
    )
    return outcome


def _cached_results(filters, query, language, sort, page, stamp) -> list[Result]:
    """One page of ranked, highlighted results. Highlighting analyzes every
    title and passage, so the page is cached until content changes."""
    if not page.paginator.count:
        return []
    page_size = page.paginator.per_page
    signature = json.dumps(
        [
            language,
            query.key(),
            sorted(filters.filters.items()),
            sort,
            page.number,
            page_size,
        ],
        ensure_ascii=False,
    )
    digest = hashlib.sha256(signature.encode()).hexdigest()[:32]
    key = f"scis:search-results:{stamp[0]}:{digest}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    offset = (page.number - 1) * page_size
    ranked = _ranked_ids(filters, language, sort, offset, page_size)
    results = _results(ranked, query, language, stamp)
    cache.set(key, results, 3600)
    return results


def _listed(ids: list[int], language: str, stamp: tuple) -> dict[int, CatalogueEntry]:
    """The catalogue rows of these pages (type and fallback flag), from the
    catalogue's arrays the search has loaded already."""
    arrays = catalogue_arrays(language, stamp)
    rows = arrays.row_numbers(ids)
    return {
        page_id: CatalogueEntry(
            page_id=page_id,
            language=language,
            record_type=arrays.types.names[arrays.types.codes[row]],
            fallback=bool(arrays.fallback[row]),
        )
        for page_id, row in zip(ids, rows.tolist(), strict=True)
        if row < arrays.size
    }


def _results(
    ranked: list[tuple[int, float]], query: Query, language: str, stamp: tuple
) -> list[Result]:
    if not ranked:
        return []
    ids = [page_id for page_id, _score in ranked]
    entries = _listed(ids, language, stamp)
    pages = {p.pk: p for p in records_for([entries[i] for i in ids if i in entries])}
    texts = dict(
        SearchDocument.objects.filter(language=language, page_id__in=ids).values_list(
            "page_id", "text"
        )
    )
    terms = query.terms
    shown = [(pages[i], score) for i, score in ranked if i in pages]
    passages = [passage(texts.get(page.pk, ""), terms) for page, _score in shown]
    # Titles and passages are analyzed together, in one batch.
    marked = highlight_many([p.title for p, _s in shown] + passages, terms)
    return [
        Result(
            page=page,
            score=round(-score, 4),
            title=marked[i],
            snippet=marked[len(shown) + i],
            fallback=entries[page.pk].fallback,
        )
        for i, (page, score) in enumerate(shown)
    ]
