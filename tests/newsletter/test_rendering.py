"""The e-mail edition of an issue: what a subscriber's mail client shows."""

import datetime as dt
import re

import pytest
from django.conf import settings

from scis.home.structure import publish, translate
from scis.library.models import LiteraturePage
from scis.news.models import NewsPage
from scis.newsletter import links
from scis.newsletter.models import NewsletterIndexPage, NewsletterIssuePage, Subscriber
from scis.newsletter.rendering import message_for, render_edition
from tests.factories import NewsPageFactory


def archive(home):
    found = home.get_children().type(NewsletterIndexPage).first()
    if found is not None:
        return found.specific
    index = NewsletterIndexPage(title="뉴스레터", slug="newsletter", locale=home.locale)
    home.add_child(instance=index)
    return publish(index)


def make_issue(home, sections, number=990, **fields):
    """A published Korean issue; `sections` maps a section to its records."""
    stream = [
        {
            "type": "section",
            "value": {
                "section": section,
                "items": [{"record": page.pk, "summary": ""} for page in pages],
            },
        }
        for section, pages in sections.items()
    ]
    issue = NewsletterIssuePage(
        title=f"스마트시티 뉴스레터 제{number}호",
        number=number,
        issue_date=dt.date(2024, 4, 1),
        introduction="이번 호에서는 4차 스마트도시 종합계획을 살펴봅니다.\n\n"
        "둘째 문단입니다.",
        locale=home.locale,
        sections=stream,
        **fields,
    )
    archive(home).add_child(instance=issue)
    return publish(issue)


def newest(model, ko, **filters):
    return list(
        model.objects.live().filter(locale=ko, **filters).order_by("-date", "-pk")[:2]
    )


@pytest.fixture
def news(ko):
    return newest(NewsPage, ko, section="issue")


@pytest.fixture
def literature(ko):
    return newest(LiteraturePage, ko)


@pytest.fixture
def issue(home, news, literature):
    return make_issue(home, {"issue": news, "literature": literature})


def flat(text: str) -> str:
    """Text with its line wrapping undone."""
    return " ".join(text.split())


def reader(language="ko", sections=(), email=None):
    return Subscriber.objects.create(
        email=email or f"reader-{language}-{len(sections)}@example.org",
        language=language,
        sections=list(sections),
        status=Subscriber.Status.ACTIVE,
    )


def test_html_is_a_table_layout_with_inlined_styles(issue):
    html = message_for(issue, reader()).html

    assert html.startswith("<!DOCTYPE html>")
    assert re.search(r'<html[^>]* lang="ko"', html)
    assert 'dir="ltr"' in html
    assert '<table role="presentation"' in html
    # Layout lives in style attributes: only the phone rule stays in <style>.
    styles = re.findall(r"<style[^>]*>(.*?)</style>", html, re.S)
    assert all(s.strip().startswith("@media") for s in styles)
    container = re.search(r'<table[^>]*class="container"[^>]*>', html).group(0)
    assert "max-width: 640px" in container
    assert "keep-all" in re.search(r'<td class="content"[^>]*>', html).group(0)
    assert "<script" not in html
    assert "<link" not in html


def test_both_parts_carry_the_subscribers_own_links(issue):
    subscriber = reader(email="mina@example.org")
    message = message_for(issue, subscriber)

    for url in (links.preferences_url(subscriber), links.unsubscribe_url(subscriber)):
        assert url.startswith(settings.PUBLIC_BASE_URL)
        assert f'href="{url}"' in message.html
        assert url in message.text
    assert "mina@example.org" in message.html
    assert "mina@example.org" in message.text
    # The sender says who it is and how to reach it.
    assert "@" in settings.NEWSLETTER_FROM_EMAIL
    sender = settings.NEWSLETTER_FROM_EMAIL.split("<")[-1].rstrip(">")
    assert sender in message.text


def test_each_subscriber_gets_links_of_their_own(issue):
    cache: dict = {}
    first = message_for(issue, reader(email="a@example.org"), cache)
    second = message_for(issue, reader(email="b@example.org"), cache)

    assert first.subject == second.subject
    assert links.unsubscribe_url(reader(email="c@example.org")) not in first.html
    assert first.html != second.html
    assert "a@example.org" not in second.html


