"""SQLite: number the FTS5 rows by language and page (engines.fts_rowid)
instead of by document id, so a search reads one language's range of row ids
and needs no join. The rows are copied across with their new ids; nothing is
analyzed again. PostgreSQL keeps its vectors on the document rows: no change.
"""

from django.conf import settings
from django.db import migrations

PAGE_BITS = 40

COLUMNS = "title, summary, body, meta, other"
CREATE = (
    "CREATE VIRTUAL TABLE {name} USING fts5("
    f"{COLUMNS}, tokenize = 'unicode61 remove_diacritics 0')"
)


def _rowid_sql(language: str, page_id: str) -> str:
    cases = " ".join(
        f"WHEN '{code}' THEN {slot << PAGE_BITS}"
        for slot, (code, _name) in enumerate(settings.LANGUAGES)
    )
    return f"((CASE {language} {cases} END) | {page_id})"


def _copy(schema_editor, rowid_sql: str, join: str) -> None:
    execute = schema_editor.execute
    execute(CREATE.format(name="portal_search_fts_copy"))
    execute(
        f"INSERT INTO portal_search_fts_copy (rowid, {COLUMNS}) "
        f"SELECT {rowid_sql}, f.title, f.summary, f.body, f.meta, f.other "
        f"FROM portal_search_fts f JOIN portal_search_searchdocument d ON {join} "
        "ORDER BY 1"
    )
    execute("DROP TABLE portal_search_fts")
    execute("ALTER TABLE portal_search_fts_copy RENAME TO portal_search_fts")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _copy(schema_editor, _rowid_sql("d.language", "d.page_id"), "d.id = f.rowid")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        rowid = _rowid_sql("d.language", "d.page_id")
        _copy(schema_editor, "d.id", f"f.rowid = {rowid}")


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0002_engine_structures")]

    operations = [migrations.RunPython(forward, backward)]
