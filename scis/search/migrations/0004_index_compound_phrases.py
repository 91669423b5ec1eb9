"""Documents are now indexed with the synonym table's phrases (스마트 도시,
smart city …) also as single joined terms (query.with_compounds), and those
phrases are searched by them: an index written before this has none, so it
is rebuilt here. An empty index (a new site) costs nothing; an archive of
100,000 records takes a few minutes (`rebuild_search_index` does the same,
with progress). Going back needs nothing: the extra terms go unused."""

from django.db import migrations


def rebuild(apps, schema_editor):
    SearchDocument = apps.get_model("portal_search", "SearchDocument")
    if not SearchDocument.objects.exists():
        return
    from scis.search.index import rebuild as rebuild_index

    print("\n  rebuilding the search index for compound phrases…", flush=True)
    # keep_postings=False: their tables come with the next migration.
    documents = rebuild_index(keep_postings=False)
    print(f"  search index: {documents} documents", flush=True)


class Migration(migrations.Migration):
    # Not one transaction: the rebuild replaces documents batch by batch in
    # short transactions of its own, as `rebuild_search_index` does, so the
    # site keeps writing while it runs.
    atomic = False
    dependencies = [("portal_search", "0003_fts_rowids_by_language")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
