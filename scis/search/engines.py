"""The two places analyzed text is indexed and matched: SQLite FTS5 and
PostgreSQL full text. Both receive terms already produced by analyzer.py and
never parse text themselves, so they find exactly the same documents; only
ranking differs (BM25 in FTS5; weighted `ts_rank` in PostgreSQL).

Every term reaches the engine as a quoted literal: FTS5 strings in double
quotes, tsquery lexemes in single quotes. Nothing a reader types becomes
engine syntax.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Iterable

import numpy as np
from django.conf import settings
from django.db import connection

from .documents import COLUMNS
from .query import Alternative, Query, is_compound, joined

FTS_TABLE = "portal_search_fts"
FTS_VOCABULARY = "portal_search_fts_terms"  # fts5vocab 'row': documents per term
DOCUMENT_TABLE = "portal_search_searchdocument"
# Column weights, in COLUMNS order: title, summary, body, meta, other.
# nDCG@10 on the evaluation set is flat (0.850–0.851) for titles from 7 to 9
# with summaries at half the title; 10 lost 0.002 once compound phrases
# (query.with_compounds) made documents about them a little longer.
FTS_WEIGHTS = (8.0, 4.0, 1.0, 3.0, 1.5)
# PostgreSQL has four weight classes: D (other), C (body), B (summary and
# meta), A (title), given here in the order ts_rank expects: D, C, B, A.
PG_CLASS = {"title": "A", "summary": "B", "meta": "B", "body": "C", "other": "D"}
PG_WEIGHTS = "{0.15, 0.3, 0.6, 1.0}"
PG_CLASS_WEIGHT = {"D": 0.15, "C": 0.3, "B": 0.6, "A": 1.0}
# ts_rank normalisation 32 maps each clause's rank r to r / (r + 1): more
# hits count for less and less, as term frequency does in BM25. Dividing by
# the length as well (flag 1) pushed long records that are centrally about a
# subject below short ones that mention it: nDCG@10 0.848 against 0.860.
PG_NORMALIZATION = 32
PG_MAX_POSITION = 16383
# FTS5 row ids hold a language's slot above the page id, so each language's
# documents are one range of row ids: a search reads only that range of each
# term's postings (half the work of reading both languages) and has the page
# id without a join to the document table (the other half).
PAGE_BITS = 40
PAGE_MASK = (1 << PAGE_BITS) - 1


def language_slot(language: str) -> int:
    """The language's place in settings.LANGUAGES (new languages go last:
    a slot, once given, is part of the FTS5 row ids already written)."""
    codes = [code for code, _name in settings.LANGUAGES]
    if language not in codes:
        raise ValueError(
            f"{language!r} is not in settings.LANGUAGES ({', '.join(codes)}): "
            "search documents exist only in the portal's languages."
        )
    return codes.index(language)


def fts_rowid(page_id: int, language: str) -> int:
    return (language_slot(language) << PAGE_BITS) | page_id


# A search document as the engines know it: (id, page id, language).
DocumentKey = tuple[int, int, str]
# Page ids and a weight for each.
Posting = tuple[np.ndarray, np.ndarray]


class Engine:
    vendor = ""

    def create(self, documents: list, columns: list[dict[str, list[str]]]) -> None:
        """Save new SearchDocuments (setting their ids) with the terms of
        each column of each."""
        raise NotImplementedError

    def delete(self, documents: list[DocumentKey]) -> None:
        raise NotImplementedError

    def delete_orphans(self) -> None:
        """Drop engine rows whose document row is gone."""

    def postings(self, alternative: Alternative, language: str) -> Posting:
        """Page ids of the documents in `language` holding `alternative` (a
        word, or a phrase), and the alternative's weight in each: the parts
        `combine` puts a query's scores together from."""
        raise NotImplementedError

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
        return {_searched(a) for clause in query.clauses for a in clause.alternatives}

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

    def prefix_titles(self, prefix_terms: list[str], language: str, limit: int):
        """Titles of documents whose title has words starting with each of
        `prefix_terms` (the last one a prefix), best first."""
        raise NotImplementedError


def _fts_string(terms: Alternative) -> str:
    return '"' + " ".join(t.replace('"', '""') for t in terms) + '"'


def _searched(alternative: Alternative) -> Alternative:
    """The terms an alternative is searched by: a compound phrase by its one
    joined term (query.with_compounds), any other phrase word by word."""
    return (joined(alternative),) if is_compound(alternative) else alternative


