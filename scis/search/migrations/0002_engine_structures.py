"""The engine's own full-text structure beside the document table: an FTS5
table on SQLite, a tsvector column with a GIN index on PostgreSQL."""

from django.db import migrations

SQLITE_FORWARD = (
    "CREATE VIRTUAL TABLE portal_search_fts USING fts5("
    "title, summary, body, meta, other, "
    "tokenize = 'unicode61 remove_diacritics 0')"
)
SQLITE_BACKWARD = "DROP TABLE IF EXISTS portal_search_fts"
POSTGRES_FORWARD = [
    "ALTER TABLE portal_search_searchdocument ADD COLUMN vector tsvector",
    "CREATE INDEX search_vector_gin ON portal_search_searchdocument USING gin (vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_vector_gin",
    "ALTER TABLE portal_search_searchdocument DROP COLUMN IF EXISTS vector",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)
    elif vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)
    elif vendor == "postgresql":
        for statement in POSTGRES_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0001_index")]

    operations = [migrations.RunPython(forward, backward)]
