"""Common words answered from kept postings (scis/search/postings.py) find the
same records, in the same order, as the engine reading every word itself;
and they stay right as records are published, edited and unpublished after
the postings were taken. The test settings keep the postings of every word
twenty demo documents hold, so these words are common here."""

import numpy as np
import pytest
from django.core.management import call_command
from django.http import QueryDict

from scis.news.models import NewsIndexPage, NewsPage
from scis.search import kept_postings, postings
from scis.search.engines import engine
from scis.search.models import RecentPosting, SearchPostings, SearchSnapshot
from scis.search.query import parse
from scis.search.searching import search

pytestmark = pytest.mark.django_db

QUERIES = [
    ("도시", "ko"),
    ("스마트도시 교통", "ko"),
    ("세종 국가시범도시", "ko"),
    ("수요응답형 버스를", "ko"),
    ('"스마트 도시"', "ko"),
    ("데이터 플랫폼", "ko"),
    ("smart city", "en"),
    ("digital twins", "en"),
    ('"smart city certification"', "en"),
    ('"데이터 플랫폼"', "ko"),
    ('"digital twin"', "en"),
    ("transport data", "en"),
]


def _ranked(text, language):
    """Page ids best first, with their scores, as the search ranks them
    (newer first among equal scores)."""
    pages, scores = postings.matches(parse(text), postings.Reader(language))
    return dict(zip(pages.tolist(), np.round(scores, 6).tolist(), strict=True))


def _by_engine_alone(text, language):
    """The same, with no kept postings: the engine reads every word."""
    from django.db import transaction

    with transaction.atomic():
        kept_postings.forget()
        ranked = _ranked(text, language)
        transaction.set_rollback(True)
    return ranked


def _common_words_of(text, language):
    current = postings.snapshot(language)
    return set(parse(text).terms) & current.terms


def test_the_demo_archive_has_postings_kept_for_its_common_words():
    for language in ("ko", "en"):
        current = postings.snapshot(language)
        assert current is not None
        assert {"도시", "citi"} & current.terms
    # Every query below reads at least one word from the kept postings.
    for text, language in QUERIES:
        assert _common_words_of(text, language), text


@pytest.mark.parametrize(("text", "language"), QUERIES)
def test_kept_postings_find_and_score_as_the_engine_does(text, language):
    kept = _ranked(text, language)
    alone = _by_engine_alone(text, language)
    assert kept.keys() == alone.keys()
    assert kept == pytest.approx(alone, rel=1e-5)


def _publish(page, capture):
    with capture(execute=True):
        page.save_revision().publish()


