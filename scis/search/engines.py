"""The two places analyzed text is indexed and matched: SQLite FTS5 and
PostgreSQL full text. Both receive terms already produced by analyzer.py and
never parse text themselves, so they find exactly the same documents; only
ranking differs (BM25 in FTS5; weighted `ts_rank` in PostgreSQL).

Every term reaches the engine as a quoted literal: FTS5 strings in double
quotes, tsquery lexemes in single quotes. Nothing a reader types becomes
engine syntax.
"""

import hashlib
import math
from collections import defaultdict

from django.conf import settings
from django.db import connection, transaction

from .documents import COLUMNS
from .query import Alternative, Clause, Query, is_compound, joined

FTS_TABLE = "portal_search_fts"
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

    def matches(self, query: Query, language: str) -> tuple[str, list]:
        """SQL selecting `page_id, score` of the documents in `language` that
        match; a lower score ranks higher."""
        raise NotImplementedError

    def matching_pages(self, query: Query, language: str) -> tuple[str, list]:
        """SQL selecting only `page_id` of the matching documents, without
        the cost of ranking (how many documents hold a word)."""
        raise NotImplementedError

    def scored(self, query: Query, language: str) -> list[tuple[int, float]]:
        """(page id, score) of every matching document in `language`: the
        search counts and ranks them in memory (scis/core/counting.py)."""
        sql, params = self.matches(query, language)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT m.page_id, m.score FROM ({sql}) m", params)
            return cursor.fetchall()

    def prefix_titles(self, prefix_terms: list[str], language: str, limit: int):
        """Titles of documents whose title has words starting with each of
        `prefix_terms` (the last one a prefix), best first."""
        raise NotImplementedError

    def document_counts(self, terms: list[str], language: str) -> dict[str, int]:
        """How many documents in `language` hold each term."""
        counts = {}
        with connection.cursor() as cursor:
            for term in terms:
                sql, params = self.matching_pages(
                    Query(term, [Clause(((term,),))]), language
                )
                cursor.execute(f"SELECT count(*) FROM ({sql}) m", params)
                counts[term] = cursor.fetchone()[0]
        return counts


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

    def matches(self, query, language):
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        sql = (
            f"SELECT {FTS_TABLE}.rowid & {PAGE_MASK} AS page_id, "
            f"bm25({FTS_TABLE}, {weights}) AS score FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s AND {self._in_language(language)}"
        )
        return sql, [self.compile(query)]

    def matching_pages(self, query, language):
        sql = (
            f"SELECT {FTS_TABLE}.rowid & {PAGE_MASK} AS page_id FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s AND {self._in_language(language)}"
        )
        return sql, [self.compile(query)]

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


def _rowid_sql(language_column: str, page_column: str) -> str:
    """SQL computing fts_rowid() from a language and a page id column."""
    codes = [code for code, _name in settings.LANGUAGES]
    cases = " ".join(
        f"WHEN '{code}' THEN {slot << PAGE_BITS}" for slot, code in enumerate(codes)
    )
    return f"((CASE {language_column} {cases} END) | {page_column})"


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(columns: dict[str, list[str]]) -> str:
    """A tsvector written out with positions and weights, so PostgreSQL
    stores our terms exactly (no parser or dictionary of its own)."""
    positions: dict[str, list[str]] = defaultdict(list)
    position = 0
    for column in COLUMNS:
        weight = PG_CLASS[column]
        for term in columns[column]:
            position += 1
            if position > PG_MAX_POSITION:
                break
            positions[term].append(f"{position}{weight}")
        position += 1  # phrases never span two columns
    return " ".join(
        f"{_lexeme(term)}:{','.join(places[:256])}"
        for term, places in positions.items()
    )


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

    def _idf(self, clauses: list[str]) -> list[float]:
        """Lucene's BM25 idf of each clause, cached until content changes:
        rare words count for more than words every record has."""
        from django.core.cache import cache

        from scis.core.catalogue import version

        digest = hashlib.sha256("|".join(clauses).encode()).hexdigest()[:32]
        key = f"scis:search-idf:{version()}:{digest}"
        cached = cache.get(key)
        if cached is not None:
            return cached
        # Counted over every language, as FTS5's bm25() counts its whole
        # table, and through the GIN index only: left to itself the planner
        # reads (and decompresses) the vector of every document to count a
        # word most of them hold, 0.5 s instead of 0.1 s at 100,000 records.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"SELECT count(*) FROM {DOCUMENT_TABLE}")
            total = cursor.fetchone()[0]
            idf = []
            for clause in clauses:
                cursor.execute(
                    f"SELECT count(*) FROM {DOCUMENT_TABLE} "
                    f"WHERE vector @@ CAST(%s AS tsquery)",
                    [clause],
                )
                found = cursor.fetchone()[0]
                idf.append(math.log(1 + (total - found + 0.5) / (found + 0.5)))
        cache.set(key, idf, 3600)
        return idf

    def matches(self, query, language):
        # ts_rank alone ranks an OR of synonyms and phrases poorly (and
        # ts_rank_cd worse): each clause is ranked on its own, weighted by
        # field and saturated (PG_NORMALIZATION), and the clauses' ranks are
        # summed with BM25's idf, as FTS5's bm25() does on SQLite.
        clauses = [self.clause_query(c) for c in query.clauses]
        idf = self._idf(clauses)
        ranks = " + ".join(
            f"{weight:.6f} * ts_rank('{PG_WEIGHTS}', d.vector, CAST(%s AS tsquery), "
            f"{PG_NORMALIZATION})"
            for weight in idf
        )
        sql = (
            f"SELECT d.page_id AS page_id, -({ranks}) AS score "
            f"FROM {DOCUMENT_TABLE} d "
            f"WHERE d.vector @@ CAST(%s AS tsquery) AND d.language = %s"
        )
        return sql, [*clauses, " & ".join(clauses), language]

    def matching_pages(self, query, language):
        sql = (
            f"SELECT d.page_id FROM {DOCUMENT_TABLE} d "
            f"WHERE d.vector @@ CAST(%s AS tsquery) AND d.language = %s"
        )
        return sql, [self.compile(query), language]

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
