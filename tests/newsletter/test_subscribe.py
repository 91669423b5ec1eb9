"""Subscribing as a reader does it: the form (own page and footer), double
opt-in through the mailed link, the same answer whatever the address's
state, the honeypot and the rate limit, preferences with data download and
erase, unsubscribing (never on GET; RFC 8058 one-click POST without a CSRF
token), and the subscriber list in the admin."""

import base64
import contextlib
import json
import re
import time
import zlib
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import html

from scis.newsletter import links
from scis.newsletter.models import Delivery, NewsletterIssuePage, Subscriber

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+")


def sign_up(client, email="reader@example.org", prefix="", **fields):
    data = {"email": email, "language": "ko", **fields}
    return client.post(f"{prefix}/newsletter/subscribe/", data, follow=True)


def path_of(url: str) -> str:
    """The site-relative path of an absolute link from a mail."""
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def link_in(message, path: str) -> str:
    """The path of the first link in a mail's text part that leads to `path`."""
    for url in LINK.findall(message.body):
        if path in url:
            return path_of(url)
    raise AssertionError(f"no {path} link in: {message.body}")


def main_text(response) -> str:
    doc = html.fromstring(response.content.decode())
    return " ".join(doc.xpath("//main")[0].text_content().split())


def test_double_opt_in_from_form_to_confirmed_subscriber(client):
    form = html.fromstring(client.get("/newsletter/subscribe/").content.decode())
    names = set(form.xpath("//main//form//input/@name"))
    assert {"email", "language", "sections", "csrfmiddlewaretoken"} <= names
    for field in form.xpath("//main//form//input[@id]"):
        assert form.xpath(f"//label[@for='{field.get('id')}']"), field.get("name")

    before = timezone.now()
    response = sign_up(client, sections=["literature", "news"])
    assert response.status_code == 200
    assert "메일함을 확인해 주세요" in main_text(response)
    subscriber = Subscriber.objects.get(email="reader@example.org")
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.sections == ["literature", "news"]
    assert subscriber.confirmed_at is None

    [message] = mail.outbox
    assert message.to == ["reader@example.org"]
    assert message.subject == "SCIS 뉴스레터 구독을 확인해 주세요"
    assert message.alternatives[0][1] == "text/html"
    confirm = link_in(message, "/newsletter/confirm/")
    assert confirm.startswith("/newsletter/confirm/")

    response = client.get(confirm)
    assert response.status_code == 200
    assert "구독이 확인되었습니다" in main_text(response)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert subscriber.receives_issues
    assert before <= subscriber.confirmed_at <= timezone.now()


def test_english_sign_up_gets_english_mail_and_pages(client):
    response = sign_up(client, "en@example.org", prefix="/en", language="en")
    assert "Check your mailbox" in main_text(response)
    [message] = mail.outbox
    assert message.subject == "Confirm your subscription to the SCIS newsletter"
    confirm = link_in(message, "/newsletter/confirm/")
    assert confirm.startswith("/en/newsletter/confirm/")
    assert "Subscription confirmed" in main_text(client.get(confirm))


def test_same_answer_whatever_state_the_address_is_in(client):
    answers = {}
    answers["new"] = main_text(sign_up(client, "a@example.org"))
    answers["pending"] = main_text(sign_up(client, "a@example.org"))
    active = Subscriber.objects.create(
        email="b@example.org", status=Subscriber.Status.ACTIVE, language="en"
    )
    answers["active"] = main_text(sign_up(client, "B@Example.org "))
    Subscriber.objects.create(
        email="c@example.org",
        status=Subscriber.Status.ACTIVE,
        suppressed_at=timezone.now(),
    )
    answers["suppressed"] = main_text(sign_up(client, "c@example.org"))
    assert len(set(answers.values())) == 1, answers

    to = [m.to[0] for m in mail.outbox]
    # Pending again: a second confirmation. Active: a notice, no new
    # confirmation and no change. Suppressed: nothing, ever.
    assert to == ["a@example.org", "a@example.org", "b@example.org"]
    notice = mail.outbox[2]
    assert "/newsletter/confirm/" not in notice.body
    assert "/en/newsletter/preferences/" in notice.body
    active.refresh_from_db()
    assert active.language == "en" and active.status == Subscriber.Status.ACTIVE


def test_unsubscribed_address_can_come_back_through_a_fresh_opt_in(client):
    sign_up(client)
    first_link = link_in(mail.outbox[0], "/newsletter/confirm/")
    client.get(first_link)
    subscriber = Subscriber.objects.get()
    client.post(path_of(links.unsubscribe_url(subscriber)))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    # An old confirmation link does not undo the unsubscribe.
    assert client.get(first_link).status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED

    sign_up(client, language="en")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.language == "en"
    client.get(link_in(mail.outbox[-1], "/newsletter/confirm/"))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE


