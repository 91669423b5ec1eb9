"""Searching the demo archive as a reader would, on SQLite and on
PostgreSQL alike (the suite runs on both)."""

import pytest
from django.http import QueryDict

from scis.core.models import CatalogueEntry
from scis.news.models import NewsPage
from scis.search.models import SearchDocument
from scis.search.searching import search

pytestmark = pytest.mark.django_db


def _search(text: str, language: str = "ko", **filters):
    params = QueryDict(mutable=True)
    params["q"] = text
    params.update(filters)
    return search(params, language)


def _slugs(outcome, n=3):
    return [r.page.slug for r in outcome.results[:n]]


def test_every_listed_record_is_indexed_in_its_reading_language():
    assert SearchDocument.objects.count() == CatalogueEntry.objects.count()


def test_a_bare_noun_finds_it_with_particles_and_in_compounds(client):
    # Records whose text has 도시 only with a particle or inside a compound.
    outcome = _search("도시")
    found = {r.page.pk for r in _search("도시", page="1").results}
    assert outcome.total > 100
    with_particle = NewsPage.objects.live().filter(
        locale__language_code="ko", title__contains="스마트도시"
    )
    assert with_particle.exists()
    all_ids = set()
    page = 1
    while True:
        chunk = _search("도시", page=str(page))
        all_ids |= {r.page.pk for r in chunk.results}
        if not chunk.page.has_next():
            break
        page += 1
    assert set(with_particle.values_list("pk", flat=True)) <= all_ids
    assert found


@pytest.mark.parametrize(
    ("query", "language", "expected_first"),
    [
        ("세종 국가시범도시", "ko", "세종"),
        ("수요응답형 버스를", "ko", "수요응답형 버스"),
        ("smart city certification", "en", "certif"),
        ("digital twins", "en", "digital twin"),
        ("데이터허브", "ko", "데이터 허브"),
    ],
)
def test_the_right_record_comes_first(query, language, expected_first):
    first = _search(query, language).results[0].page
    assert expected_first in (first.title + " " + first.summary).lower().replace(
        "데이터허브", "데이터 허브"
    )


def test_results_come_in_the_readers_language():
    outcome = _search("smart city certification", "en")
    assert outcome.results
    assert {r.page.locale.language_code for r in outcome.results} == {"en"}
    korean = _search("스마트시티 인증", "ko")
    assert {r.page.locale.language_code for r in korean.results} == {"ko"}


def test_an_untranslated_record_is_found_in_the_other_language(ko):
    record = NewsPage.objects.live().filter(locale=ko).first()
    record.get_translations().delete()
    from scis.core.catalogue import refresh_record
    from scis.search.index import index_record

    refresh_record(record)
    index_record(record.translation_key)
    outcome = _search(record.title, "en")
    match = next(r for r in outcome.results if r.page.pk == record.pk)
    assert match.fallback is True


@pytest.mark.parametrize(
    "query, language", [("스마트도시", "ko"), ("smart city", "en")]
)
def test_every_definition_is_found_by_what_it_defines(query, language):
    """Most definitions are titled by their source (유럽연합, 싱가포르) and never
    name the term they define; the question their index page asks does."""
    from scis.about.models import DefinitionPage

    definitions = DefinitionPage.objects.live().filter(locale__language_code=language)
    found = search(QueryDict(f"q={query}&type=definition"), language)
    assert found.total == definitions.count() >= 6


def test_quoted_phrase_is_stricter_than_the_words():
    words = _search("smart city certification", "en").total
    phrase = _search('"smart city certification"', "en").total
    assert 0 < phrase <= words


def test_filters_and_facet_counts():
    outcome = _search("스마트시티", type="news")
    types = next(f for f in outcome.facets if f.name == "type")
    news = next(o for o in types.options if o.value == "news")
    assert news.selected and news.count == outcome.total
    assert {type(r.page) for r in outcome.results} == {NewsPage}
    years = next(f for f in outcome.facets if f.name == "year")
    assert sum(o.count for o in years.options) == outcome.total
    region = _search("스마트시티", region="sejong")
    assert 0 < region.total < _search("스마트시티").total


def test_sort_by_date_and_pages():
    outcome = _search("스마트시티", sort="date")
    dates = [r.page.date for r in outcome.results]
    assert dates == sorted(dates, reverse=True)
    second = _search("스마트시티", sort="date", page="2")
    assert second.results[0].page.date <= dates[-1]
    assert not {r.page.pk for r in outcome.results} & {
        r.page.pk for r in second.results
    }


def test_snippets_mark_the_words_that_matched():
    outcome = _search("도시를")
    assert "<mark>도시</mark>" in str(outcome.results[0].snippet) + str(
        outcome.results[0].title
    )
    english = _search("cities", "en")
    assert "<mark>" in str(english.results[0].snippet)


def test_a_misspelt_word_is_corrected_and_said_so():
    outcome = _search("certfication", "en")
    assert outcome.corrected == "certification"
    assert outcome.total > 0


def test_when_no_record_has_every_word_any_may_match():
    outcome = _search("digital twins zebra", "en")
    assert outcome.loose
    assert outcome.total > 0


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "을를",
        "!!! ???",
        "x" * 1000,
        '"unclosed phrase',
        "a* NEAR(b c) -d AND (e OR",
        "'; DROP TABLE portal_search_searchdocument; --",
        "ＳＭＡＲＴ　ＣＩＴＹ",
        "스마트시티 smart city 도시를",
    ],
)
def test_bad_input_gives_a_normal_page(client, raw):
    response = client.get("/search/", {"q": raw, "page": "abc", "year": "x"})
    assert response.status_code == 200
    assert SearchDocument.objects.exists()


def test_search_page_shows_results_with_filters_and_sorting(client):
    response = client.get("/en/search/", {"q": "digital twins"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="type"' in html
    assert "<mark>" in html
    assert "sort=date" in html
    assert response.context["search"].total > 0


def test_search_box_on_every_page(client):
    for url in ("/", "/en/", "/news/"):
        assert 'role="search"' in client.get(url).content.decode()


def test_autocomplete_offers_titles_and_taxonomy_names(client):
    data = client.get("/search/suggest/", {"q": "세종"}).json()["suggestions"]
    kinds = {item["kind"] for item in data}
    assert "title" in kinds and len(kinds) > 1
    english = client.get("/en/search/suggest/", {"q": "certifica"}).json()
    assert any("certification" in i["label"] for i in english["suggestions"])


def test_search_api_returns_results_with_provenance(client):
    response = client.get(
        "/api/v1/search/", {"q": "smart city certification", "lang": "en"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["total"] > 0
    first = body["results"][0]
    for key in ("id", "type", "title", "url", "date", "language", "score"):
        assert first[key] not in (None, "")
    assert {"kind", "original_url", "source_id"} <= set(first["provenance"])
    imported = client.get(
        "/api/v1/search/", {"q": "스마트시티", "lang": "ko", "page_size": "100"}
    ).json()["results"]
    assert any(r["provenance"]["source_id"] for r in imported)


def test_search_api_refuses_bad_parameters_clearly(client):
    bad_lang = client.get("/api/v1/search/", {"q": "x", "lang": "fr"})
    assert bad_lang.status_code == 400 and "lang" in bad_lang.json()
    bad_size = client.get("/api/v1/search/", {"q": "x", "page_size": "1000"})
    assert bad_size.status_code == 400


def test_search_api_is_in_the_schema(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/search/" in schema.content
