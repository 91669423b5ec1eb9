"""The web archive of issues as a reader meets it: /newsletter/ and
/newsletter/<number>/ in Korean and English, records shown in the reader's
language or labelled when only the other language exists, the Atom feed of
issues, and the demo issues that keep the archive from being empty."""

import datetime as dt
import json
import uuid

import feedparser
import pytest
from django.conf import settings
from lxml import html

from scis.news.models import NewsIndexPage, NewsPage
from scis.newsletter.contents import issue_contents
from scis.newsletter.models import NewsletterIndexPage, NewsletterIssuePage

pytestmark = pytest.mark.django_db


def page_of(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return html.fromstring(response.content.decode())


def text_of(node) -> str:
    return " ".join(node.text_content().split())


def test_archive_lists_issues_newest_first_in_korean(client):
    doc = page_of(client, "/newsletter/")
    assert doc.get("lang") == "ko"
    assert text_of(doc.xpath("//h1")[0]) == "뉴스레터"
    items = doc.xpath("//ol[contains(@class, 'newsletter-issues')]/li")
    numbers = [
        text_of(li.xpath(".//*[@class='newsletter-issues__number']")[0]) for li in items
    ]
    assert numbers[:2] == ["제49호", "제48호"]
    first = items[0]
    assert first.xpath(".//a/@href")[0] == "/newsletter/49/"
    assert "정부·지역·민간이 함께 만드는 스마트도시" in text_of(first)
    assert first.xpath(".//time/@datetime") == ["2024-04-01"]
    assert doc.xpath("//main//a[@href='/newsletter/subscribe/']")


def test_archive_in_english_links_the_english_issues(client):
    doc = page_of(client, "/en/newsletter/")
    assert doc.get("lang") == "en"
    first = doc.xpath("//ol[contains(@class, 'newsletter-issues')]/li")[0]
    assert first.xpath(".//a/@href")[0] == "/en/newsletter/49/"
    assert "No. 49" in text_of(first)
    assert "Government, regions and business building smart cities" in text_of(first)
    assert not first.xpath(".//*[contains(@class, 'newsletter-language-note')]")
    assert doc.xpath("//main//a[@href='/en/newsletter/subscribe/']")


def test_issue_page_shows_sections_and_items_in_korean(client):
    doc = page_of(client, "/newsletter/49/")
    meta = text_of(doc.xpath("//*[@class='newsletter-issue__meta']")[0])
    assert "제49호" in meta
    assert doc.xpath("//*[@class='newsletter-issue__meta']/time/@datetime") == [
        "2024-04-01"
    ]
    assert "2024년 스마트도시 조성·확산 사업 공모" in text_of(doc.xpath("//header")[1])
    headings = [
        text_of(h) for h in doc.xpath("//section[@class='newsletter-section']/h2")
    ]
    assert headings[0] == "스마트도시 이슈"
    assert len(headings) == 6
    item = doc.xpath("//li[@class='newsletter-item']")[0]
    link = item.xpath(".//h3/a")[0]
    assert link.text == "정부·지역·민간이 힘 모아 ‘스마트도시’ 만든다"
    assert link.get("href").startswith("/news/issue/")
    meta = text_of(item.xpath(".//*[@class='newsletter-item__meta']")[0])
    assert "국토교통부" in meta
    assert item.xpath(".//time/@datetime") == ["2024-03-28"]
    # Without a shorter summary in the issue, the record's own one is shown.
    assert "공모를 시작한다고" in text_of(item)
    # Every item link leads to a live page.
    for href in doc.xpath("//li[@class='newsletter-item']//h3/a/@href"):
        assert client.get(href).status_code == 200, href


def test_issue_page_in_english_links_the_translations(client):
    doc = page_of(client, "/en/newsletter/49/")
    headings = [
        text_of(h) for h in doc.xpath("//section[@class='newsletter-section']/h2")
    ]
    assert headings[0] == "Smart City Issue"
    assert "Smart City Literature" in headings
    hrefs = doc.xpath("//li[@class='newsletter-item']//h3/a/@href")
    assert hrefs and all(href.startswith("/en/") for href in hrefs)
    # The issue's own shorter summary wins over the record's.
    assert "KRW 20 billion in total goes to running autonomous driving" in text_of(doc)
    assert not doc.xpath("//*[contains(@class, 'newsletter-language-note')]")


@pytest.fixture
def korean_only_record(ko):
    """A record that has not been translated into English yet."""
    parent = NewsIndexPage.objects.get(slug="issue", locale=ko)
    record = NewsPage(
        title="번역되지 않은 스마트도시 소식",
        slug="untranslated-newsletter-item",
        locale=ko,
        date=dt.date(2024, 3, 29),
        section="issue",
        summary="아직 영어로 옮기지 않은 기사입니다.",
    )
    parent.add_child(instance=record)
    record.save_revision().publish()
    return record


def add_item(issue: NewsletterIssuePage, record, summary: str = "") -> None:
    raw = json.loads(json.dumps(list(issue.sections.raw_data)))
    raw[0]["value"]["items"].append(
        {
            "type": "item",
            "id": str(uuid.uuid4()),
            "value": {"record": record.pk, "summary": summary},
        }
    )
    issue.sections = json.dumps(raw)
    issue.save_revision().publish()


def test_record_without_translation_is_shown_in_korean_with_a_label(
    client, en, korean_only_record
):
    issue_en = NewsletterIssuePage.objects.get(number=49, locale=en)
    add_item(issue_en, korean_only_record)
    doc = page_of(client, "/en/newsletter/49/")
    link = doc.xpath(f"//a[text()='{korean_only_record.title}']")[0]
    assert link.get("href") == korean_only_record.url
    title = link.getparent()
    assert title.get("lang") == "ko"
    note = title.getparent().xpath(".//*[contains(@class, 'newsletter-language-note')]")
    assert text_of(note[0]) == "Korean only"
    # Korean readers see it as any other item.
    ko_doc = page_of(client, "/newsletter/49/")
    assert not ko_doc.xpath("//*[contains(@class, 'newsletter-language-note')]")


def test_contents_for_the_mail_skip_unpublished_records(en, korean_only_record):
    issue_en = NewsletterIssuePage.objects.get(number=49, locale=en)
    add_item(issue_en, korean_only_record, summary="Not yet in English.")
    items = [i for s in issue_contents(issue_en, "en") for i in s.items]
    [item] = [i for i in items if i.page.pk == korean_only_record.pk]
    assert item.fallback and item.language == "ko"
    # The issue's own summary is in the edition's language, the title not.
    assert (item.summary, item.summary_language) == ("Not yet in English.", "en")
    assert item.absolute_url == f"{settings.PUBLIC_BASE_URL}{korean_only_record.url}"
    korean_only_record.unpublish()
    items = [i for s in issue_contents(issue_en, "en") for i in s.items]
    assert korean_only_record.pk not in [i.page.pk for i in items]


def test_atom_feed_of_issues_parses_and_is_advertised(client):
    for prefix, title in (("", "제49호"), ("/en", "No. 49")):
        doc = page_of(client, f"{prefix}/newsletter/")
        feeds = doc.xpath(
            "//head/link[@rel='alternate'][@type='application/atom+xml']/@href"
        )
        feed_url = next(url for url in feeds if url.endswith("/newsletter/feed.atom"))
        assert feed_url.endswith(f"{prefix}/newsletter/feed.atom")
        response = client.get(f"{prefix}/newsletter/feed.atom")
        assert response["Content-Type"].startswith("application/atom+xml")
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.version == "atom10"
        assert title in feed.entries[0].title
        assert feed.entries[0].link.endswith(f"{prefix}/newsletter/49/")
        assert feed.entries[0].published.startswith("2024-04-01")
        assert len(feed.entries) >= 2


def test_a_new_issue_takes_the_next_number_as_its_address(home):
    index = NewsletterIndexPage.objects.child_of(home).get()
    issue = NewsletterIssuePage(title="2024년 5월호", locale=home.locale)
    assert issue.number == 50
    index.add_child(instance=issue)
    issue.save_revision().publish()
    assert issue.slug == "50"
    assert issue.url == "/newsletter/50/"


def test_a_taken_number_is_refused_with_a_clear_message(home):
    from django.core.exceptions import ValidationError

    index = NewsletterIndexPage.objects.child_of(home).get()
    issue = NewsletterIssuePage(title="중복", locale=home.locale, number=49)
    with pytest.raises(ValidationError) as error:
        index.add_child(instance=issue)
    assert "49" in str(error.value.message_dict["number"])
