"""Sending an issue through a real SMTP server on 127.0.0.1: every receiving
subscriber gets it once, in their language, across retries, bounces,
crashes and reruns."""

import datetime as dt
from collections import Counter
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from scis.home.structure import publish, translate
from scis.news.models import NewsPage
from scis.newsletter import links
from scis.newsletter.models import (
    Delivery,
    NewsletterIndexPage,
    NewsletterIssuePage,
    Subscriber,
)
from scis.newsletter.rendering import message_for
from scis.newsletter.sending import (
    IN_FLIGHT,
    Pacer,
    claim_batch,
    create_deliveries,
    send_issue,
)
from scis.newsletter.tasks import enqueue_due_sends

from .smtp_server import smtp_server_fixture  # noqa: F401

NUMBER = 971
State = Delivery.State


def archive(home):
    found = home.get_children().type(NewsletterIndexPage).first()
    if found is not None:
        return found.specific
    index = NewsletterIndexPage(title="뉴스레터", slug="newsletter", locale=home.locale)
    home.add_child(instance=index)
    return publish(index)


def make_issue(home, en=None, number=NUMBER, live=True, **fields):
    records = list(
        NewsPage.objects.live().filter(locale=home.locale).order_by("-date")[:2]
    )
    issue = NewsletterIssuePage(
        title=f"스마트시티 뉴스레터 제{number}호",
        number=number,
        issue_date=dt.date(2024, 4, 1),
        introduction="이번 호에서는 스마트도시 종합계획을 살펴봅니다.",
        locale=home.locale,
        live=live,
        sections=[
            {
                "type": "section",
                "value": {
                    "section": "issue",
                    "items": [{"record": r.pk, "summary": ""} for r in records],
                },
            }
        ],
        **fields,
    )
    archive(home).add_child(instance=issue)
    if not live:
        issue.save_revision()
        return issue
    publish(issue)
    if en is not None:
        translate(issue, en, title=f"Smart City Newsletter No. {number}")
    return issue


def reader(email, language="ko", status=Subscriber.Status.ACTIVE, **fields):
    return Subscriber.objects.create(
        email=email, language=language, status=status, **fields
    )


def receiving():
    """Every address that should get the issue (the demo may add some)."""
    return {
        s.email
        for s in Subscriber.objects.filter(
            status=Subscriber.Status.ACTIVE, suppressed_at__isnull=True
        )
    }


def send(number=NUMBER, *args):
    out = StringIO()
    call_command("send_newsletter", str(number), "--no-progress", *args, stdout=out)
    return out.getvalue().strip().splitlines()


@pytest.fixture
def issue(home, en):
    return make_issue(home, en)


@pytest.fixture
def readers(db):
    return {
        "ko": reader("kim@example.org", "ko"),
        "en": reader("smith@example.org", "en"),
        "pending": reader("new@example.org", status=Subscriber.Status.PENDING),
        "gone": reader("gone@example.org", status=Subscriber.Status.UNSUBSCRIBED),
        "suppressed": reader(
            "bounced@example.org",
            suppressed_at=timezone.now(),
            suppression_reason="550 no such user",
        ),
    }