class SQLiteEngine(Engine):
    vendor = "sqlite"

    def compile(self, query: Query) -> str:
        clauses = []
        for clause in query.clauses:
            alternatives = [_fts_string(_searched(a)) for a in clause.alternatives]
            clauses.append("(" + " OR ".join(alternatives) + ")")
        return " AND ".join(clauses)

    def create(self, documents, columns):
        from .models import SearchDocument

        # SQLite (3.35+) returns the new ids.
        SearchDocument.objects.bulk_create(documents)
        self.write(
            [
                ((d.pk, d.page_id, d.language), terms)
                for d, terms in zip(documents, columns, strict=True)
            ]
        )

    def write(self, rows: list[tuple[DocumentKey, dict[str, list[str]]]]) -> None:
        """(document, column → terms) into the FTS5 table."""
        if not rows:
            return
        with connection.cursor() as cursor:
            self.delete([document for document, _columns in rows])
            placeholders = ", ".join(["%s"] * (len(COLUMNS) + 1))
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(COLUMNS)}) "
                f"VALUES ({placeholders})",
                [
                    [fts_rowid(page_id, language)]
                    + [" ".join(columns[c]) for c in COLUMNS]
                    for (_id, page_id, language), columns in rows
                ],
            )

    def delete(self, documents):
        rowids = [fts_rowid(page_id, language) for _id, page_id, language in documents]
        with connection.cursor() as cursor:
            for start in range(0, len(rowids), 500):
                chunk = rowids[start : start + 500]
                cursor.execute(
                    f"DELETE FROM {FTS_TABLE} WHERE rowid IN "
                    f"({', '.join(['%s'] * len(chunk))})",
                    chunk,
                )

    def delete_orphans(self):
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN "
                f"(SELECT {_rowid_sql('language', 'page_id')} FROM {DOCUMENT_TABLE})"
            )

    def _in_language(self, language: str) -> str:
        slot = language_slot(language) << PAGE_BITS
        return f"{FTS_TABLE}.rowid BETWEEN {slot} AND {slot | PAGE_MASK}"

    def postings(self, alternative, language):
        # FTS5's bm25() of a query is a sum over the query's phrases, each
        # phrase's part depending only on the phrase and the document (and
        # the whole table's counts): the part of one phrase is its score
        # as a query of its own.
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {FTS_TABLE}.rowid & {PAGE_MASK}, "
                f"-bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} "
                f"WHERE {FTS_TABLE} MATCH %s AND {self._in_language(language)}",
                [_fts_string(alternative)],
            )
            return _posting(cursor.fetchall())

    def combine(self, query, found, documents):
        size = _size(found.values())
        score = np.zeros(size)
        matched = np.ones(size, dtype=bool)
        for clause in query.clauses:
            present = np.zeros(size, dtype=bool)
            # A document holding two alternatives of a clause scores for
            # both, as it does in bm25().
            for alternative in clause.alternatives:
                pages, weights = found[_searched(alternative)]
                present[pages] = True
                score += np.bincount(pages, weights, minlength=size)
            matched &= present
        pages = np.flatnonzero(matched)
        return pages, -score[pages]

    def common_terms(self, language, minimum):
        # fts5vocab counts documents over the whole table, every language;
        # postings.refresh keeps the words common in this one.
        with connection.cursor() as cursor:
            rows, _total = _fts_totals(cursor)
            cursor.execute(
                f"SELECT term, doc FROM {FTS_VOCABULARY} WHERE doc >= %s "
                "ORDER BY doc DESC",
                [minimum],
            )
            return [(term, _bm25_idf(rows, held)) for term, held in cursor.fetchall()]

    def average_length(self):
        with connection.cursor() as cursor:
            rows, total = _fts_totals(cursor)
        return total / rows if rows else 0.0

    def document_weights(self, columns, idf, average):
        # fts5_aux.c's bm25(): k1 = 1.2, b = 0.75; the frequency of a term is
        # its count in each column times the column's weight; the length is
        # every column's terms.
        length = sum(len(columns[c]) for c in COLUMNS)
        norm = 1.2 * (1 - 0.75 + 0.75 * length / average) if average else 1.2
        frequency: Counter = Counter()
        for column, weight in zip(COLUMNS, FTS_WEIGHTS, strict=True):
            for term in columns[column]:
                if term in idf:
                    frequency[term] += weight
        return {t: idf[t] * (f * 2.2) / (f + norm) for t, f in frequency.items()}

    def prefix_titles(self, prefix_terms, language, limit):
        *whole, last = prefix_terms
        parts = [_fts_string((t,)) for t in whole] + [_fts_string((last,)) + " *"]
        expression = "title : (" + " AND ".join(parts) + ")"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.page_id, d.title FROM {FTS_TABLE} "
                f"CROSS JOIN {DOCUMENT_TABLE} d "
                f"ON d.page_id = {FTS_TABLE}.rowid & {PAGE_MASK} AND d.language = %s "
                f"WHERE {FTS_TABLE} MATCH %s AND {self._in_language(language)} "
                f"ORDER BY rank, d.date DESC LIMIT %s",
                [language, expression, limit],
            )
            return cursor.fetchall()


