"""What both engines share: the document table, the shape of postings, and
the interface search and indexing call (`Engine`)."""

from collections.abc import Iterable
from typing import Any

import numpy as np

from ..query import Alternative, Query, is_compound, joined

DOCUMENT_TABLE = "portal_search_searchdocument"

# A search document as the engines know it: (id, page id, language).
DocumentKey = tuple[int, int, str]
# Page ids and a weight for each.
Posting = tuple[np.ndarray, np.ndarray]


class Engine:
    vendor = ""

    def prepare(self, columns: dict[str, list[str]]) -> Any:
        """A document's terms (column → terms) in the form `create` writes
        them. Made where the text is analyzed, so in a rebuild the worker
        processes do it and the one process writing the index does less."""
        raise NotImplementedError

    def create(self, documents: list, prepared: list) -> None:
        """Save new SearchDocuments (setting their ids) with their terms,
        each as `prepare` gave them."""
        raise NotImplementedError

    def delete(self, documents: list[DocumentKey]) -> None:
        raise NotImplementedError

    def delete_orphans(self) -> None:
        """Drop engine rows whose document row is gone."""

    def postings(
        self, alternative: Alternative, language: str, after: int | None = None
    ) -> Posting:
        """Page ids of the documents in `language` holding `alternative` (a
        word, or a phrase), and the alternative's weight in each: the parts
        `combine` puts a query's scores together from. `after`: only among
        documents whose id is above it."""
        raise NotImplementedError

    def postings_to_keep(self, term: str, language: str) -> tuple[Any, ...]:
        """A common word's page ids and weights, as `postings` gives them,
        for a snapshot of kept postings (postings.py), then how many
        positions the word has in each page (uint16) and those positions,
        page after page (uint16), or two empty arrays where the engine's own
        phrase queries are cheap enough."""
        pages, weights = self.postings((term,), language)
        empty = np.zeros(0, dtype=np.uint16)
        return pages, weights, empty, empty

    def combine(
        self, query: Query, found: dict[Alternative, Posting], documents: int
    ) -> Posting:
        """Page ids of the documents matching every clause of `query`, and
        each one's score (lower ranks higher), from the postings of the
        words and phrases `units(query)` names: the engine's own ranking of
        the whole query, put together from its parts. `documents`: how many
        documents the language has."""
        raise NotImplementedError

    def units(self, query: Query) -> set[Alternative]:
        """The words and phrases whose postings `combine` needs."""
        return {searched(a) for clause in query.clauses for a in clause.alternatives}

    def common_terms(self, language: str, minimum: int) -> list[tuple[str, float]]:
        """(term, idf) of the words at least `minimum` documents hold,
        commonest first (idf: SQLite only, else 0)."""
        raise NotImplementedError

    def average_length(self) -> float:
        """SQLite only: the average document length BM25 divides by."""
        return 0.0

    def document_weights(
        self, columns: dict[str, list[str]], idf: dict[str, float], average: float
    ) -> dict[str, float]:
        """The weight of each word of `idf` that a document with these
        columns holds, as `postings` would give it: for documents indexed
        after a snapshot of common words' postings was taken."""
        raise NotImplementedError

    def kept_postings(
        self,
        language: str,
        generation: int,
        terms: list[str],
        fields: tuple[str, ...] = ("pages", "weights"),
    ) -> list[tuple[Any, ...]]:
        """The term and `fields` of kept postings (postings.py), as stored:
        arrays in bytes."""
        from ..models import SearchPostings

        rows = SearchPostings.objects.filter(
            language=language, generation=generation, term__in=terms
        ).values_list("term", *fields)
        return [(term, *(bytes(value) for value in values)) for term, *values in rows]

    def prefix_titles(self, prefix_terms: list[str], language: str, limit: int):
        """Titles of documents whose title has words starting with each of
        `prefix_terms` (the last one a prefix), best first."""
        raise NotImplementedError


def searched(alternative: Alternative) -> Alternative:
    """The terms an alternative is searched by: a compound phrase by its one
    joined term (query.with_compounds), any other phrase word by word."""
    return (joined(alternative),) if is_compound(alternative) else alternative


def posting_of(rows: list) -> Posting:
    table = np.array(rows, dtype=np.float64).reshape(-1, 2)
    return table[:, 0].astype(np.int64), table[:, 1]


def size_of(postings: Iterable[Posting]) -> int:
    """One past the highest page id among the postings."""
    return 1 + max((int(p.max()) for p, _w in postings if len(p)), default=0)