def test_a_send_renders_each_edition_once(issue, django_assert_num_queries):
    cache: dict = {}
    message_for(issue, reader(email="first@example.org"), cache)
    later = [reader(email=f"r{n}@example.org") for n in range(20)]

    # Every further message reuses the rendered edition: no query, no template.
    with django_assert_num_queries(0):
        messages = [message_for(issue, subscriber, cache) for subscriber in later]
    assert len({m.html for m in messages}) == 20


def test_plain_text_writes_the_links_out(issue, news):
    text = message_for(issue, reader()).text

    assert "<" not in text.replace("<noreply", "")
    for page in news:
        assert page.title in flat(text)
        assert settings.PUBLIC_BASE_URL + page.url in text
    assert "스마트시티 뉴스레터 제990호" in text
    assert f"{settings.PUBLIC_BASE_URL}/newsletter/990/" in text


def test_korean_and_english_editions_differ_in_language(issue, news, en):
    for page in news:
        translate(page, en)
    korean = message_for(issue, reader("ko"))
    english = message_for(issue, reader("en"))

    assert '<html lang="ko"' in korean.html
    assert '<html lang="en"' in english.html
    assert "수신 거부" in korean.html or "구독 해지" in korean.html
    assert "Unsubscribe" in english.html
    assert "Unsubscribe" not in korean.html
    english_titles = [page.get_translation(en).title for page in news]
    for title in english_titles:
        assert title in english.html
        assert title not in korean.html
    for page in news:
        assert (
            f"{settings.PUBLIC_BASE_URL}{page.get_translation(en).url}" in english.text
        )


def test_english_edition_without_a_translation_marks_the_korean_text(issue):
    english = message_for(issue, reader("en"))

    assert "Newsletter No. 990" in english.subject
    assert "This introduction has not been translated yet." in english.html
    assert re.search(r'<p class="intro"[^>]* lang="ko"', english.html) or re.search(
        r'<p[^>]* lang="ko"[^>]*>이번 호에서는', english.html
    )
    assert "Read this issue on the web" in english.text


def test_english_edition_reads_the_translated_issue(issue, en):
    translate(
        issue,
        en,
        title="Smart City Newsletter No. 990",
        introduction="This issue looks at the fourth comprehensive plan.",
    )
    english = message_for(issue, reader("en"))

    assert english.subject == (
        "[Smart City Information System] Smart City Newsletter No. 990"
    )
    assert "This issue looks at the fourth comprehensive plan." in english.text
    assert "not been translated" not in english.html
    assert f"{settings.PUBLIC_BASE_URL}/en/newsletter/990/" in english.text


def test_a_record_without_translation_is_labelled_in_the_english_edition(home):
    korean_only = NewsPageFactory(
        title="영문 번역이 없는 시험 기사", slug="ko-only-item"
    )
    issue = make_issue(home, {"issue": [korean_only]}, number=991)

    english = message_for(issue, reader("en"))
    korean = message_for(issue, reader("ko"))

    assert "영문 번역이 없는 시험 기사" in english.html
    assert "Korean only" in english.html
    assert "[Korean only]" in english.text
    assert re.search(r'<a href="[^"]*ko-only-item/" lang="ko"', english.html)
    assert "Korean only" not in korean.html


def test_sections_of_interest_leave_the_others_out(issue, news, literature):
    only_literature = message_for(issue, reader("ko", sections=["literature"]))
    everything = message_for(issue, reader("ko"))

    for page in literature:
        assert page.title in flat(only_literature.text)
    for page in news:
        assert page.title not in flat(only_literature.text)
        assert page.title in flat(everything.text)


def test_an_edition_with_nothing_in_the_chosen_sections_says_so(issue):
    edition = render_edition(issue, "en", sections=["special"])

    assert "no items in the sections you chose" in edition.text
    assert "Read this issue on the web" in edition.html


def test_the_subject_names_the_issue_number_and_its_title(db):
    issue = NewsletterIssuePage.objects.get(number=49, locale__language_code="ko")
    english = issue.get_translations().get().title

    korean_subject = message_for(issue, reader("ko")).subject
    english_subject = message_for(issue, reader("en")).subject

    assert korean_subject == f"[스마트도시 정보시스템] 뉴스레터 제49호 · {issue.title}"
    assert english_subject == (
        f"[Smart City Information System] Newsletter No. 49 · {english}"
    )