def test_honeypot_gets_the_normal_answer_but_nothing_is_kept_or_sent(client):
    normal = main_text(sign_up(client, "person@example.org"))
    mail.outbox.clear()
    response = sign_up(client, "bot@example.org", website="http://spam.example")
    assert main_text(response) == normal
    assert not Subscriber.objects.filter(email="bot@example.org").exists()
    assert mail.outbox == []


def test_rate_limit_per_client_address(client, settings):
    settings.NEWSLETTER_SUBSCRIBE_LIMIT = 3
    for n in range(3):
        assert sign_up(client, f"r{n}@example.org").status_code == 200
    response = client.post(
        "/newsletter/subscribe/", {"email": "r9@example.org", "language": "ko"}
    )
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "다시 시도해 주세요" in main_text(response)
    assert not Subscriber.objects.filter(email="r9@example.org").exists()
    # Another client address is counted on its own.
    other = client.post(
        "/newsletter/subscribe/",
        {"email": "r9@example.org", "language": "ko"},
        REMOTE_ADDR="192.0.2.7",
    )
    assert other.status_code == 302


def test_invalid_address_is_shown_again_with_its_error(client):
    response = client.post(
        "/newsletter/subscribe/", {"email": "not-an-address", "language": "ko"}
    )
    assert response.status_code == 400
    doc = html.fromstring(response.content.decode())
    field = doc.xpath("//main//input[@name='email']")[0]
    assert field.get("value") == "not-an-address"
    assert field.get("aria-invalid") == "true"
    assert not Subscriber.objects.exists()


def test_csrf_stays_on_for_the_form():
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/newsletter/subscribe/", {"email": "x@example.org", "language": "ko"}
    )
    assert response.status_code == 403
    assert not Subscriber.objects.exists()


def test_expired_and_forged_confirmation_links_explain_what_to_do(client, settings):
    sign_up(client)
    confirm = link_in(mail.outbox[0], "/newsletter/confirm/")
    later = time.time() + (settings.NEWSLETTER_CONFIRM_DAYS + 1) * 86400
    with mock.patch("time.time", return_value=later):
        expired = client.get(confirm)
    assert expired.status_code == 400
    assert "다시 구독하기" in main_text(expired)
    assert html.fromstring(expired.content.decode()).xpath(
        "//main//a[@href='/newsletter/subscribe/']"
    )
    forged = client.get(confirm[:-3] + "abc/")
    assert forged.status_code == 400
    assert "다시 신청하시면 새 링크를" in main_text(forged)
    # The preferences token is not a confirmation token.
    subscriber = Subscriber.objects.get()
    other = links.make_token(subscriber, links.Purpose.PREFERENCES)
    assert client.get(f"/newsletter/confirm/{other}/").status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


@pytest.fixture
def subscriber(en):
    subscriber = Subscriber.objects.create(
        email="kim@example.org",
        status=Subscriber.Status.ACTIVE,
        confirmed_at=timezone.now(),
        sections=["issue"],
    )
    issue = NewsletterIssuePage.objects.get(number=49, locale__language_code="ko")
    Delivery.objects.create(
        issue=issue,
        subscriber=subscriber,
        language="ko",
        state=Delivery.State.SENT,
        sent_at=timezone.now(),
        message_id="<49.1@scis.example>",
        attempts=1,
    )
    return subscriber


def test_preferences_change_language_and_sections(client, subscriber):
    url = path_of(links.preferences_url(subscriber))
    doc = html.fromstring(client.get(url).content.decode())
    assert doc.xpath("//input[@name='language'][@value='ko']/@checked")
    assert doc.xpath("//input[@name='sections'][@value='issue']/@checked")
    response = client.post(
        url, {"language": "en", "sections": ["literature", "news"]}, follow=True
    )
    assert "선택을 저장했습니다" in main_text(response)
    subscriber.refresh_from_db()
    assert subscriber.language == "en"
    assert subscriber.sections == ["literature", "news"]
    assert client.get("/newsletter/preferences/forged-token/").status_code == 400


def test_download_my_data_has_everything_stored(client, subscriber):
    doc = html.fromstring(
        client.get(path_of(links.preferences_url(subscriber))).content.decode()
    )
    download = doc.xpath("//a[@download]/@href")[0]
    response = client.get(download)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["email"] == "kim@example.org"
    assert data["status"] == "active"
    assert data["sections"] == ["issue"]
    assert data["consent_given_at"] == subscriber.confirmed_at.isoformat()
    [delivery] = data["deliveries"]
    assert delivery["issue_number"] == 49
    assert delivery["state"] == "sent"
    assert delivery["message_id"] == "<49.1@scis.example>"


def test_erase_my_data_deletes_subscriber_and_send_log(client, subscriber):
    preferences = path_of(links.preferences_url(subscriber))
    doc = html.fromstring(client.get(preferences).content.decode())
    erase = doc.xpath("//form[.//button[contains(@class, 'button--danger')]]/@action")[
        0
    ]
    assert client.get(erase).status_code == 405  # only a POST erases
    response = client.post(erase)
    assert response.status_code == 200
    assert "내 정보를 삭제했습니다" in main_text(response)
    assert not Subscriber.objects.filter(email="kim@example.org").exists()
    assert not Delivery.objects.filter(subscriber_id=subscriber.pk).exists()
    # Every link of the erased subscription stops working.
    assert client.get(preferences).status_code == 400


