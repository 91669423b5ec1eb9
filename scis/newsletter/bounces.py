"""Hard bounces and complaints: the address gets no more issues.

They arrive two ways: as a 5xx answer while sending (sending.py) and as an
event the mail provider posts to /newsletter/tracking/<provider>/, which
django-anymail turns into its `tracking` signal (tracking_urls.py)."""

from __future__ import annotations

import re

from anymail.signals import AnymailTrackingEvent, EventType, tracking
from django.dispatch import receiver
from django.utils import timezone

from .models import Delivery, Subscriber

# Events after which the address is never written to again.
SUPPRESSING = {EventType.BOUNCED, EventType.COMPLAINED, EventType.REJECTED}

# An SMTP reply or enhanced status code starting with 4 is temporary.
_TEMPORARY_REPLY = re.compile(r"(^|[\s;:])4(\d\d|\.\d{1,3}\.\d{1,3})\b")


def suppress(subscriber: Subscriber, reason: str) -> bool:
    """Stop sending to `subscriber` for good, recording why. Returns False
    when the address was suppressed already (the first reason stays)."""
    return bool(
        Subscriber.objects.filter(pk=subscriber.pk, suppressed_at__isnull=True).update(
            suppressed_at=timezone.now(), suppression_reason=reason[:200]
        )
    )


def is_soft_bounce(event: AnymailTrackingEvent) -> bool:
    """Some providers report temporary bounces as `bounced` too: tell them
    apart by the provider's own bounce type or the SMTP reply."""
    raw: dict = event.esp_event if isinstance(event.esp_event, dict) else {}
    if raw.get("Type") in {"SoftBounce", "Transient", "DnsError"}:  # Postmark
        return True
    bounce: dict = raw["bounce"] if isinstance(raw.get("bounce"), dict) else {}
    if bounce.get("bounceType") in {"Transient", "Undetermined"}:  # Amazon SES
        return True
    if raw.get("severity") == "temporary":  # Mailgun
        return True
    return bool(_TEMPORARY_REPLY.search(event.mta_response or ""))


def _delivery(event: AnymailTrackingEvent, subscriber: Subscriber) -> Delivery | None:
    """The delivery the event is about: by Message-ID when the provider kept
    ours, else the subscriber's latest sent issue."""
    rows = Delivery.objects.filter(subscriber=subscriber)
    if event.message_id:
        bare = str(event.message_id).strip("<>")
        match = rows.filter(message_id__in=[bare, f"<{bare}>"]).first()
        if match:
            return match
    return rows.filter(state=Delivery.State.SENT).order_by("-sent_at", "-pk").first()


def record_event(event: AnymailTrackingEvent, esp_name: str) -> bool:
    """Suppress the address of a hard bounce, complaint or rejection and mark
    its delivery bounced. Returns True when the event changed something."""
    if event.event_type not in SUPPRESSING:
        return False
    if event.event_type == EventType.BOUNCED and is_soft_bounce(event):
        return False
    email = (event.recipient or "").strip().lower()
    subscriber = Subscriber.objects.filter(email=email).first() if email else None
    if subscriber is None:
        return False
    detail = event.mta_response or event.description or event.reject_reason or ""
    reason = f"{esp_name} {event.event_type}: {detail}".strip().rstrip(":")
    changed = suppress(subscriber, reason)
    delivery = _delivery(event, subscriber)
    if delivery is not None and delivery.state != Delivery.State.BOUNCED:
        Delivery.objects.filter(pk=delivery.pk).update(
            state=Delivery.State.BOUNCED, last_error=reason
        )
        changed = True
    return changed


@receiver(tracking, dispatch_uid="scis.newsletter.bounces")
def on_tracking_event(sender, event: AnymailTrackingEvent, esp_name: str, **kwargs):
    record_event(event, esp_name)
