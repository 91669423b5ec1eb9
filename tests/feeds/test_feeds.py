"""Atom and RSS feeds as a feed reader meets them: parsed by feedparser with
no errors, carrying the records the matching listing shows, in the reader's
language, and advertised by the pages that list those records."""

import datetime as dt
import re

import feedparser
import pytest
from lxml import html

from scis.core.models import CatalogueEntry
from scis.news.models import NewsPage
from scis.taxonomy.models import Programme, Region, Topic
from tests.factories import NewsPageFactory

pytestmark = pytest.mark.django_db


def parsed(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


def feed_urls(client) -> list[str]:
    """Every feed the feed index offers, in both languages."""
    urls = []
    for prefix in ("", "/en"):
        page = html.fromstring(client.get(f"{prefix}/feeds/").content)
        urls += [
            link.get("href")
            for link in page.xpath("//main//a[starts-with(@type, 'application/')]")
        ]
    return urls


def test_every_feed_on_the_index_parses_without_errors(client):
    urls = feed_urls(client)
    assert len(urls) >= 2 * 2 * (1 + 8 + 4 + 17)
    assert any(url.endswith(".rss") for url in urls)
    empty = 0
    for url in urls:
        response, feed = parsed(client, url)
        expected = "atom10" if url.endswith(".atom") else "rss20"
        assert feed.version == expected
        assert response["Content-Type"].startswith(
            "application/atom+xml" if expected == "atom10" else "application/rss+xml"
        )
        assert feed.feed.title
        empty += not feed.entries
        for entry in feed.entries:
            assert entry.title and entry.link and entry.id
            assert entry.published_parsed
    # Every programme, type and section of the demo archive has records.
    assert empty < len(urls) / 4


def test_a_section_feed_lists_that_section_newest_first_in_korean(client):
    _response, feed = parsed(client, "/feeds/news/policy-trend.atom")
    expected = list(
        CatalogueEntry.objects.filter(
            language="ko", record_type="news", section="policy-trend"
        )
        .order_by("-date", "-id")
        .values_list("page_id", flat=True)[:30]
    )
    got = [int(re.search(r"/id/(\d+)/", e.id).group(1)) for e in feed.entries]
    assert got == expected
    first = NewsPage.objects.get(pk=expected[0])
    assert feed.entries[0].title == first.title
    assert feed.entries[0].link == f"http://testserver{first.url}"
    assert feed.feed.language == "ko"
    assert "정책 동향" in feed.feed.title


def test_english_feeds_carry_english_titles_and_links(client):
    _response, feed = parsed(client, "/en/feeds/type/news.rss")
    assert feed.feed.language == "en"
    translated = [e for e in feed.entries if "/en/" in e.link]
    assert len(translated) > len(feed.entries) / 2
    page = NewsPage.objects.get(pk=int(translated[0].id.rstrip("/").split("/")[-1]))
    assert page.locale.language_code == "en"
    assert translated[0].title == page.title


def test_a_region_feed_includes_its_municipalities(client):
    province = Region.objects.get(slug="busan")
    allowed = {province.name_ko, *province.children.values_list("name_ko", flat=True)}
    _response, feed = parsed(client, "/feeds/region/busan.atom")
    assert feed.entries
    for entry in feed.entries:
        assert {tag.term for tag in entry.tags} & allowed


def test_a_programme_and_a_topic_feed_hold_only_their_records(client):
    programme = Programme.objects.get(slug="national-pilot-city")
    _response, feed = parsed(client, f"/en/feeds/programme/{programme.slug}.atom")
    assert feed.entries
    assert all(programme.name_en in {t.term for t in e.tags} for e in feed.entries)
    topic = Topic.objects.get(slug="transport")
    _response, feed = parsed(client, "/feeds/topic/transport.rss")
    assert feed.entries
    assert all(topic.name_ko in {t.term for t in e.tags} for e in feed.entries)


def test_a_search_feed_follows_a_query_newest_first(client):
    _response, feed = parsed(client, "/feeds/search.atom?q=국가시범도시")
    assert len(feed.entries) >= 3
    dates = [e.published_parsed for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    assert "국가시범도시" in feed.feed.title


def test_a_new_record_appears_and_the_feed_answers_304_until_then(client):
    response = client.get("/feeds/all.atom")
    etag = response["ETag"]
    assert (
        client.get("/feeds/all.atom", headers={"if-none-match": etag}).status_code
        == 304
    )
    newest = CatalogueEntry.objects.order_by("-date").first().date
    page = NewsPageFactory(
        title="새로 발표한 스마트도시 소식",
        date=newest + dt.timedelta(days=1),
        section="issue",
    )
    response, feed = parsed(client, "/feeds/all.atom")
    assert response["ETag"] != etag
    assert feed.entries[0].title == page.title
    assert feed.entries[0].id == f"http://testserver/id/{page.pk}/"


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/type/podcast.atom",
        "/feeds/news/sports.rss",
        "/feeds/region/atlantis.atom",
        "/feeds/search.atom",
        "/feeds/search.rss?q=%20%00",
    ],
)
def test_unknown_scopes_are_404s_that_say_what_exists(client, url):
    response = client.get(url)
    assert response.status_code == 404


def test_listing_and_search_pages_advertise_their_feeds(client):
    page = html.fromstring(client.get("/news/policy-trend/").content)
    adverts = page.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']")
    hrefs = [link.get("href") for link in adverts]
    assert hrefs[0] == "http://testserver/feeds/news/policy-trend.atom"
    assert "http://testserver/feeds/all.atom" in hrefs
    assert page.xpath("//head/link[@rel='alternate'][@type='application/rss+xml']")
    visible = page.xpath("//p[@class='feed-links']/a[@type='application/atom+xml']")
    assert visible[0].get("href") == "/feeds/news/policy-trend.atom"

    page = html.fromstring(client.get("/en/records/?region=sejong").content)
    hrefs = [
        link.get("href")
        for link in page.xpath("//head/link[@type='application/atom+xml']")
    ]
    assert "http://testserver/en/feeds/region/sejong.atom" in hrefs

    page = html.fromstring(client.get("/search/?q=자율주행").content)
    visible = page.xpath("//p[@class='feed-links']/a[@type='application/atom+xml']")
    assert visible[0].get("href").startswith("/feeds/search.atom?q=")
    assert client.get(visible[0].get("href")).status_code == 200
