"""Facet counts in memory (scis/core/counting.py) are the database's counts:
the search page shows them, so they must agree with the grouped queries a
listing runs, for every filter and among any set of matching pages."""

import pytest
from django.http import QueryDict

from scis.core.counting import catalogue_arrays
from scis.core.listing import ListingQuery, count_values
from scis.core.models import CatalogueEntry
from scis.core.records import record_models, record_type_key
from scis.news.models import NewsIndexPage, NewsPage
from scis.search.searching import SearchFilters

pytestmark = pytest.mark.django_db

FILTERS = [
    "",
    "type=news",
    "year=2024",
    "region=sejong",
    "topic=transport&type=project",
    "programme=national-pilot-city&year=2021",
    "organisation=molit&type=news",
]


def _keys():
    return [record_type_key(model) for model in record_models()]


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("params", FILTERS)
def test_every_count_equals_the_databases(params, language):
    query = ListingQuery(QueryDict(params), _keys())
    counts, _by_fallback = catalogue_arrays(language).count_values(query, language)
    assert counts == count_values(query, language)
    assert counts["year"]  # the filters above all leave records to count


@pytest.mark.parametrize("params", ["", "type=news", "language=ko", "language=en"])
def test_counts_among_some_pages_and_by_written_language(params):
    """Among every third page listed in English (some written in Korean),
    as a search's matches would be."""
    language = "en"
    pages = list(
        CatalogueEntry.objects.filter(language=language)
        .order_by("page_id")
        .values_list("page_id", flat=True)
    )[::3]
    query = SearchFilters(QueryDict(params))
    arrays = catalogue_arrays(language)
    counts, by_fallback = arrays.count_values(
        query, language, arrays.rows_of_pages(pages + [10**9])
    )

    def among(skip=None):
        return query.queryset(language, skip=skip).filter(page_id__in=pages)

    assert sum(counts["year"].values()) == among().count()
    types = among("type")
    assert counts["type"] == {
        key: types.filter(record_type=key).count()
        for key in _keys()
        if types.filter(record_type=key).exists()
    }
    written = among("language")
    assert by_fallback == {
        False: written.filter(fallback=False).count(),
        True: written.filter(fallback=True).count(),
    }


def test_a_publish_is_counted_at_once(ko, django_capture_on_commit_callbacks):
    query = ListingQuery(QueryDict("type=news"), _keys())
    before = catalogue_arrays("ko").count_values(query, "ko")[0]["year"].get(2026, 0)
    parent = NewsIndexPage.objects.get(locale=ko, section="issue")
    page = NewsPage(title="새 소식", date="2026-02-03", section="issue", slug="t-new")
    with django_capture_on_commit_callbacks(execute=True):
        parent.add_child(instance=page)
        page.save_revision().publish()
    after = catalogue_arrays("ko").count_values(query, "ko")[0]["year"].get(2026, 0)
    assert after == before + 1