def _fts_totals(cursor) -> tuple[int, int]:
    """(rows, terms) of the whole FTS5 table, from its "averages" record:
    the figures bm25() itself divides by."""
    cursor.execute(f"SELECT block FROM {FTS_TABLE}_data WHERE id = 1")
    found = cursor.fetchone()
    if not found or not found[0]:
        return 0, 0
    values = _varints(bytes(found[0]))
    return values[0], sum(values[1:])


def _varints(data: bytes) -> list[int]:
    """SQLite's variable-length integers (FTS5 writes its records in them)."""
    values, at = [], 0
    while at < len(data):
        value = 0
        for i in range(9):
            byte = data[at]
            at += 1
            if i == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        values.append(value)
    return values


def _bm25_idf(rows: int, held: int) -> float:
    """The idf FTS5's bm25() gives a term `held` documents of `rows` hold."""
    idf = math.log((rows - held + 0.5) / (held + 0.5))
    return idf if idf > 0 else 1e-6


def _posting(rows: list) -> Posting:
    table = np.array(rows, dtype=np.float64).reshape(-1, 2)
    return table[:, 0].astype(np.int64), table[:, 1]


def _size(postings: Iterable[Posting]) -> int:
    """One past the highest page id among the postings."""
    return 1 + max((int(p.max()) for p, _w in postings if len(p)), default=0)


def _rowid_sql(language_column: str, page_column: str) -> str:
    """SQL computing fts_rowid() from a language and a page id column."""
    codes = [code for code, _name in settings.LANGUAGES]
    cases = " ".join(
        f"WHEN '{code}' THEN {slot << PAGE_BITS}" for slot, code in enumerate(codes)
    )
    return f"((CASE {language_column} {cases} END) | {page_column})"


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _positions(columns: dict[str, list[str]]) -> dict[str, list[tuple[int, str]]]:
    """Each term's (position, weight class) in the document's tsvector:
    positions run on across columns, with a gap between columns."""
    positions: dict[str, list[tuple[int, str]]] = defaultdict(list)
    position = 0
    for column in COLUMNS:
        weight = PG_CLASS[column]
        for term in columns[column]:
            position += 1
            if position > PG_MAX_POSITION:
                break
            positions[term].append((position, weight))
        position += 1  # phrases never span two columns
    # PostgreSQL keeps a lexeme's first 256 positions.
    return {term: places[:256] for term, places in positions.items()}


def tsvector_literal(columns: dict[str, list[str]]) -> str:
    """A tsvector written out with positions and weights, so PostgreSQL
    stores our terms exactly (no parser or dictionary of its own)."""
    return " ".join(
        f"{_lexeme(term)}:{','.join(f'{p}{w}' for p, w in places)}"
        for term, places in _positions(columns).items()
    )


def _ts_rank(places: list[tuple[int, str]]) -> float:
    """ts_rank(PG_WEIGHTS, vector, term, 0) of one term with these places
    (calc_rank_or in PostgreSQL's tsrank.c, for a single operand)."""
    weights = [PG_CLASS_WEIGHT[w] for _p, w in places]
    total = sum(w / ((j + 1) * (j + 1)) for j, w in enumerate(weights))
    best = max(weights)
    first = weights.index(best)
    return (best + total - best / ((first + 1) * (first + 1))) / 1.64493406685


