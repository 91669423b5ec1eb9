"""JSON-LD and Open Graph as search engines and link previews read them:
valid JSON of the right schema.org type carrying what the page shows."""

import datetime as dt
import json

import pytest
from lxml import html

from scis.events.models import EventPage
from scis.library.models import LiteraturePage
from scis.news.models import NewsPage

pytestmark = pytest.mark.django_db


def read(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    page = html.fromstring(response.content)
    scripts = page.xpath("//head/script[@type='application/ld+json']/text()")
    data = [json.loads(text) for text in scripts]
    og = {}
    for meta in page.xpath("//head/meta[starts-with(@property, 'og:')]"):
        og.setdefault(meta.get("property"), meta.get("content"))
    return data, og


def test_a_news_item_is_a_news_article_with_its_source(client):
    page = NewsPage.objects.live().filter(locale__language_code="ko").first()
    data, og = read(client, page.url)
    (article,) = data
    assert article["@context"] == "https://schema.org"
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == page.title[:110]
    assert article["datePublished"] == page.date.isoformat()
    assert article["inLanguage"] == "ko"
    assert article["url"] == f"http://testserver{page.url}"
    assert article["publisher"]["@type"] == "GovernmentOrganization"
    names = {o["name"] for o in article.get("sourceOrganization", [])}
    assert names == {o.name_ko for o in page.organisations.all()}
    assert article["workTranslation"]["inLanguage"] == "en"

    assert og["og:title"] == page.title
    assert og["og:type"] == "article"
    assert og["og:url"] == article["url"]
    assert og["og:locale"] == "ko_KR"
    assert og["og:image"].startswith("http://testserver/")
    assert (
        client.get(og["og:image"].removeprefix("http://testserver")).status_code == 200
    )


def test_an_event_has_its_dates_place_and_attendance_mode(client):
    event = (
        EventPage.objects.live()
        .filter(locale__language_code="en")
        .exclude(venue="")
        .first()
    )
    (data,), _og = read(client, event.url)
    assert data["@type"] == "Event"
    assert data["name"] == event.title
    assert dt.datetime.fromisoformat(data["startDate"]) == event.start
    assert dt.datetime.fromisoformat(data["endDate"]) == event.end
    assert data["eventAttendanceMode"].startswith("https://schema.org/")
    places = (
        data["location"] if isinstance(data["location"], list) else [data["location"]]
    )
    if event.mode != "online":
        assert places[0]["name"] == event.venue


def test_a_literature_record_is_a_scholarly_article_with_its_authors(client):
    record = LiteraturePage.objects.live().filter(locale__language_code="ko").first()
    (data,), _og = read(client, record.url)
    assert data["@type"] == "ScholarlyArticle"
    assert [a["name"] for a in data["author"]] == [a.name for a in record.authors.all()]
    assert data["datePublished"] == str(record.year)
    if record.doi:
        assert data["sameAs"] == f"https://doi.org/{record.doi}"


def test_the_home_page_describes_the_site_and_its_search(client):
    data, og = read(client, "/en/")
    (site,) = data
    assert site["@type"] == "WebSite"
    template = site["potentialAction"]["target"]["urlTemplate"]
    assert template == "http://testserver/en/search/?q={query}"
    assert og["og:type"] == "website"
    assert og["og:locale"] == "en_US"


def test_text_cannot_break_out_of_the_json_ld_script(client):
    page = NewsPage.objects.live().filter(locale__language_code="ko").first()
    page.title = "</script><script>alert(1)</script> 스마트도시"
    page.save_revision().publish()
    response = client.get(page.url)
    assert b"</script><script>alert(1)" not in response.content
    data, _og = read(client, page.url)
    assert data[0]["name"] == page.title
