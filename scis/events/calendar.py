"""Events as iCalendar (RFC 5545): one file per event, and a feed of the
events that have not ended yet, in a reading language.

Times are written in Korea time with a VTIMEZONE, so a calendar shows them
right wherever its owner is. An event keeps one UID in every file and in both
languages (its translation key): adding it twice, or from both feeds, updates
the entry instead of doubling it. DTSTAMP and LAST-MODIFIED are the record's
last publication, so the same record always gives the same bytes.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vDuration

from scis.core.models import CatalogueEntry
from scis.core.plain_text import rich_text_to_plain
from scis.core.records import record_type_key

from .models import EventIndexPage, EventMode, EventPage

# How often a subscribed calendar should look for new events.
REFRESH_INTERVAL = dt.timedelta(hours=6)

# Builds an absolute URL from a path (request.build_absolute_uri).
AbsoluteURL = Callable[[str], str]


def _prodid(language: str) -> str:
    return f"-//SCIS//Smart City Information System//{language.upper()}"


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _description(page: EventPage, permalink: str) -> str:
    """What a calendar shows under the title: the summary, the description
    and the practical facts, in the event's language."""
    facts = [f"{_('Format')}: {page.get_mode_display()}"]
    if page.organiser:
        facts.append(f"{_('Organiser')}: {page.organiser}")
    if page.contact:
        facts.append(f"{_('Contact')}: {page.contact}")
    if page.registration_url:
        facts.append(f"{_('Register')}: {page.registration_url}")
    facts.append(f"{_('Permanent URL')}: {permalink}")
    parts = [page.summary.strip(), rich_text_to_plain(page.body), "\n".join(facts)]
    return "\n\n".join(part for part in parts if part)


def _location(page: EventPage) -> str:
    if page.venue:
        return page.venue
    if page.mode == EventMode.ONLINE:
        return str(page.get_mode_display())
    return ""


def event_component(page: EventPage, absolute_url: AbsoluteURL) -> Event:
    """One VEVENT for `page`, written in the page's own language."""
    zone = ZoneInfo(settings.TIME_ZONE)
    permalink = absolute_url(reverse("permalink", args=[page.pk]))
    published = page.last_published_at or page.latest_revision_created_at
    with translation.override(page.locale.language_code):
        contact = " ".join(
            part
            for part in (page.organiser, f"({page.contact})" if page.contact else "")
            if part
        )
        organizer = None
        if page.contact and _is_email(page.contact):
            organizer = vCalAddress(f"mailto:{page.contact}")
            organizer.params["CN"] = page.organiser or page.contact
        event = Event.new(
            uid=str(page.translation_key),
            summary=page.title,
            start=page.start.astimezone(zone),
            end=page.end.astimezone(zone),
            stamp=published or timezone.now(),
            last_modified=published,
            created=page.first_published_at,
            description=_description(page, permalink),
            location=_location(page) or None,
            url=permalink,
            categories=[topic.name for topic in page.topics.all()],
            contacts=[contact] if contact else None,
            organizer=organizer,
        )
    if page.latitude is not None and page.longitude is not None:
        event.add("geo", (float(page.latitude), float(page.longitude)))
    return event


def _with_events(
    calendar: Calendar, pages: list[EventPage], absolute_url: AbsoluteURL
) -> Calendar:
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for page in pages:
        calendar.add_component(event_component(page, absolute_url))
    if pages:
        # The zone's rules for the span of the events only: short and exact.
        zone = ZoneInfo(settings.TIME_ZONE)
        first = min(page.start for page in pages).astimezone(zone).date()
        last = max(page.end for page in pages).astimezone(zone).date()
        calendar.add_missing_timezones(
            first_date=first, last_date=last + dt.timedelta(days=1)
        )
    return calendar


def event_calendar(page: EventPage, absolute_url: AbsoluteURL) -> Calendar:
    """A calendar file holding one event, to add to a personal calendar."""
    permalink = absolute_url(reverse("permalink", args=[page.pk]))
    calendar = Calendar.new(
        prodid=_prodid(page.locale.language_code),
        method="PUBLISH",
        uid=uuid.uuid5(uuid.NAMESPACE_URL, permalink),
    )
    return _with_events(calendar, [page], absolute_url)


def upcoming_events(language: str, now: dt.datetime | None = None) -> list[EventPage]:
    """Events that have not ended, soonest first, as listed in `language`:
    its own version of each event, or the original where none is published."""
    now = now or timezone.now()
    page_ids = list(
        CatalogueEntry.objects.filter(
            language=language,
            record_type=record_type_key(EventPage),
            end_date__gte=timezone.localdate(now),
        ).values_list("page_id", flat=True)
    )
    return list(
        EventPage.objects.live()
        .filter(pk__in=page_ids, end__gte=now)
        .select_related("locale")
        .prefetch_related("topics")
        .order_by("start", "pk")
    )


def upcoming_calendar(
    language: str, absolute_url: AbsoluteURL, now: dt.datetime | None = None
) -> Calendar:
    """The subscription feed: every event that has not ended yet."""
    feed_url = absolute_url(f"{reverse('upcoming_calendar')}?lang={language}")
    with translation.override(language):
        name = f"{_('Smart City Information System')}: {_('Upcoming events')}"
    index = (
        EventIndexPage.objects.live()
        .public()
        .filter(locale__language_code=language)
        .order_by("path")
        .first()
    )
    feed = Calendar.new(
        prodid=_prodid(language),
        method="PUBLISH",
        name=name,
        description=name,
        refresh_interval=REFRESH_INTERVAL,
        source=feed_url,
        url=absolute_url(index.url) if index and index.url else None,
        uid=uuid.uuid5(uuid.NAMESPACE_URL, feed_url),
    )
    _with_events(feed, upcoming_events(language, now), absolute_url)
    # Outlook reads this instead of REFRESH-INTERVAL.
    feed.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    return feed
