"""Signed links in newsletter messages and pages: confirm a subscription,
change preferences, unsubscribe. The link carries the subscriber id signed
with the site's secret, so nobody can guess another reader's link, and no
token is stored."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import Subscriber

SALT = "scis.newsletter"


class Purpose:
    CONFIRM = "confirm"
    PREFERENCES = "preferences"
    UNSUBSCRIBE = "unsubscribe"


def _address_key(email: str) -> str:
    """A keyed digest of the address. Signed values are readable by anyone
    (base64, not encryption), and links end up in logs and mail archives:
    they carry this digest, never the address itself."""
    return salted_hmac(f"{SALT}.address", email.lower()).hexdigest()[:24]


def make_token(subscriber: Subscriber, purpose: str) -> str:
    # The address's digest is part of the signed value: after an erase and
    # a new sign-up under the same id, old links stop working.
    return signing.dumps(
        {"id": subscriber.pk, "a": _address_key(subscriber.email)},
        salt=f"{SALT}.{purpose}",
        compress=True,
    )


def read_token(token: str, purpose: str, max_age_days: int | None = None):
    """The subscriber a token names, or None when it is forged, expired or
    names an address that no longer exists."""
    max_age = max_age_days * 86400 if max_age_days else None
    try:
        value = signing.loads(token, salt=f"{SALT}.{purpose}", max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("id"), int):
        return None
    subscriber = Subscriber.objects.filter(pk=value["id"]).first()
    if subscriber is None or not constant_time_compare(
        _address_key(subscriber.email), str(value.get("a", ""))
    ):
        return None
    return subscriber


def absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL + path


def _url(name: str, subscriber: Subscriber, purpose: str) -> str:
    # Links open in the subscriber's language: /en/... for English readers.
    with translation.override(subscriber.language):
        path = reverse(name, kwargs={"token": make_token(subscriber, purpose)})
    return absolute(path)


def confirm_url(subscriber: Subscriber) -> str:
    return _url("newsletter_confirm", subscriber, Purpose.CONFIRM)


def preferences_url(subscriber: Subscriber) -> str:
    return _url("newsletter_preferences", subscriber, Purpose.PREFERENCES)


def unsubscribe_url(subscriber: Subscriber) -> str:
    """The page a reader opens from the link in the message footer; the same
    URL accepts the RFC 8058 one-click POST (List-Unsubscribe-Post)."""
    return _url("newsletter_unsubscribe", subscriber, Purpose.UNSUBSCRIBE)