def test_every_receiving_subscriber_gets_one_message_in_their_language(
    issue, readers, smtp_server, client
):
    expected = receiving()
    lines = send()

    assert lines[-1] == f"sent={len(expected)} failed=0 skipped=0"
    assert Counter(smtp_server.recipients()) == Counter(dict.fromkeys(expected, 1))
    for name in ("pending", "gone", "suppressed"):
        assert smtp_server.to(readers[name].email) == []

    (korean,) = smtp_server.to("kim@example.org")
    (english,) = smtp_server.to("smith@example.org")
    assert "제971호" in korean["Subject"]
    assert "No. 971" in english["Subject"] and "제971호" not in english["Subject"]
    assert korean["Content-Language"] == "ko" and english["Content-Language"] == "en"
    for message, subscriber in ((korean, readers["ko"]), (english, readers["en"])):
        assert message.get_content_type() == "multipart/alternative"
        parts = [part.get_content_type() for part in message.iter_parts()]
        assert parts == ["text/plain", "text/html"]
        assert message["From"] == settings.NEWSLETTER_FROM_EMAIL
        assert message["To"] == subscriber.email
        assert message["Date"]
        delivery = Delivery.objects.get(issue=issue, subscriber=subscriber)
        assert delivery.state == State.SENT and delivery.sent_at
        assert message["Message-ID"] == delivery.message_id
        unsubscribe = urlsplit(message["List-Unsubscribe"].strip().strip("<>"))
        assert unsubscribe.scheme + "://" + unsubscribe.netloc == (
            settings.PUBLIC_BASE_URL
        )
        token = unsubscribe.path.rstrip("/").rsplit("/", 1)[1]
        assert links.read_token(token, links.Purpose.UNSUBSCRIBE) == subscriber
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert urlsplit(english["List-Unsubscribe"].strip().strip("<>")).path.startswith(
        "/en/"
    )

    # The header's address takes the RFC 8058 one-click POST.
    url = urlsplit(korean["List-Unsubscribe"].strip().strip("<>"))
    response = client.post(url.path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    readers["ko"].refresh_from_db()
    assert readers["ko"].status == Subscriber.Status.UNSUBSCRIBED


def test_a_rerun_sends_nothing_new(issue, readers, smtp_server):
    expected = len(receiving())
    send()
    lines = send()

    assert lines[-1] == f"sent=0 failed=0 skipped={expected}"
    assert len(smtp_server.messages) == expected
    issue.refresh_from_db()
    assert issue.send_started_at is not None


def test_who_unsubscribes_before_their_turn_is_skipped(issue, readers, smtp_server):
    create_deliveries(issue)
    Subscriber.objects.filter(pk=readers["en"].pk).update(
        status=Subscriber.Status.UNSUBSCRIBED
    )
    expected = len(receiving())

    lines = send()

    assert lines[-1] == f"sent={expected} failed=0 skipped=1"
    assert smtp_server.to("smith@example.org") == []
    delivery = Delivery.objects.get(issue=issue, subscriber=readers["en"])
    assert delivery.state == State.SKIPPED


class Crash(BaseException):
    """The process dies (killed, out of memory): nothing catches it."""


def test_a_crash_mid_batch_then_a_rerun_sends_only_to_the_rest(
    issue, readers, smtp_server, settings
):
    for n in range(6):
        reader(f"more{n}@example.org")
    everyone = receiving()
    calls = []

    def dies_at_the_fourth(issue, subscriber, cache):
        calls.append(subscriber.email)
        if len(calls) == 4:
            raise Crash
        return message_for(issue, subscriber, cache)

    with pytest.raises(Crash):
        send_issue(issue, renderer=dies_at_the_fourth, batch_size=100)
    assert len(smtp_server.messages) == 3
    in_flight = calls[3]

    # Right away the batch still looks alive: a rerun does not take it over.
    assert send()[-1] == "sent=0 failed=0 skipped=3"

    settings.NEWSLETTER_CLAIM_TIMEOUT_SECONDS = 0  # ... and now it has expired
    lines = send()

    rest = len(everyone) - 4
    assert lines[-1] == f"sent={rest} failed=0 skipped=4"
    counts = Counter(smtp_server.recipients())
    assert max(counts.values()) == 1, "somebody got the issue twice"
    assert set(counts) == everyone - {in_flight}
    # At most once: the message in flight is not sent again, and says so.
    stuck = Delivery.objects.get(issue=issue, subscriber__email=in_flight)
    assert stuck.state == State.FAILED
    assert stuck.last_error == IN_FLIGHT
    assert not Delivery.objects.filter(issue=issue, state=State.SENDING).exists()


def test_a_dropped_connection_is_retried_on_a_new_one(issue, readers, smtp_server):
    for n in range(3):
        reader(f"more{n}@example.org")
    expected = receiving()
    smtp_server.answer_data(2, "421 4.3.2 Service shutting down, closing channel")

    lines = send()

    assert lines[-1] == f"sent={len(expected) - 1} failed=1 skipped=0"
    assert smtp_server.handler.connections >= 2
    waiting = Delivery.objects.get(issue=issue, state=State.PENDING)
    assert waiting.attempts == 1 and waiting.next_attempt_at > timezone.now()
    assert "421" in waiting.last_error

    Delivery.objects.filter(pk=waiting.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert send()[-1] == f"sent=1 failed=0 skipped={len(expected) - 1}"
    assert Counter(smtp_server.recipients()) == Counter(dict.fromkeys(expected, 1))


def test_451_is_retried_later_and_then_sent(issue, readers, smtp_server):
    smtp_server.answer("kim@example.org", "451 4.7.1 Greylisted, try again later")
    others = len(receiving()) - 1

    lines = send()

    assert lines[-1] == f"sent={others} failed=1 skipped=0"
    assert any("waiting for a retry: 1" in line for line in lines)
    delivery = Delivery.objects.get(issue=issue, subscriber=readers["ko"])
    assert delivery.state == State.PENDING and delivery.attempts == 1
    assert delivery.next_attempt_at > timezone.now() + dt.timedelta(minutes=4)
    assert "451 4.7.1" in delivery.last_error

    # Too early: nothing is sent.
    assert send()[-1] == f"sent=0 failed=0 skipped={others}"
    assert smtp_server.to("kim@example.org") == []

    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert send()[-1] == f"sent=1 failed=0 skipped={others}"
    assert len(smtp_server.to("kim@example.org")) == 1
    delivery.refresh_from_db()
    assert delivery.state == State.SENT and delivery.attempts == 2


def test_temporary_failures_give_up_after_the_last_attempt(
    issue, readers, smtp_server, settings
):
    settings.NEWSLETTER_MAX_ATTEMPTS = 2
    settings.NEWSLETTER_RETRY_SECONDS = 0
    smtp_server.answer("kim@example.org", "451 try later", "452 still busy")

    lines = send()

    assert lines[-1] == f"sent={len(receiving()) - 1} failed=2 skipped=0"
    delivery = Delivery.objects.get(issue=issue, subscriber=readers["ko"])
    assert delivery.state == State.FAILED and delivery.attempts == 2
    assert "452 still busy" in delivery.last_error
    assert smtp_server.to("kim@example.org") == []


def test_550_bounces_and_suppresses_the_address(home, en, issue, readers, smtp_server):
    smtp_server.answer("smith@example.org", "550 5.1.1 No such user here")

    lines = send()

    assert "bounced: 1 (those addresses get no more issues)" in lines
    assert lines[-1] == f"sent={len(receiving())} failed=1 skipped=0"
    delivery = Delivery.objects.get(issue=issue, subscriber=readers["en"])
    assert delivery.state == State.BOUNCED
    readers["en"].refresh_from_db()
    assert readers["en"].suppressed_at is not None
    assert "550 5.1.1 No such user here" in readers["en"].suppression_reason

    make_issue(home, number=NUMBER + 1)
    send(NUMBER + 1)
    assert len(smtp_server.to("smith@example.org")) == 0


def test_a_claimed_row_is_not_claimed_again(issue, readers):
    create_deliveries(issue)
    total = Delivery.objects.filter(issue=issue).count()

    first = claim_batch(issue, 1, "first")
    second = claim_batch(issue, 100, "second")

    assert len(first) == 1
    assert len(second) == total - 1
    assert not {d.pk for d in first} & {d.pk for d in second}
    assert claim_batch(issue, 100, "third") == []


def test_the_scheduler_queues_a_due_issue_once(home, en, readers, smtp_server):
    due = make_issue(home, en, send_at=timezone.now() - dt.timedelta(minutes=1))
    make_issue(home, number=NUMBER + 1, send_at=timezone.now() + dt.timedelta(days=1))

    assert enqueue_due_sends() == [due.pk]  # tests run tasks at once
    assert len(smtp_server.messages) == len(receiving())
    assert enqueue_due_sends() == []
    assert len(smtp_server.messages) == len(receiving())
    due.refresh_from_db()
    assert due.send_started_at is not None


def test_several_send_tasks_share_an_issue_without_duplicates(
    home, en, readers, smtp_server, settings
):
    settings.NEWSLETTER_SEND_TASKS = 3
    for n in range(5):
        reader(f"more{n}@example.org")
    make_issue(home, en, send_at=timezone.now() - dt.timedelta(minutes=1))

    enqueue_due_sends()

    assert Counter(smtp_server.recipients()) == Counter(dict.fromkeys(receiving(), 1))


def test_the_scheduler_queues_a_retry_when_it_is_due(issue, readers, smtp_server):
    smtp_server.answer("kim@example.org", "451 4.7.1 Greylisted")
    send()
    assert enqueue_due_sends() == []

    Delivery.objects.filter(issue=issue, state=State.PENDING).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert enqueue_due_sends() == [issue.pk]
    assert len(smtp_server.to("kim@example.org")) == 1


def test_the_rate_limit_spaces_messages():
    slept: list[float] = []
    now = [100.0]
    pacer = Pacer(120, sleep=slept.append, clock=lambda: now[0])

    pacer.wait()
    pacer.wait()
    now[0] += 0.2
    pacer.wait()

    assert slept == [0.5, pytest.approx(0.8)]
    unlimited = Pacer(0, sleep=slept.append)
    unlimited.wait()
    unlimited.wait()
    assert len(slept) == 2


def test_dry_run_renders_and_sends_nothing(issue, readers, smtp_server):
    lines = send(NUMBER, "--dry-run")

    assert lines[0].startswith(f"dry run: would send {len(receiving())} messages")
    assert any("제971호" in line for line in lines)
    assert lines[-1] == "sent=0 failed=0 skipped=0"
    assert smtp_server.messages == []
    assert not Delivery.objects.filter(issue=issue).exists()


def test_unknown_and_unpublished_issues_say_what_to_do(home, db):
    with pytest.raises(CommandError, match="No newsletter issue No. 97979"):
        send(97979)
    make_issue(home, number=97978, live=False)
    with pytest.raises(CommandError, match="not published. Publish it"):
        send(97978)


def test_mail_server_down_loses_nothing(issue, readers, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard: nobody listens
    settings.EMAIL_TIMEOUT = 2

    with pytest.raises(CommandError, match="cannot reach the mail server"):
        send()

    rows = Delivery.objects.filter(issue=issue)
    assert rows.count() == len(receiving())
    assert set(rows.values_list("state", flat=True)) == {State.PENDING}
    assert set(rows.values_list("attempts", flat=True)) == {0}


def test_the_send_report_shows_the_counts_and_the_bounces(
    issue, readers, smtp_server, admin_client
):
    smtp_server.answer("smith@example.org", "550 5.1.1 No such user here")
    send()
    url = reverse("newsletter_send_report", args=[issue.pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    figures = {state: count for state, _, count in response.context["figures"]}
    assert figures["sent"] == len(receiving())
    assert figures["bounced"] == 1 and figures["failed"] == 0
    assert f'<td data-state="sent">{len(receiving())}</td>' in html
    assert "smith@example.org" in html and "550 5.1.1 No such user here" in html
    # Linked from the issue's menu in the page listing.
    listing = admin_client.get(
        reverse("wagtailadmin_explore", args=[issue.get_parent().pk])
    )
    assert url in listing.content.decode()


def test_the_send_report_is_for_editors_only(issue, client, django_user_model):
    user = django_user_model.objects.create_user("reader", "r@example.org", "pw")
    client.force_login(user)
    response = client.get(reverse("newsletter_send_report", args=[issue.pk]))
    assert response.status_code in (302, 403)
