"""The REST API v1 as a developer meets it: lists and details of every record
type and taxonomy, filters, cursors, field selection, languages, conditional
requests, CORS, the rate limit, and clear 400s for bad input."""

import re

import pytest
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from scis.core.models import CatalogueEntry
from scis.events.models import EventPage
from scis.library.models import LiteraturePage
from scis.news.models import NewsPage
from scis.projects.models import ProjectPage
from scis.taxonomy.models import Region
from tests.factories import NewsPageFactory

pytestmark = pytest.mark.django_db


def walk(client, url: str, **params) -> list[dict]:
    """Every result of a list, following `next` links to the end."""
    results: list[dict] = []
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        results += body["results"]
        if not body["next"]:
            return results
        response = client.get(body["next"])


def test_root_links_to_every_endpoint_and_each_answers(client):
    root = client.get("/api/v1/").json()
    links = [root["records"], root["documentation"], root["schema"]]
    links += list(root["types"].values()) + list(root["taxonomy"].values())
    assert set(root["types"]) == {
        "news",
        "literature",
        "events",
        "documents",
        "definitions",
        "programmes",
        "projects",
        "policies",
    }
    for link in links:
        assert client.get(link).status_code == 200, link


def test_walking_every_record_with_cursors_gives_each_once(client):
    results = walk(client, "/api/v1/records/", page_size=37)
    ids = [r["id"] for r in results]
    assert len(ids) == len(set(ids))
    # One row per record in the reading language: each Korean record, and
    # records that exist only in English as fallbacks.
    korean = {
        p.translation_key
        for model in (NewsPage, LiteraturePage, EventPage, ProjectPage)
        for p in model.objects.live().filter(locale__language_code="ko")
    }
    listed = {r["translation_key"] for r in results}
    assert {str(k) for k in korean} <= listed
    dates = [r["date"] for r in results]
    assert dates == sorted(dates, reverse=True)


def test_a_list_shows_the_types_own_fields_but_not_long_texts(client):
    first = client.get("/api/v1/events/").json()["results"][0]
    assert {"start", "end", "venue", "mode"} <= set(first)
    assert "body" not in first
    with_body = client.get("/api/v1/events/", {"fields": "id,title,body"}).json()
    assert set(with_body["results"][0]) == {"id", "title", "body"}


def test_section_and_region_filters_match_the_listing_pages(client):
    trend = walk(client, "/api/v1/news/", section="policy-trend", page_size=100)
    assert trend
    assert {r["section"] for r in trend} == {"policy-trend"}

    province = Region.objects.get(slug="busan")
    results = walk(client, "/api/v1/records/", region="busan", page_size=100)
    allowed = {province.slug, *province.children.values_list("slug", flat=True)}
    assert results
    for record in results:
        assert {t["slug"] for t in record["regions"]} & allowed