class PostgreSQLEngine(Engine):
    vendor = "postgresql"

    def compile(self, query: Query) -> str:
        return " & ".join(self.clause_query(c) for c in query.clauses)

    def create(self, documents, columns):
        # One INSERT carrying the vector: inserting the row and then setting
        # its vector wrote every document twice and left the first version
        # behind for VACUUM (a rebuild doubled the table).
        fields = ("page_id", "language", "record_type", "date", "title", "text")
        row = "(" + ", ".join(["%s"] * len(fields)) + ", %s::tsvector)"
        with connection.cursor() as cursor:
            for start in range(0, len(documents), 500):
                chunk = documents[start : start + 500]
                terms = columns[start : start + 500]
                cursor.execute(
                    f"INSERT INTO {DOCUMENT_TABLE} ({', '.join(fields)}, vector) "
                    f"VALUES {', '.join([row] * len(chunk))} RETURNING id",
                    [
                        value
                        for document, column_terms in zip(chunk, terms, strict=True)
                        for value in (
                            *(getattr(document, f) for f in fields),
                            tsvector_literal(column_terms),
                        )
                    ],
                )
                # PostgreSQL returns the ids of a multi-row INSERT in the
                # order of its rows (Django's bulk_create relies on it too).
                for document, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                    document.pk = pk
                    document._state.adding = False

    def delete(self, documents):
        pass  # the vector lives on the document row and goes with it

    def clause_query(self, clause) -> str:
        alternatives = [
            "(" + " <-> ".join(_lexeme(t) for t in _searched(alt)) + ")"
            for alt in clause.alternatives
        ]
        return "(" + " | ".join(alternatives) + ")"

    def postings(self, alternative, language):
        # ts_rank() of a clause (an OR of words and phrases) is the mean of
        # each of its words' own ts_rank(): a word's weight is its rank as a
        # query of its own. A phrase's postings only say where it matches;
        # its words are weighed one by one (units()).
        query = " <-> ".join(_lexeme(t) for t in alternative)
        weight = "0"
        if len(alternative) == 1:
            weight = f"ts_rank('{PG_WEIGHTS}', d.vector, CAST(%s AS tsquery), 0)"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.page_id, {weight} FROM {DOCUMENT_TABLE} d "
                "WHERE d.vector @@ CAST(%s AS tsquery) AND d.language = %s",
                [query] * (len(alternative) == 1) + [query, language],
            )
            return _posting(cursor.fetchall())

    def units(self, query):
        units = super().units(query)
        return units | {(term,) for unit in units for term in unit}

    def combine(self, query, found, documents):
        # What matches() computed in SQL before: each clause ranked on its
        # own, weighted by field and saturated (PG_NORMALIZATION: r / (r +
        # 1)), and the clauses summed with BM25's idf of each clause among
        # this language's documents.
        size = _size(found.values())
        documents = max(documents, 1)
        score = np.zeros(size)
        matched = np.ones(size, dtype=bool)
        for clause in query.clauses:
            present = np.zeros(size, dtype=bool)
            words: dict[str, None] = {}
            for alternative in clause.alternatives:
                searched = _searched(alternative)
                present[found[searched][0]] = True
                words.update(dict.fromkeys(searched))
            rank = np.zeros(size)
            for word in words:
                pages, weights = found[(word,)]
                rank += np.bincount(pages, weights, minlength=size)
            rank /= len(words)
            rank /= rank + 1
            held = int(present.sum())
            idf = math.log(1 + (documents - held + 0.5) / (held + 0.5))
            score += idf * rank
            matched &= present
        pages = np.flatnonzero(matched)
        return pages, -score[pages]

    def common_terms(self, language, minimum):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word, ndoc FROM ts_stat(%s) WHERE ndoc >= %s "
                "ORDER BY ndoc DESC",
                [
                    f"SELECT vector FROM {DOCUMENT_TABLE} "
                    f"WHERE language = {_lexeme(language)}",
                    minimum,
                ],
            )
            return [(word, 0.0) for word, _held in cursor.fetchall()]

    def document_weights(self, columns, idf, average):
        return {
            term: _ts_rank(places)
            for term, places in _positions(columns).items()
            if term in idf
        }

    def prefix_titles(self, prefix_terms, language, limit):
        *whole, last = prefix_terms
        lexemes = [_lexeme(t) + ":A" for t in whole] + [_lexeme(last) + ":*A"]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.page_id, d.title FROM {DOCUMENT_TABLE} d, "
                f"CAST(%s AS tsquery) AS q(query) "
                f"WHERE d.vector @@ q.query AND d.language = %s "
                f"ORDER BY ts_rank(d.vector, q.query) DESC, d.date DESC LIMIT %s",
                [" & ".join(lexemes), language, limit],
            )
            return cursor.fetchall()


def engine() -> Engine:
    """The engine of the default database."""
    if connection.vendor == "postgresql":
        return PostgreSQLEngine()
    if connection.vendor == "sqlite":
        return SQLiteEngine()
    raise RuntimeError(
        f"Search supports SQLite and PostgreSQL; this database is {connection.vendor}."
    )
