"""The two places analyzed text is indexed and matched: SQLite FTS5 and
PostgreSQL full text. Both receive terms already produced by analyzer.py and
never parse text themselves, so they find exactly the same documents; only
ranking differs (BM25 in FTS5; weighted `ts_rank` in PostgreSQL).

Every term reaches the engine as a quoted literal: FTS5 strings in double
quotes, tsquery lexemes in single quotes. Nothing a reader types becomes
engine syntax.
"""

from django.db import connection

from .base import DOCUMENT_TABLE, DocumentKey, Engine, Posting
from .postgresql import PostgreSQLEngine, tsvector_literal
from .sqlite import SQLiteEngine, fts_rowid

__all__ = [
    "DOCUMENT_TABLE",
    "DocumentKey",
    "Engine",
    "Posting",
    "PostgreSQLEngine",
    "SQLiteEngine",
    "engine",
    "fts_rowid",
    "tsvector_literal",
]


def engine() -> Engine:
    """The engine of the default database."""
    if connection.vendor == "postgresql":
        return PostgreSQLEngine()
    if connection.vendor == "sqlite":
        return SQLiteEngine()
    raise RuntimeError(
        f"Search supports SQLite and PostgreSQL; this database is {connection.vendor}."
    )
