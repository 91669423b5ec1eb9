"""SQLite FTS5: one row per document and language, ranked by FTS5's own
bm25() with a weight per column."""

import math
from collections import Counter

import numpy as np
from django.conf import settings
from django.db import connection

from ..documents import COLUMNS
from ..query import Alternative, Query
from .base import DOCUMENT_TABLE, DocumentKey, Engine, posting_of, searched, size_of

FTS_TABLE = "portal_search_fts"
FTS_VOCABULARY = "portal_search_fts_terms"  # fts5vocab 'row': documents per term
# Column weights, in COLUMNS order: title, summary, body, meta, other.
# nDCG@10 on the evaluation set is flat (0.850–0.851) for titles from 7 to 9
# with summaries at half the title; 10 lost 0.002 once compound phrases
# (query.with_compounds) made documents about them a little longer.
FTS_WEIGHTS = (8.0, 4.0, 1.0, 3.0, 1.5)
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


def _fts_string(terms: Alternative) -> str:
    return '"' + " ".join(t.replace('"', '""') for t in terms) + '"'


class SQLiteEngine(Engine):
    vendor = "sqlite"

    def compile(self, query: Query) -> str:
        clauses = []
        for clause in query.clauses:
            alternatives = [_fts_string(searched(a)) for a in clause.alternatives]
            clauses.append("(" + " OR ".join(alternatives) + ")")
        return " AND ".join(clauses)

    def prepare(self, columns):
        return tuple(" ".join(columns[c]) for c in COLUMNS)

    def create(self, documents, prepared):
        from ..models import SearchDocument

        # SQLite (3.35+) returns the new ids.
        SearchDocument.objects.bulk_create(documents)
        self.write(
            [
                ((d.pk, d.page_id, d.language), texts)
                for d, texts in zip(documents, prepared, strict=True)
            ]
        )

    def write(self, rows: list[tuple[DocumentKey, tuple[str, ...]]]) -> None:
        """(document, each column's terms as `prepare` joined them) into the
        FTS5 table."""
        if not rows:
            return
        with connection.cursor() as cursor:
            self.delete([document for document, _texts in rows])
            placeholders = ", ".join(["%s"] * (len(COLUMNS) + 1))
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(COLUMNS)}) "
                f"VALUES ({placeholders})",
                [
                    (fts_rowid(page_id, language), *texts)
                    for (_id, page_id, language), texts in rows
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

    def postings(self, alternative, language, after=None):
        # FTS5's bm25() of a query is a sum over the query's phrases, each
        # phrase's part depending only on the phrase and the document (and
        # the whole table's counts): the part of one phrase is its score
        # as a query of its own.
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        since = ""
        if after is not None:
            slot = language_slot(language) << PAGE_BITS
            since = (
                f" AND {FTS_TABLE}.rowid IN (SELECT {slot} | page_id "
                f"FROM {DOCUMENT_TABLE} WHERE id > %s AND language = %s)"
            )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {FTS_TABLE}.rowid & {PAGE_MASK}, "
                f"-bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} "
                f"WHERE {FTS_TABLE} MATCH %s AND {self._in_language(language)}"
                f"{since}",
                [_fts_string(alternative)] + [after, language] * (after is not None),
            )
            return posting_of(cursor.fetchall())

    def combine(self, query, found, documents):
        size = size_of(found.values())
        score = np.zeros(size)
        matched = np.ones(size, dtype=bool)
        for clause in query.clauses:
            present = np.zeros(size, dtype=bool)
            # A document holding two alternatives of a clause scores for
            # both, as it does in bm25().
            for alternative in clause.alternatives:
                pages, weights = found[searched(alternative)]
                present[pages] = True
                score += np.bincount(pages, weights, minlength=size)
            matched &= present
        pages = np.flatnonzero(matched)
        return pages, -score[pages]

    def common_terms(self, language, minimum):
        # fts5vocab counts documents over the whole table, every language;
        # kept_postings.refresh keeps the words common in this one.
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


def _rowid_sql(language_column: str, page_column: str) -> str:
    """SQL computing fts_rowid() from a language and a page id column."""
    codes = [code for code, _name in settings.LANGUAGES]
    cases = " ".join(
        f"WHEN '{code}' THEN {slot << PAGE_BITS}" for slot, code in enumerate(codes)
    )
    return f"((CASE {language_column} {cases} END) | {page_column})"
