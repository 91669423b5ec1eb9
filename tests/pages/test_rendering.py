"""Every page type renders for a reader, in both languages."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils.html import escape
from wagtail.models import Page

from scis.about.models import DefinitionIndexPage, DefinitionPage, StandardPage
from scis.events.models import EventIndexPage, EventPage
from scis.home.models import HomePage, RecordIndexPage
from scis.library.models import (
    DocumentIndexPage,
    DocumentPage,
    LiteratureIndexPage,
    LiteraturePage,
)
from scis.news.models import NewsIndexPage, NewsPage

PAGE_TYPES = [
    HomePage,
    RecordIndexPage,
    NewsIndexPage,
    NewsPage,
    LiteratureIndexPage,
    LiteraturePage,
    DocumentIndexPage,
    DocumentPage,
    EventIndexPage,
    EventPage,
    StandardPage,
    DefinitionIndexPage,
    DefinitionPage,
]


@pytest.mark.django_db
@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda m: m.__name__)
@pytest.mark.parametrize("language", ["ko", "en"])
def test_each_page_type_renders_with_its_title(client, model, language):
    page = model.objects.live().filter(locale__language_code=language).first()
    assert page is not None, f"the demo archive has no {model.__name__} in {language}"
    response = client.get(page.url)
    assert response.status_code == 200
    assert escape(page.title) in response.content.decode()
    assert f'<html lang="{language}">' in response.content.decode()


@pytest.mark.django_db
def test_korean_lives_at_root_and_english_under_en(client, home, home_en):
    assert home.url == "/"
    assert home_en.url == "/en/"
    assert "스마트도시 정보시스템" in client.get("/").content.decode()
    assert "Smart City Information System" in client.get("/en/").content.decode()


@pytest.mark.django_db
def test_news_detail_shows_source_date_cite_and_breadcrumbs(client):
    page = NewsPage.objects.get(
        slug="2024-sejong-pilot-city-operator-designated", locale__language_code="ko"
    )
    html = client.get(page.url).content.decode()
    assert "2024년 3월 27일" in html
    assert "국토교통부" in html
    assert 'aria-label="' in html and "breadcrumbs" in html
    assert f"/id/{page.pk}/" in html  # the permanent URL in the citation block
    assert "newsletter-49" in html  # provenance of an imported item


@pytest.mark.django_db
def test_english_dates_are_written_the_english_way(client):
    page = NewsPage.objects.get(
        slug="2024-sejong-pilot-city-operator-designated", locale__language_code="en"
    )
    html = client.get(page.url).content.decode()
    assert "27 March 2024" in html
    assert "Ministry of Land, Infrastructure and Transport" in html


@pytest.mark.django_db
def test_permanent_url_redirects_to_the_record(client):
    page = NewsPage.objects.live().first()
    response = client.get(f"/id/{page.pk}/")
    assert response.status_code == 302
    assert response["Location"] == page.url


@pytest.mark.django_db
def test_unknown_permanent_url_is_not_found(client):
    assert client.get("/id/999999999/").status_code == 404


@pytest.mark.django_db
def test_related_records_share_taxonomy(client):
    page = NewsPage.objects.get(
        slug="2024-sejong-pilot-city-operator-designated", locale__language_code="ko"
    )
    response = client.get(page.url)
    related = response.context["related_records"]
    assert related, "a pilot-city item should have related records"
    mine = (
        {t.pk for t in page.programmes.all()}
        | {t.pk for t in page.regions.all()}
        | {t.pk for t in page.topics.all()}
    )
    for record in related:
        theirs = (
            {t.pk for t in record.programmes.all()}
            | {t.pk for t in record.regions.all()}
            | {t.pk for t in record.topics.all()}
        )
        assert mine & theirs
        assert record.pk != page.pk
        assert record.locale_id == page.locale_id


@pytest.mark.django_db
def test_home_shows_latest_per_section_upcoming_events_and_featured_programme(
    client, home
):
    html = client.get("/").content.decode()
    sections = home.latest_sections()
    assert len(sections) == 4
    for index_page, records in sections:
        assert index_page.title in html
        assert records, "each section lists its latest items"
        assert [r.date for r in records] == sorted(
            (r.date for r in records), reverse=True
        )
        assert escape(records[0].title) in html
    events = home.upcoming_events()
    assert events and escape(events[0].title) in html
    assert "국가시범도시" in html  # the featured programme


@pytest.mark.django_db
def test_home_shows_a_new_item_as_soon_as_it_is_published(client):
    from tests.factories import NewsPageFactory

    client.get("/")  # fills the cached fragment
    NewsPageFactory(
        title="방금 발행한 이슈", slug="just-published", date=dt.date(2026, 11, 21)
    )
    assert "방금 발행한 이슈" in client.get("/").content.decode()


@pytest.mark.django_db
def test_about_pages_have_definitions_timeline_and_brochure(client):
    definitions = client.get("/about/what-is-a-smart-city/").content.decode()
    assert definitions.count('class="definitions__item"') == 6
    assert (
        "European Commission"
        in client.get("/en/about/what-is-a-smart-city/").content.decode()
    )
    history = client.get("/about/history/").content.decode()
    assert "timeline__event" in history and "U-City" in history
    info = client.get("/en/about/information-system/").content.decode()
    assert "download-card" in info and ".pdf" in info


@pytest.mark.django_db
def test_sitemap_and_robots(client):
    assert client.get("/robots.txt").content.decode().startswith("User-agent: *")
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    assert b"<urlset" in sitemap.content


@pytest.mark.django_db
def test_print_styles_hide_navigation():
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/portal.css")).read_text(encoding="utf-8")
    assert "@media print" in css
    assert "word-break: keep-all" in css


@pytest.mark.django_db
def test_every_record_type_is_published_in_both_languages():
    for model in (NewsPage, LiteraturePage, EventPage, DocumentPage, DefinitionPage):
        ko = model.objects.live().filter(locale__language_code="ko")
        en_keys = set(
            model.objects.live()
            .filter(locale__language_code="en")
            .values_list("translation_key", flat=True)
        )
        assert ko.exists()
        assert set(ko.values_list("translation_key", flat=True)) <= en_keys


@pytest.mark.django_db
def test_root_page_is_not_served_as_a_record():
    assert Page.objects.get(depth=1).specific_class is Page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=%EB%8F%84%EC%8B%9C%00",
        "/en/news/?region=%00&topic=a%00b",
        "/api/v1/search/?q=%00&region=%00",
        "/api/v1/projects/geojson/?programme=%00",
        "/api/v1/records/?cursor=%00",
        "/search/suggest/?q=%00",
        "/%00/",
    ],
)
def test_a_nul_character_anywhere_is_never_a_server_error(client, url):
    """PostgreSQL cannot store NUL: each of these once reached a query."""
    assert client.get(url).status_code in (200, 400, 404)
