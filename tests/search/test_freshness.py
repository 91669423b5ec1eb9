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
    before = SearchDocument.objects.count()
    SearchDocument.objects.all().delete()
    assert _found("도시") == 0
    call_command("rebuild_search_index", "--no-progress")
    assert SearchDocument.objects.count() == before
    assert _found("도시") > 0
    assert f"search index: {before} documents" in capsys.readouterr().out