@pytest.mark.parametrize(
    "params, key",
    [
        ({"region": "atlantis"}, "filters"),
        ({"year": "twenty"}, "filters"),
        ({"colour": "blue"}, "unknown_parameters"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "100000"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"cursor": "bm90LWEtY3Vyc29y"}, "cursor"),
        ({"fields": "id,secret"}, "fields"),
        ({"lang": "fr"}, "lang"),
        ({"organisation": "mo\x00lit"}, "organisation"),
    ],
)
def test_bad_parameters_get_a_400_that_says_what_to_do(client, params, key):
    response = client.get("/api/v1/news/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert key in response.json()


def test_a_section_filter_is_unknown_where_the_type_has_no_sections(client):
    response = client.get("/api/v1/events/", {"section": "issue"})
    assert response.status_code == 400
    assert "section" in response.json()["unknown_parameters"]


def test_a_cursor_from_one_list_continues_only_that_list(client):
    first = client.get("/api/v1/news/", {"page_size": 3}).json()
    second = client.get(first["next"]).json()
    assert {r["id"] for r in first["results"]}.isdisjoint(
        r["id"] for r in second["results"]
    )
    tampered = first["next"].replace("cursor=", "cursor=x")
    assert client.get(tampered).status_code == 400


def test_english_readers_get_translations_and_labelled_fallbacks(client):
    english = walk(client, "/api/v1/news/", lang="en", page_size=200)
    translated = [r for r in english if r["translated"]]
    fallback = [r for r in english if not r["translated"]]
    assert translated
    assert all(r["language"] == "en" for r in translated)
    assert all(r["language"] == "ko" for r in fallback)


def test_detail_shows_each_types_own_fields(client):
    literature = LiteraturePage.objects.live().filter(authors__isnull=False).first()
    body = client.get(f"/api/v1/literature/{literature.pk}/").json()
    assert body["authors"][0]["name"] == literature.authors.first().name
    assert body["title"] == literature.title
    assert body["permalink"].endswith(f"/id/{literature.pk}/")

    project = ProjectPage.objects.live().filter(outcomes__isnull=False).first()
    body = client.get(f"/api/v1/projects/{project.pk}/").json()
    assert body["programme"] == project.programme.slug
    assert body["outcomes"][0]["indicator"]
    assert client.get(f"/api/v1/records/{project.pk}/").json()["outcomes"]
    # The id of a project is not an event.
    assert client.get(f"/api/v1/events/{project.pk}/").status_code == 404


def test_detail_in_the_other_language_gives_the_translation(client):
    news = next(
        p
        for p in NewsPage.objects.live().filter(locale__language_code="ko")
        if p.translation_in("en")
    )
    body = client.get(f"/api/v1/news/{news.pk}/", {"lang": "en"}).json()
    assert body["id"] == news.translation_in("en").pk
    assert body["language"] == "en"
    assert body["translated"] is True


def test_drafts_and_private_records_never_appear(client):
    draft = NewsPageFactory(title="아직 공개하지 않은 초안")
    draft.unpublish()
    private = NewsPageFactory(title="내부 전용 기록")
    # Made private after publishing: it leaves the lists at once.
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    titles = {r["title"] for r in walk(client, "/api/v1/news/", page_size=500)}
    assert "아직 공개하지 않은 초안" not in titles
    assert "내부 전용 기록" not in titles
    for page in (draft, private):
        assert client.get(f"/api/v1/news/{page.pk}/").status_code == 404
    # A page that is not a record at all is not in the API either.
    home = Page.objects.get(depth=2, locale__language_code="ko")
    assert client.get(f"/api/v1/records/{home.pk}/").status_code == 404
    # Public again: listed again.
    restriction.delete()
    assert client.get(f"/api/v1/news/{private.pk}/").status_code == 200


def test_unchanged_answers_are_304_until_something_is_published(client):
    first = client.get("/api/v1/news/")
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    again = client.get("/api/v1/news/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    NewsPageFactory(title="새로 발표된 소식", date=timezone.localdate())
    changed = client.get("/api/v1/news/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed.json()["results"][0]["title"] == "새로 발표된 소식"


def test_any_site_may_read_the_api(client):
    response = client.get("/api/v1/news/", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"


@override_settings(API_ANON_RATE="3/minute")
def test_a_busy_anonymous_client_is_told_when_to_come_back(client):
    for _ in range(3):
        assert client.get("/api/v1/").status_code == 200
    refused = client.get("/api/v1/news/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "detail" in refused.json()


def test_taxonomies_list_every_term_and_link_to_their_records(client):
    regions = walk(client, "/api/v1/taxonomy/regions/", page_size=50)
    assert len(regions) == Region.objects.count()
    sejong = client.get("/api/v1/taxonomy/regions/sejong/", {"lang": "en"}).json()
    assert sejong["name"] == "Sejong"
    assert sejong["name_ko"] == "세종특별자치시"
    records = client.get(sejong["records"]).json()["results"]
    assert records
    assert client.get("/api/v1/taxonomy/regions/atlantis/").status_code == 404


def test_the_catalogue_and_the_api_agree_on_what_is_listed(client):
    count = CatalogueEntry.objects.filter(language="ko", record_type="event").count()
    assert len(walk(client, "/api/v1/events/", page_size=500)) == count


def test_the_docs_page_works_without_the_internet(client):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/api/v1/schema/" in html
    for elsewhere in ("cdn.", "unpkg", "googleapis", "jsdelivr"):
        assert elsewhere not in html
    script = re.search(r'<script src="([^"]+)"', html).group(1)
    assert client.get(script).status_code == 200
