"""Every link in issue No. 49 as a Korean and an English subscriber receive
it — in the HTML part, written out in the plain text, in the
List-Unsubscribe header — opens a page in the reader's language, and the
header's address takes the RFC 8058 one-click POST."""

import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from lxml import html

from scis.newsletter.models import Subscriber

from .smtp_server import smtp_server_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

NUMBER = 49  # the demo issue, translated into English
BASE = "http://testserver"
URL = re.compile(r"https?://[^\s<>\"')]+")


def header_url(message, name: str) -> str:
    return message[name].strip().strip("<>")


def html_part(message):
    return html.fromstring(message.get_body(("html",)).get_content())


def text_part(message) -> str:
    return message.get_body(("plain",)).get_content()


def html_links(doc) -> dict[str, str | None]:
    """Every link in the HTML part, with the language its target is said to
    be in (hreflang), None for the edition's own language."""
    found: dict[str, str | None] = {}
    for anchor in doc.xpath("//a[@href]"):
        found[anchor.get("href")] = anchor.get("hreflang")
    # URLs written out in the text (e.g. the sender's web address) count too.
    for url in URL.findall(doc.text_content()):
        found.setdefault(url, None)
    return found


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def page_language(response) -> str:
    return html.fromstring(response.content.decode()).get("lang")


@pytest.fixture
def editions(smtp_server, settings):
    """Issue No. 49 sent to one Korean and one English subscriber: their
    messages as the SMTP server received them."""
    settings.PUBLIC_BASE_URL = BASE
    readers = {
        language: Subscriber.objects.create(
            email=f"reader-{language}@example.org",
            language=language,
            status=Subscriber.Status.ACTIVE,
            confirmed_at=timezone.now(),
        )
        for language in ("ko", "en")
    }
    out = StringIO()
    call_command("send_newsletter", str(NUMBER), "--no-progress", stdout=out)
    assert out.getvalue().strip().splitlines()[-1].startswith("sent=")
    messages = {}
    for language, subscriber in readers.items():
        [message] = smtp_server.to(subscriber.email)
        messages[language] = (subscriber, message)
    return messages


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_edition_is_in_the_readers_language(editions, language):
    subscriber, message = editions[language]
    assert message["Content-Language"] == language
    assert html_part(message).get("lang") == language
    expected = "제49호" if language == "ko" else "No. 49"
    assert expected in str(message["Subject"])


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_link_in_the_message_opens_a_page_in_the_readers_language(
    editions, language, client
):
    subscriber, message = editions[language]
    doc = html_part(message)
    in_html = html_links(doc)
    in_text = set(URL.findall(text_part(message)))
    unsubscribe = header_url(message, "List-Unsubscribe")

    # Readers of the plain-text part get every link the HTML part has.
    assert set(in_html) == in_text
    # The records, the web issue, preferences and unsubscribe.
    prefix = "/en/" if language == "en" else "/"
    items = doc.xpath("//h3[contains(@class, 'item-title')]/a")
    assert len(items) >= 10
    assert {anchor.get("href") for anchor in items} < in_text
    assert f"{BASE}{prefix}newsletter/{NUMBER}/" in in_text
    assert any("/newsletter/preferences/" in url for url in in_text)
    assert unsubscribe in in_text
    assert all(url.startswith(BASE + "/") for url in in_html), sorted(in_html)

    for url, hreflang in sorted(in_html.items()):
        response = client.get(path_of(url), follow=True)
        assert response.status_code == 200, url
        for _hop, status in response.redirect_chain:
            assert status in (301, 302), url
        assert page_language(response) == (hreflang or language), url
        if hreflang is None:
            assert path_of(url).startswith(prefix), url

    # Each record's link leads to that record: its heading is the title.
    for anchor in items:
        response = client.get(path_of(anchor.get("href")), follow=True)
        heading = html.fromstring(response.content.decode()).xpath("//main//h1")[0]
        assert " ".join(heading.text_content().split()) == " ".join(
            anchor.text_content().split()
        )

    # Opening the links (as mail scanners do) unsubscribed nobody.
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_list_unsubscribe_address_takes_a_one_click_post(editions, language):
    subscriber, message = editions[language]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = header_url(message, "List-Unsubscribe")
    assert url.startswith(BASE + "/")
    # The footer's link is the same address.
    assert url in set(URL.findall(text_part(message)))

    # The mail provider posts without a cookie or CSRF token.
    provider = Client(enforce_csrf_checks=True)
    response = provider.post(path_of(url), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert response.content.decode() == "Unsubscribed."
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None
