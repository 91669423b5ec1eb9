"""The index follows publishing: publish, unpublish, move and delete queue a
re-index through the task queue once the change is committed."""

import pytest
from django.core.management import call_command
from django.http import QueryDict

from scis.news.models import NewsIndexPage, NewsPage
from scis.search.models import SearchDocument
from scis.search.searching import search

pytestmark = pytest.mark.django_db

WORD = "잠수함정거장"  # in no demo record


def _found(text, language="ko"):
    return search(QueryDict(f"q={text}"), language).total


def test_publishing_indexes_and_unpublishing_removes(
    ko, django_capture_on_commit_callbacks
):
    parent = NewsIndexPage.objects.get(locale=ko, section="issue")
    page = NewsPage(
        title=f"{WORD} 시범 운영", date="2026-01-05", section="issue", slug="test-new"
    )
    with django_capture_on_commit_callbacks(execute=True):
        parent.add_child(instance=page)
        page.save_revision().publish()
    assert _found(WORD) == 1
    assert _found(f"{WORD}을") == 1
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert _found(WORD) == 0
    assert not SearchDocument.objects.filter(page=page).exists()


def test_editing_the_title_reindexes(ko, django_capture_on_commit_callbacks):
    page = NewsPage.objects.live().filter(locale=ko).first()
    page.title = f"{WORD} 소식"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert _found(WORD) == 1


def test_deleting_a_page_removes_it(ko, django_capture_on_commit_callbacks):
    page = NewsPage.objects.live().filter(locale=ko).first()
    page.title = f"{WORD} 소식"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        for translation in page.get_translations(inclusive=True):
            translation.delete()
    assert _found(WORD) == 0
    assert not SearchDocument.objects.filter(page_id=page.pk).exists()


def test_moving_a_page_keeps_it_searchable(ko, django_capture_on_commit_callbacks):
    page = NewsPage.objects.live().filter(locale=ko, section="issue").first()
    page.title = f"{WORD} 소식"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    target = NewsIndexPage.objects.get(locale=ko, section="special")
    with django_capture_on_commit_callbacks(execute=True):
        page.move(target, pos="last-child")
    assert _found(WORD) == 1


def test_rebuild_command_restores_a_lost_index(capsys):
    from scis.search.engines import engine
    from scis.search.kept_postings import forget

    before = SearchDocument.objects.count()
    SearchDocument.objects.all().delete()
    engine().delete_orphans()
    forget()  # the common words' postings went with it
    assert _found("도시") == 0
    call_command("rebuild_search_index", "--no-progress")
    assert SearchDocument.objects.count() == before
    assert _found("도시") > 0
    assert f"search index: {before} documents" in capsys.readouterr().out


def _index_rows():
    from django.db import connection

    from scis.search.engines import engine, fts_rowid

    documents = SearchDocument.objects.all()
    with connection.cursor() as cursor:
        if engine().vendor == "sqlite":
            keys = {fts_rowid(d.page_id, d.language): d for d in documents}
            cursor.execute(
                "SELECT rowid, title, summary, body, meta, other FROM portal_search_fts"
            )
        else:
            keys = {d.pk: d for d in documents}
            cursor.execute("SELECT id, vector::text FROM portal_search_searchdocument")
        return {
            (keys[row[0]].page_id, keys[row[0]].language): row[1:]
            for row in cursor.fetchall()
        }


def test_rebuild_in_worker_processes_writes_the_same_index(settings):
    """A large archive is analyzed in forked worker processes; the index
    they produce is the one a single process writes, term for term."""
    from scis.search.index import rebuild

    settings.SEARCH_INDEX_PROCESSES = 0
    rebuild()
    alone = _index_rows()
    settings.SEARCH_INDEX_PROCESSES = 2
    settings.SEARCH_INDEX_PROCESS_MIN_DOCUMENTS = 0
    rebuild()
    assert _index_rows() == alone
    assert len(alone) == SearchDocument.objects.count() > 100
    assert _found("수요응답형 버스를") > 0


def test_renumbering_the_index_by_language_keeps_every_search(settings):
    """Migration 0003 moved SQLite's index rows from document ids to
    language-and-page ids without analyzing anything again: searches find
    the same records before and after, and the step can be undone."""
    import importlib
    from types import SimpleNamespace

    from django.db import connection

    from scis.search.engines import engine

    if engine().vendor != "sqlite":
        pytest.skip("PostgreSQL keeps its vectors on the document rows")
    renumber = importlib.import_module(
        "scis.search.migrations.0003_fts_rowids_by_language"
    )
    searches = [("도시", "ko"), ("smart city", "en")]
    before = [_found(q, lang) for q, lang in searches]
    rows = _index_rows()
    with connection.cursor() as cursor:
        editor = SimpleNamespace(connection=connection, execute=cursor.execute)
        renumber.backward(None, editor)
        cursor.execute("SELECT rowid FROM portal_search_fts")
        ids = {row[0] for row in cursor.fetchall()}
        assert ids == set(SearchDocument.objects.values_list("pk", flat=True))
        renumber.forward(None, editor)
    assert _index_rows() == rows
    assert [_found(q, lang) for q, lang in searches] == before
    assert all(before)
