"""Bounce and complaint webhooks: the provider posts an event, the address
gets no more issues and its delivery shows as bounced in the report."""

import base64
import json

import pytest
from django.utils import timezone

from scis.newsletter.models import Delivery, Subscriber

from .test_sending import make_issue, reader

URL = "/newsletter/tracking/postmark/"
SECRET = "postmark:s3cret-webhook"


def auth(secret=SECRET):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def postmark_bounce(email, kind="HardBounce", details=None, message_id="pm-1"):
    """A bounce as Postmark posts it (developer docs, bounce webhook)."""
    return {
        "RecordType": "Bounce",
        "MessageStream": "outbound",
        "ID": 4323372036854775807,
        "Type": kind,
        "TypeCode": 1 if kind == "HardBounce" else 4096,
        "Name": "Hard bounce" if kind == "HardBounce" else "Soft bounce",
        "Tag": "",
        "MessageID": message_id,
        "Metadata": {},
        "ServerID": 23,
        "Description": "The server was unable to deliver your message "
        "(ex: unknown user, mailbox not found).",
        "Details": details
        or "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": email,
        "From": "noreply@scis.go.kr",
        "BouncedAt": "2026-12-03T10:33:54.9070259Z",
        "DumpAvailable": False,
        "Inactive": True,
        "CanActivate": True,
        "Subject": "[스마트도시 정보시스템] 스마트시티 뉴스레터 제971호",
    }


def postmark_complaint(email):
    return {
        "RecordType": "SpamComplaint",
        "MessageStream": "outbound",
        "ID": 42,
        "Type": "SpamComplaint",
        "TypeCode": 512,
        "Name": "Spam complaint",
        "Tag": "",
        "MessageID": "pm-2",
        "Metadata": {},
        "ServerID": 23,
        "Description": "",
        "Details": "Test spam complaint details",
        "Email": email,
        "From": "noreply@scis.go.kr",
        "BouncedAt": "2026-12-03T10:35:00Z",
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": False,
        "Subject": "Test subject",
    }


@pytest.fixture
def webhooks_on(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}


@pytest.fixture
def sent(home, en):
    """An issue sent to one reader."""
    issue = make_issue(home, en)
    subscriber = reader("kim@example.org")
    delivery = Delivery.objects.create(
        issue=issue,
        subscriber=subscriber,
        language="ko",
        state=Delivery.State.SENT,
        sent_at=timezone.now(),
        message_id="<abc@scis.go.kr>",
    )
    return subscriber, delivery


def post(client, payload, **extra):
    return client.post(
        URL, json.dumps(payload), content_type="application/json", **extra
    )


def test_a_hard_bounce_suppresses_the_address(client, webhooks_on, sent):
    subscriber, delivery = sent

    response = post(client, postmark_bounce("Kim@Example.org"), **auth())

    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.suppressed_at is not None
    assert not subscriber.receives_issues
    assert "550 5.1.1" in subscriber.suppression_reason
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.BOUNCED
    assert "550 5.1.1" in delivery.last_error


def test_a_complaint_suppresses_the_address(client, webhooks_on, sent):
    subscriber, _ = sent

    assert (
        post(client, postmark_complaint(subscriber.email), **auth()).status_code == 200
    )

    subscriber.refresh_from_db()
    assert subscriber.suppressed_at is not None
    assert "complained" in subscriber.suppression_reason


def test_a_soft_bounce_changes_nothing(client, webhooks_on, sent):
    subscriber, delivery = sent
    payload = postmark_bounce(
        subscriber.email, kind="SoftBounce", details="smtp;452 4.2.2 Mailbox full"
    )

    assert post(client, payload, **auth()).status_code == 200

    subscriber.refresh_from_db()
    delivery.refresh_from_db()
    assert subscriber.suppressed_at is None
    assert delivery.state == Delivery.State.SENT


def test_a_post_without_the_secret_is_refused(client, webhooks_on, sent):
    subscriber, _ = sent

    assert post(client, postmark_bounce(subscriber.email)).status_code == 400
    wrong = post(client, postmark_bounce(subscriber.email), **auth("postmark:guess"))
    assert wrong.status_code == 400

    subscriber.refresh_from_db()
    assert subscriber.suppressed_at is None


def test_without_a_configured_secret_the_webhooks_are_off(client, settings, sent):
    settings.ANYMAIL = {"WEBHOOK_SECRET": ""}
    subscriber, _ = sent

    assert post(client, postmark_bounce(subscriber.email), **auth()).status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.suppressed_at is None


def test_an_unknown_address_is_ignored(client, webhooks_on, db):
    response = post(client, postmark_bounce("stranger@example.org"), **auth())

    assert response.status_code == 200
    assert not Subscriber.objects.filter(email="stranger@example.org").exists()
