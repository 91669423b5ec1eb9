"""Subscribing, confirming, changing preferences, unsubscribing, and a
subscriber's right to see and erase their data (Korea's Personal Information
Protection Act). The views, the admin and the tests all call these.

Whatever state an address is in, `subscribe` looks the same from outside:
the form always answers "check your mailbox", so nobody can find out who is
subscribed by trying addresses."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import links
from .models import Delivery, NewsletterSection, Subscriber

logger = logging.getLogger(__name__)

SECTION_VALUES = {value for value, _label in NewsletterSection.choices}


class MailNotSent(Exception):
    """The mail server did not take a message; the caller asks the reader to
    try again later (nothing is lost: the address stays pending)."""


@dataclass(frozen=True)
class SignUp:
    email: str
    language: str
    sections: list[str]


def normalise_email(email: str) -> str:
    return email.strip().lower()


def clean_sections(sections) -> list[str]:
    """Known section values in the issue's order; unknown ones are dropped."""
    chosen = set(sections or [])
    return [value for value, _label in NewsletterSection.choices if value in chosen]


# --- rate limit --------------------------------------------------------------


def within_rate_limit(client: str) -> bool:
    """Count one sign-up attempt from `client` (an IP address) and say
    whether it is allowed: NEWSLETTER_SUBSCRIBE_LIMIT attempts per
    NEWSLETTER_SUBSCRIBE_WINDOW seconds. A fixed window in the shared cache,
    so every app server counts together when Redis is configured."""
    limit = settings.NEWSLETTER_SUBSCRIBE_LIMIT
    if not limit:
        return True
    key = f"scis:newsletter:subscribe:{client}"
    cache.add(key, 0, timeout=settings.NEWSLETTER_SUBSCRIBE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=settings.NEWSLETTER_SUBSCRIBE_WINDOW)
        count = 1
    return count <= limit


# --- mail --------------------------------------------------------------------


def _send(subscriber: Subscriber, template: str, context: dict) -> None:
    """One short service message in the subscriber's language, text and HTML."""
    with translation.override(subscriber.language):
        context = {"subscriber": subscriber, **context}
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.NEWSLETTER_FROM_EMAIL,
        to=[subscriber.email],
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception as exc:  # SMTP, an HTTP mail API or DNS: all mean "not sent"
        logger.warning(
            "newsletter mail to subscriber %s failed: %s", subscriber.pk, exc
        )
        raise MailNotSent(str(exc)) from exc


def send_confirmation(subscriber: Subscriber) -> None:
    """The double opt-in message with its signed, expiring link."""
    _send(
        subscriber,
        "newsletter/confirm_email",
        {
            "confirm_url": links.confirm_url(subscriber),
            "days": settings.NEWSLETTER_CONFIRM_DAYS,
        },
    )


def send_already_subscribed(subscriber: Subscriber) -> None:
    """Someone signed up an address that already receives the newsletter:
    tell its owner, with their preferences link, and change nothing."""
    _send(
        subscriber,
        "newsletter/subscribe_notice_email",
        {"preferences_url": links.preferences_url(subscriber)},
    )


# --- subscribing -------------------------------------------------------------


def subscribe(sign_up: SignUp) -> None:
    """Start (or restart) the double opt-in for an address.

    - new address: stored as pending, confirmation sent;
    - pending: the newest choices win, confirmation sent again;
    - unsubscribed: back to pending, a fresh confirmation is needed;
    - active: nothing changes (a stranger must not change someone's
      choices); the owner gets a notice with their preferences link;
    - suppressed (hard bounce or complaint): nothing is sent, ever.
    Raises MailNotSent when the mail server refuses; the address is kept."""
    email = normalise_email(sign_up.email)
    sections = clean_sections(sign_up.sections)
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(
                        email=email, language=sign_up.language, sections=sections
                    )
            except IntegrityError:
                # The same address signed up twice at once: the other won.
                subscriber = Subscriber.objects.get(email=email)
        elif subscriber.suppressed_at is not None:
            return
        elif subscriber.status == Subscriber.Status.ACTIVE:
            pass
        else:
            subscriber.status = Subscriber.Status.PENDING
            subscriber.language = sign_up.language
            subscriber.sections = sections
            subscriber.save(update_fields=["status", "language", "sections"])
    if subscriber.status == Subscriber.Status.ACTIVE:
        send_already_subscribed(subscriber)
    else:
        send_confirmation(subscriber)


def confirm(token: str) -> Subscriber | None:
    """Make the subscriber a token names active and record the consent
    time. None when the link is forged or older than
    NEWSLETTER_CONFIRM_DAYS, or the address unsubscribed since (an old
    confirmation link must not undo an unsubscribe)."""
    subscriber = links.read_token(
        token, links.Purpose.CONFIRM, max_age_days=settings.NEWSLETTER_CONFIRM_DAYS
    )
    if subscriber is None:
        return None
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return None
    if subscriber.status == Subscriber.Status.PENDING:
        subscriber.status = Subscriber.Status.ACTIVE
        subscriber.confirmed_at = timezone.now()
        subscriber.unsubscribed_at = None
        subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
    return subscriber


def update_preferences(subscriber: Subscriber, language: str, sections) -> None:
    subscriber.language = language
    subscriber.sections = clean_sections(sections)
    subscriber.save(update_fields=["language", "sections"])


def unsubscribe(subscriber: Subscriber) -> None:
    """Stop every issue to this address at once. Idempotent: a second click
    keeps the first time."""
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return
    subscriber.status = Subscriber.Status.UNSUBSCRIBED
    subscriber.unsubscribed_at = timezone.now()
    subscriber.save(update_fields=["status", "unsubscribed_at"])


# --- the subscriber's rights -------------------------------------------------


def _moment(value) -> str | None:
    return value.isoformat() if value else None


def export_data(subscriber: Subscriber) -> dict:
    """Everything stored about one subscriber, deliveries included: the
    answer to an access request. JSON-ready."""
    deliveries = (
        Delivery.objects.filter(subscriber=subscriber)
        .select_related("issue")
        .order_by("issue__number", "pk")
    )
    return {
        "email": subscriber.email,
        "language": subscriber.language,
        "sections": list(subscriber.sections or []),
        "status": subscriber.status,
        "signed_up_at": _moment(subscriber.created_at),
        "consent_given_at": _moment(subscriber.confirmed_at),
        "unsubscribed_at": _moment(subscriber.unsubscribed_at),
        "suppressed_at": _moment(subscriber.suppressed_at),
        "suppression_reason": subscriber.suppression_reason,
        "deliveries": [
            {
                "issue_number": delivery.issue.number,
                "issue_title": delivery.issue.title,
                "language": delivery.language,
                "state": delivery.state,
                "attempts": delivery.attempts,
                "sent_at": _moment(delivery.sent_at),
                "message_id": delivery.message_id,
                "last_error": delivery.last_error,
            }
            for delivery in deliveries
        ],
    }


def export_filename(subscriber: Subscriber) -> str:
    return f"scis-newsletter-subscriber-{subscriber.pk}.json"


@transaction.atomic
def erase(subscriber: Subscriber) -> None:
    """Delete the subscriber and its send log. Every signed link for the
    address stops working (links name the id and the address)."""
    Delivery.objects.filter(subscriber=subscriber).delete()
    subscriber.delete()
