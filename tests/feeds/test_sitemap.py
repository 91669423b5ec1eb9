"""/sitemap.xml as a search engine reads it: every public page in both
languages, each pointing at its translation with hreflang, nothing private,
and an index of pages once the archive outgrows one sitemap."""

import pytest
from lxml import etree
from wagtail.models import Page, PageViewRestriction

from scis.feeds.sitemaps import PortalSitemap
from scis.news.models import NewsPage

pytestmark = pytest.mark.django_db

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
}


def urls_of(client, address="/sitemap.xml") -> dict[str, dict[str, str]]:
    """location → {hreflang: alternate location}"""
    response = client.get(address)
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    found = {}
    for url in root.xpath("/s:urlset/s:url", namespaces=NS):
        location = url.xpath("string(s:loc)", namespaces=NS)
        assert location not in found
        found[location] = {
            link.get("hreflang"): link.get("href")
            for link in url.xpath("x:link[@rel='alternate']", namespaces=NS)
        }
    return found


def test_both_languages_are_listed_and_point_at_each_other(client):
    urls = urls_of(client)
    english = [loc for loc in urls if "/en/" in loc]
    korean = [loc for loc in urls if "/en/" not in loc]
    assert len(english) > 150 and len(korean) > 150

    news = NewsPage.objects.live().filter(locale__language_code="en").first()
    korean_news = news.get_translation(
        news.get_translations().filter(locale__language_code="ko").first().locale
    )
    own, other = news.get_full_url(), korean_news.get_full_url()
    assert urls[own] == {"en": own, "ko": other, "x-default": other}
    assert urls[other] == urls[own]
    # Routable views of a page (the projects map) carry alternates too.
    map_url = next(loc for loc in urls if loc.endswith("/en/projects/map/"))
    assert urls[map_url]["ko"].endswith("/projects/map/")
    assert "/en/" not in urls[map_url]["ko"]


def test_drafts_and_private_pages_are_left_out(client):
    withdrawn = NewsPage.objects.live().first()
    url = withdrawn.get_full_url()
    withdrawn.unpublish()
    private = NewsPage.objects.live().first()
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    urls = urls_of(client)
    assert url not in urls
    assert private.get_full_url() not in urls
    assert len(urls) >= 300


def test_a_large_archive_gets_an_index_of_sitemaps(client, monkeypatch):
    monkeypatch.setattr(PortalSitemap, "limit", 100)
    response = client.get("/sitemap.xml")
    root = etree.fromstring(response.content)
    parts = root.xpath("/s:sitemapindex/s:sitemap/s:loc/text()", namespaces=NS)
    expected = Page.objects.live().public().filter(depth__gt=1).count()
    assert len(parts) == -(-expected // 100)
    seen: set[str] = set()
    for part in parts:
        path = part.split("//", 1)[1].split("/", 1)[1]
        found = urls_of(client, "/" + path)
        assert not seen & set(found)
        seen |= set(found)
    assert len(seen) >= expected
    assert root.xpath("string(/s:sitemapindex/s:sitemap/s:lastmod)", namespaces=NS)


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text


def test_a_published_change_reaches_the_sitemap_at_once(client):
    """Answers are kept between requests, but not past a publish."""
    before = urls_of(client)
    withdrawn = NewsPage.objects.live().first()
    url = withdrawn.get_full_url()
    assert url in before
    withdrawn.unpublish()
    assert url not in urls_of(client)