def test_get_on_unsubscribe_link_changes_nothing(client, subscriber):
    url = path_of(links.unsubscribe_url(subscriber))
    response = client.get(url)
    assert response.status_code == 200
    doc = html.fromstring(response.content.decode())
    assert doc.xpath("//main//form[@method='post']//button")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE

    response = client.post(url)
    assert "구독이 해지되었습니다" in main_text(response)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None


def test_one_click_unsubscribe_post_without_csrf_token_or_cookie(subscriber):
    provider = Client(enforce_csrf_checks=True)
    url = path_of(links.unsubscribe_url(subscriber))
    response = provider.post(
        url,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert b"<html" not in response.content  # no confirmation page
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert not subscriber.receives_issues
    forged = provider.post(
        url[:-4] + "xyz/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert forged.status_code == 400


def test_footer_form_on_every_page_posts_to_the_sign_up(home):
    reader = Client(enforce_csrf_checks=True)
    for url in ("/", "/en/news/"):
        doc = html.fromstring(reader.get(url).content.decode())
        [form] = doc.xpath("//footer//form[@method='post']")
        assert form.get("action") == (
            "/newsletter/subscribe/" if url == "/" else "/en/newsletter/subscribe/"
        )
        for name in ("email", "language"):
            [field] = form.xpath(f".//*[@name='{name}']")
            assert doc.xpath(f"//label[@for='{field.get('id')}']")
        [trap] = form.xpath(".//input[@name='website']")
        assert trap.xpath("ancestor::div[@hidden]")
    token = form.xpath(".//input[@name='csrfmiddlewaretoken']/@value")[0]
    response = reader.post(
        "/en/newsletter/subscribe/",
        {"email": "footer@example.org", "language": "en", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert Subscriber.objects.get(email="footer@example.org").language == "en"


def test_admin_lists_searches_filters_exports_and_erases(admin_client, subscriber):
    Subscriber.objects.create(email="lee@example.org", language="en")
    index = reverse("newsletter_subscribers:index")
    response = admin_client.get(index)
    assert response.status_code == 200
    text = response.content.decode()
    assert "kim@example.org" in text and "lee@example.org" in text
    assert "주소 2개 가운데 1개가 뉴스레터를 받습니다" in text or (
        "1 of 2 addresses receive the newsletter" in text
    )
    found = admin_client.get(index, {"q": "lee@"}).content.decode()
    assert "lee@example.org" in found and "kim@example.org" not in found
    active = admin_client.get(index, {"status": "active"}).content.decode()
    assert "kim@example.org" in active and "lee@example.org" not in active
    english = admin_client.get(index, {"language": "en"}).content.decode()
    assert "lee@example.org" in english and "kim@example.org" not in english

    export = admin_client.get(
        reverse("newsletter_subscribers:export", args=[subscriber.pk])
    )
    assert json.loads(export.content)["deliveries"][0]["issue_number"] == 49

    erase = reverse("newsletter_subscribers:delete", args=[subscriber.pk])
    assert admin_client.get(erase).status_code == 200
    admin_client.post(erase)
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()
    assert not Delivery.objects.filter(subscriber_id=subscriber.pk).exists()


def test_admin_subscriber_list_needs_a_login(client):
    response = client.get(reverse("newsletter_subscribers:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_mail_server_down_says_try_again_and_keeps_the_address(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.EMAIL_TIMEOUT = 5
    response = client.post(
        "/newsletter/subscribe/", {"email": "later@example.org", "language": "ko"}
    )
    assert response.status_code == 503
    assert "몇 분 뒤에 다시 시도해 주세요" in main_text(response)
    doc = html.fromstring(response.content.decode())
    assert doc.xpath("//main//input[@name='email']/@value") == ["later@example.org"]
    assert Subscriber.objects.get(email="later@example.org").status == "pending"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sign_up(client, "later@example.org")
    assert [m.to for m in mail.outbox] == [["later@example.org"]]


def test_links_do_not_carry_the_address(db):
    """Signed values are readable by anyone who has the link (logs, mail
    archives, a forwarded message): the address must not be in them, and a
    link made for an erased address does not work for whoever signs up
    next under the same id."""
    subscriber = Subscriber.objects.create(email="Private.Reader@example.org")
    token = links.make_token(subscriber, links.Purpose.PREFERENCES)
    payload = token.split(":")[0].lstrip(".")
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    with contextlib.suppress(zlib.error):
        decoded = zlib.decompress(decoded)
    assert b"private.reader" not in decoded.lower()
    assert links.read_token(token, links.Purpose.PREFERENCES) == subscriber

    pk = subscriber.pk
    subscriber.delete()
    Subscriber.objects.create(pk=pk, email="someone.else@example.org")
    assert links.read_token(token, links.Purpose.PREFERENCES) is None
