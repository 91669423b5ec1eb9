"""PostgreSQL full text: a tsvector with positions and weight classes on
each document row, a GIN index, and `ts_rank` per clause, weighted by idf."""

import math
from collections import defaultdict
from functools import lru_cache

import numpy as np
from django.db import connection

from ..documents import COLUMNS
from ..query import Query
from .base import DOCUMENT_TABLE, Engine, posting_of, searched, size_of

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


@lru_cache(maxsize=100_000)
def _lexeme(term: str) -> str:
    """A term as a quoted tsvector/tsquery lexeme (terms recur across
    documents: each is quoted once per process)."""
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

    def prepare(self, columns):
        return tsvector_literal(columns)

    def create(self, documents, prepared):
        # One INSERT carrying the vector: inserting the row and then setting
        # its vector wrote every document twice and left the first version
        # behind for VACUUM (a rebuild doubled the table).
        fields = ("page_id", "language", "record_type", "date", "title", "text")
        row = "(" + ", ".join(["%s"] * len(fields)) + ", %s::tsvector)"
        with connection.cursor() as cursor:
            for start in range(0, len(documents), 500):
                chunk = documents[start : start + 500]
                vectors = prepared[start : start + 500]
                cursor.execute(
                    f"INSERT INTO {DOCUMENT_TABLE} ({', '.join(fields)}, vector) "
                    f"VALUES {', '.join([row] * len(chunk))} RETURNING id",
                    [
                        value
                        for document, vector in zip(chunk, vectors, strict=True)
                        for value in (*(getattr(document, f) for f in fields), vector)
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
            "(" + " <-> ".join(_lexeme(t) for t in searched(alt)) + ")"
            for alt in clause.alternatives
        ]
        return "(" + " | ".join(alternatives) + ")"

    def postings(self, alternative, language, after=None):
        # ts_rank() of a clause (an OR of words and phrases) is the mean of
        # each of its words' own ts_rank(): a word's weight is its rank as a
        # query of its own. A phrase's postings only say where it matches;
        # its words are weighed one by one (units()).
        query = " <-> ".join(_lexeme(t) for t in alternative)
        weight = "0"
        if len(alternative) == 1:
            weight = f"ts_rank('{PG_WEIGHTS}', d.vector, CAST(%s AS tsquery), 0)"
        # Documents after a snapshot are few: found by id first, so the GIN
        # index's candidates for a common word are never read.
        since, documents = "", DOCUMENT_TABLE
        if after is not None:
            since = (
                f"WITH newer AS MATERIALIZED (SELECT page_id, language, vector "
                f"FROM {DOCUMENT_TABLE} WHERE id > %s) "
            )
            documents = "newer"
        with connection.cursor() as cursor:
            cursor.execute(
                f"{since}SELECT d.page_id, {weight} FROM {documents} d "
                "WHERE d.vector @@ CAST(%s AS tsquery) AND d.language = %s",
                [after] * (after is not None)
                + [query] * (len(alternative) == 1)
                + [query, language],
            )
            return posting_of(cursor.fetchall())

    def postings_to_keep(self, term, language):
        # The word's positions come from the same vectors, in the same
        # statement, as its weights. unnest() of a whole vector makes a row
        # of every word in it (nine times the cost of the weights alone);
        # weighing every position D, then the word's A, and keeping the A
        # positions leaves a vector of the one word to unnest (a fifth more).
        lexeme = _lexeme(term)
        alone = "ts_filter(setweight(setweight(d.vector, 'D'), 'A', ARRAY[%s]), '{a}')"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.page_id, "
                f"ts_rank('{PG_WEIGHTS}', d.vector, CAST(%s AS tsquery), 0), "
                f"(SELECT u.positions FROM unnest({alone}) u) "
                f"FROM {DOCUMENT_TABLE} d "
                "WHERE d.vector @@ CAST(%s AS tsquery) AND d.language = %s "
                "ORDER BY d.page_id",
                [lexeme, term, lexeme, language],
            )
            rows = cursor.fetchall()
        pages = np.fromiter((row[0] for row in rows), np.int64, len(rows))
        weights = np.fromiter((row[1] for row in rows), np.float64, len(rows))
        counts = np.fromiter((len(row[2]) for row in rows), np.uint16, len(rows))
        positions = np.fromiter(
            (p for row in rows for p in row[2]), np.uint16, int(counts.sum())
        )
        return pages, weights, counts, positions

    def units(self, query):
        units = super().units(query)
        return units | {(term,) for unit in units for term in unit}

    def combine(self, query, found, documents):
        # What matches() computed in SQL before: each clause ranked on its
        # own, weighted by field and saturated (PG_NORMALIZATION: r / (r +
        # 1)), and the clauses summed with BM25's idf of each clause among
        # this language's documents.
        size = size_of(found.values())
        documents = max(documents, 1)
        score = np.zeros(size)
        matched = np.ones(size, dtype=bool)
        for clause in query.clauses:
            present = np.zeros(size, dtype=bool)
            words: dict[str, None] = {}
            for alternative in clause.alternatives:
                terms = searched(alternative)
                present[found[terms][0]] = True
                words.update(dict.fromkeys(terms))
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

    def kept_postings(self, language, generation, terms, fields=("pages", "weights")):
        # In binary: Django reads bytea as text, in hex (twice the bytes,
        # decoded in Python), which made reading a common word's 0.8 MB
        # three times slower. Binary results need a server-side binding
        # cursor on Django's own connection (and its transaction).
        import psycopg

        from ..models import SearchPostings

        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(
                f"SELECT term, {', '.join(fields)} "
                f"FROM {SearchPostings._meta.db_table} "
                "WHERE language = %s AND generation = %s AND term = ANY(%s)",
                [language, generation, terms],
                binary=True,
            )
            return cursor.fetchall()

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