def test_records_changed_after_the_postings_were_taken_are_searched_as_they_are_now(
    ko, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    # A new record about common words, an edited one that lost them, and an
    # unpublished one.
    parent = NewsIndexPage.objects.get(locale=ko, section="issue")
    added = NewsPage(
        title="스마트도시 교통 데이터 플랫폼 시범 운영",
        summary="세종 국가시범도시에서 수요응답형 버스와 도시 데이터 플랫폼을 잇는다.",
        date="2026-11-05",
        section="issue",
        slug="postings-new",
    )
    with capture(execute=True):
        parent.add_child(instance=added)
        added.save_revision().publish()
    held = set(_ranked("도시", "ko"))
    edited = NewsPage.objects.live().filter(locale=ko, pk__in=held).first()
    edited.title = "잠수함정거장 소식"
    edited.summary = "바다 밑 정거장 이야기."
    _publish(edited, capture)
    gone = (
        NewsPage.objects.live()
        .filter(locale=ko, pk__in=held)
        .exclude(pk=edited.pk)
        .first()
    )
    with capture(execute=True):
        gone.unpublish()

    assert RecentPosting.objects.filter(page_id=added.pk, term="도시").exists()
    for text, language in QUERIES:
        kept = _ranked(text, language)
        alone = _by_engine_alone(text, language)
        assert kept.keys() == alone.keys(), text
        # Kept weights carry the word counts of when they were taken: three
        # changes in an archive of 564 documents move scores by up to 2%.
        assert kept == pytest.approx(alone, rel=0.05), text
    # What a reader sees: the new record is found; the unpublished one is not.
    results = search(QueryDict("q=스마트도시 교통 데이터 플랫폼"), "ko").results
    assert results[0].page.pk == added.pk
    found = _ranked("도시", "ko")
    assert added.pk in found
    assert gone.pk not in {r.page.pk for r in search(QueryDict("q=도시"), "ko").results}


def test_a_new_snapshot_takes_in_the_recent_documents(
    ko, django_capture_on_commit_callbacks
):
    page = NewsPage.objects.live().filter(locale=ko).first()
    page.title = f"{page.title} 도시 교통"
    _publish(page, django_capture_on_commit_callbacks)
    before = postings.snapshot("ko")
    expected = _ranked("도시 교통", "ko")
    assert RecentPosting.objects.filter(language="ko").exists()

    call_command("refresh_search_postings", "--no-progress")

    after = postings.snapshot("ko")
    assert after.generation == before.generation + 1
    assert after.last_document > before.last_document
    assert not RecentPosting.objects.filter(language="ko").exists()
    # Only the new generation is kept.
    assert set(
        SearchPostings.objects.filter(language="ko").values_list(
            "generation", flat=True
        )
    ) == {after.generation}
    assert _ranked("도시 교통", "ko") == pytest.approx(expected, rel=1e-5)


def test_the_scheduler_refreshes_only_when_the_tail_is_long(
    settings, ko, django_capture_on_commit_callbacks, capsys
):
    assert not kept_postings.is_stale("ko")
    call_command("refresh_search_postings", "--if-stale", "--no-progress")
    assert capsys.readouterr().out == ""

    settings.SEARCH_POSTINGS_REFRESH_SHARE = 0
    page = NewsPage.objects.live().filter(locale=ko).first()
    _publish(page, django_capture_on_commit_callbacks)
    assert kept_postings.is_stale("ko")
    assert not kept_postings.is_stale("en") or kept_postings.pending("en")
    call_command("run_scheduler", "--once")
    assert kept_postings.pending("ko") == 0
    assert not kept_postings.is_stale("ko")


def test_the_scheduler_leaves_the_refresh_to_the_task_worker_queued_once(
    settings, ko, django_capture_on_commit_callbacks
):
    """A refresh takes minutes on a large archive: the scheduler queues it
    (once, however many runs see it due) instead of holding up scheduled
    publishing and sends while it reads."""
    from django_tasks_db.models import DBTaskResult

    settings.SEARCH_POSTINGS_REFRESH_SHARE = 0
    page = NewsPage.objects.live().filter(locale=ko).first()
    _publish(page, django_capture_on_commit_callbacks)
    before = postings.snapshot("ko")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    call_command("run_scheduler", "--once")
    call_command("run_scheduler", "--once")

    queued = DBTaskResult.objects.filter(task_path="scis.search.tasks.refresh_postings")
    languages = [row.args_kwargs["args"][0] for row in queued]
    assert "ko" in languages
    assert len(languages) == len(set(languages))
    assert postings.snapshot("ko") == before
    # What the worker does with each (db_worker itself closes the
    # connection the test's transaction lives on).
    for row in queued:
        row.task.call(*row.args_kwargs["args"])
    assert postings.snapshot("ko").generation == before.generation + 1
    assert kept_postings.pending("ko") == 0


def test_without_postings_searches_read_the_engine_and_the_scheduler_takes_them():
    kept_postings.forget()
    assert not SearchSnapshot.objects.exists()
    assert search(QueryDict("q=도시"), "ko").total > 0
    assert kept_postings.is_stale("ko")
    call_command("run_scheduler", "--once")
    assert postings.snapshot("ko") is not None
    assert postings.snapshot("en") is not None


def test_dropping_kept_postings_never_reads_them_back():
    """A rebuild and each refresh drop postings in one statement per table:
    were Django to read every row first (as it does when any receiver
    listens to deletes of every model), a refresh at 100,000 records would
    hold the previous snapshot's hundreds of MB in memory to delete it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert SearchPostings.objects.exists()
    with CaptureQueriesContext(connection) as captured:
        kept_postings.forget()
    statements = [q["sql"].lstrip().upper() for q in captured.captured_queries]
    assert not SearchPostings.objects.exists()
    assert not [sql for sql in statements if sql.startswith("SELECT")]


def test_weights_of_a_newly_indexed_document_match_the_engines():
    """The weight a recent document carries for a common word is the one
    the engine gives it: the same BM25 (SQLite) or ts_rank (PostgreSQL)."""
    from scis.core.models import CatalogueEntry
    from scis.search.index import _documents_for, analyse

    current = postings.snapshot("ko")
    entry = CatalogueEntry.objects.filter(language="ko").order_by("page_id").last()
    _document, text = _documents_for([entry])[0]
    columns, _prepared, _words = analyse([text])[0]
    weights = engine().document_weights(columns, current.idf, current.average_length)
    assert weights
    for term, weight in list(weights.items())[:10]:
        pages, engine_weights = engine().postings((term,), "ko")
        assert weight == pytest.approx(
            float(engine_weights[pages == entry.page_id][0]), rel=1e-4
        ), term


def test_phrases_are_found_from_word_positions():
    keys = {
        word: postings._keys(
            np.array(pages, dtype=np.int32),
            np.array([len(p) for p in places], dtype=np.uint16),
            np.array([x for p in places for x in p], dtype=np.uint16),
        )
        for word, pages, places in [
            # page 3: "smart city"; page 5: "city smart"; page 9: "smart _ city"
            ("smart", [3, 5, 9], [[1, 7], [2], [4]]),
            ("citi", [3, 5, 9, 11], [[2], [1], [6], [1]]),
            ("certif", [3, 9], [[3], [7]]),
        ]
    }
    assert postings.phrase_pages([keys["smart"], keys["citi"]]).tolist() == [3]
    assert postings.phrase_pages([keys["citi"], keys["smart"]]).tolist() == [5]
    three = [keys["smart"], keys["citi"], keys["certif"]]
    assert postings.phrase_pages(three).tolist() == [3]
    assert postings.phrase_pages([keys["certif"], keys["smart"]]).tolist() == []


@pytest.mark.skipif(
    engine().vendor != "postgresql",
    reason="PostgreSQL keeps positions; SQLite's phrase queries read FTS5's own",
)
def test_a_phrase_of_common_words_reads_no_vectors_the_snapshot_holds(
    ko, django_capture_on_commit_callbacks
):
    """PostgreSQL rechecks a phrase in the vector of every document holding
    all its words (about 0.1 s for a common phrase at 100,000 records): the
    kept positions answer it, and the engine is asked only about documents
    indexed since the snapshot."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = NewsPage.objects.live().filter(locale=ko).first()
    page.title = f"{page.title}: 데이터 플랫폼 개통"
    _publish(page, django_capture_on_commit_callbacks)
    query = parse('"데이터 플랫폼"')
    assert _common_words_of('"데이터 플랫폼"', "ko") == {"데이터", "플랫폼"}
    with CaptureQueriesContext(connection) as captured:
        pages, _scores = postings.matches(query, postings.Reader("ko"))
    phrase_reads = [q["sql"] for q in captured.captured_queries if "<->" in q["sql"]]
    assert len(phrase_reads) == 1
    assert "WHERE id >" in phrase_reads[0]
    assert page.pk in pages.tolist()
    assert pages.tolist() == sorted(_by_engine_alone('"데이터 플랫폼"', "ko"))


@pytest.mark.parametrize("unit", [("도시",), ("데이터", "플랫폼")])
def test_the_engine_reads_a_word_or_phrase_among_newer_documents_alone(unit):
    """What a snapshot's phrases ask the engine for: only the documents
    indexed after it."""
    from scis.search.models import SearchDocument

    documents = SearchDocument.objects.filter(language="ko").order_by("pk")
    middle = documents[documents.count() // 2].pk
    newer = set(documents.filter(pk__gt=middle).values_list("page_id", flat=True))
    every, _weights = engine().postings(unit, "ko")
    after, _weights = engine().postings(unit, "ko", after=middle)
    assert len(after)
    assert sorted(after.tolist()) == sorted(set(every.tolist()) & newer)
