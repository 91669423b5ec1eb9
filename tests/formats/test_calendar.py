"""Events as iCalendar files and the upcoming-events feed, read back with the
`icalendar` package the way a calendar app would read them."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import Locale, PageViewRestriction

from scis.events.models import EventIndexPage, EventPage
from scis.library.models import LiteraturePage
from tests.factories import EventPageFactory

SEOUL = ZoneInfo("Asia/Seoul")


def _calendar(client, url: str) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert re.match(
        r'attachment; filename="[^"]+\.ics"', response["Content-Disposition"]
    )
    return Calendar.from_ical(response.content)


def _demo_event(language: str = "ko") -> EventPage:
    """A demo event with a venue, coordinates and a registration link."""
    return EventPage.objects.live().get(
        slug="2018-world-smart-city-week", locale__language_code=language
    )


@pytest.mark.django_db
def test_event_file_shows_what_a_calendar_user_sees(client):
    page = _demo_event()
    calendar = _calendar(client, f"/id/{page.pk}/event.ics")
    (event,) = calendar.events

    assert str(event["SUMMARY"]) == page.title
    # Korea time, named as such, with the zone's definition in the file.
    assert event.start == page.start and event.end == page.end
    assert event.start.tzinfo.key == "Asia/Seoul"
    assert event["DTSTART"].params["TZID"] == "Asia/Seoul"
    wall_clock = page.start.astimezone(SEOUL).strftime("%Y%m%dT%H%M%S")
    assert f"DTSTART;TZID=Asia/Seoul:{wall_clock}" in calendar.to_ical().decode()
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Seoul"]

    assert str(event["LOCATION"]) == page.venue
    assert event["GEO"].latitude == pytest.approx(float(page.latitude))
    assert event["GEO"].longitude == pytest.approx(float(page.longitude))
    assert str(event["URL"]) == f"http://testserver/id/{page.pk}/"
    description = str(event["DESCRIPTION"])
    assert description.startswith(page.summary.strip())
    assert page.registration_url in description
    assert "<p" not in description and "\n\n" in description  # plain paragraphs
    assert page.organiser in str(event["CONTACT"])
    assert {str(c) for c in event.categories} == {t.name_ko for t in page.topics.all()}
    published = page.last_published_at.replace(microsecond=0)  # iCalendar: seconds
    assert event.last_modified == published
    assert event["DTSTAMP"].dt == published


@pytest.mark.django_db
def test_event_uid_is_stable_and_shared_by_the_translation(client):
    page = _demo_event()
    english = page.get_translation(Locale.objects.get(language_code="en"))
    uids = [
        _calendar(client, f"/id/{pk}/event.ics").events[0].uid
        for pk in (page.pk, page.pk, english.pk)
    ]
    assert uids[0] and len(set(uids)) == 1
    other = EventPage.objects.live().exclude(translation_key=page.translation_key)[0]
    assert _calendar(client, f"/id/{other.pk}/event.ics").events[0].uid != uids[0]


@pytest.mark.django_db
def test_english_request_gives_the_english_event(client):
    page = _demo_event()
    english = _demo_event("en")
    for url in (f"/id/{english.pk}/event.ics", f"/id/{page.pk}/event.ics?lang=en"):
        response = client.get(url)
        assert response["Content-Language"] == "en"
        (event,) = Calendar.from_ical(response.content).events
        assert str(event["SUMMARY"]) == english.title
        assert str(event["LOCATION"]) == english.venue
        assert "Format: In person" in str(event["DESCRIPTION"])


@pytest.mark.django_db
def test_online_event_says_so_where_it_has_no_venue(client):
    page = EventPageFactory(title="온라인 설명회", mode="online", venue="")
    (event,) = _calendar(client, f"/id/{page.pk}/event.ics").events
    assert str(event["LOCATION"]) == str(page.get_mode_display())
    assert "GEO" not in event


@pytest.mark.django_db
def test_upcoming_feed_holds_exactly_the_events_not_yet_ended(client):
    now = timezone.now()
    past = EventPageFactory(
        title="지난 행사",
        start=now - dt.timedelta(days=3),
        end=now - dt.timedelta(hours=1),
    )
    ongoing = EventPageFactory(
        title="진행 중인 행사",
        start=now - dt.timedelta(days=1),
        end=now + dt.timedelta(hours=2),
    )
    future = EventPageFactory(
        title="다음 달 행사",
        start=now + dt.timedelta(days=30),
        end=now + dt.timedelta(days=31),
    )
    calendar = _calendar(client, "/calendar/upcoming.ics")

    uids = {event.uid for event in calendar.events}
    not_ended = EventPage.objects.live().filter(
        locale__language_code="ko", end__gte=timezone.now()
    )
    assert uids == {str(p.translation_key) for p in not_ended}
    assert str(ongoing.translation_key) in uids
    assert str(future.translation_key) in uids
    assert str(past.translation_key) not in uids
    starts = [event.start for event in calendar.events]
    assert starts == sorted(starts)  # soonest first

    assert calendar.calendar_name
    assert str(calendar["X-WR-CALNAME"]) == calendar.calendar_name
    assert calendar.refresh_interval == dt.timedelta(hours=6)
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Seoul"]


@pytest.mark.django_db
def test_english_feed_uses_translations_and_falls_back_to_korean(client):
    now = timezone.now()
    start, end = now + dt.timedelta(days=10), now + dt.timedelta(days=11)
    EventPageFactory(
        title="번역된 행사", start=start, end=end, english={"title": "Translated event"}
    )
    EventPageFactory(title="한국어로만 쓴 행사", start=start, end=end)
    calendar = _calendar(client, "/calendar/upcoming.ics?lang=en")

    titles = {str(event["SUMMARY"]) for event in calendar.events}
    assert "Translated event" in titles
    assert "번역된 행사" not in titles
    assert "한국어로만 쓴 행사" in titles
    assert calendar.calendar_name == "Smart City Information System: Upcoming events"
    assert str(calendar["URL"]) == "http://testserver/en/events/"


@pytest.mark.django_db
def test_feed_answers_a_client_that_already_has_it_with_304(client):
    first = client.get("/calendar/upcoming.ics")
    again = client.get("/calendar/upcoming.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


@pytest.mark.django_db
def test_drafts_private_pages_and_unknown_ids_are_not_found(client):
    withdrawn = EventPageFactory(title="철회한 행사")
    withdrawn.unpublish()
    draft = EventPage(
        title="초안 행사",
        slug="draft-event",
        locale=Locale.objects.get(language_code="ko"),
        date=dt.date(2030, 1, 1),
        start=dt.datetime(2030, 1, 1, 10, tzinfo=SEOUL),
        end=dt.datetime(2030, 1, 1, 12, tzinfo=SEOUL),
        live=False,
    )
    EventIndexPage.objects.get(locale__language_code="ko").add_child(instance=draft)
    private = EventPageFactory(title="비공개 행사")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    literature = LiteraturePage.objects.live().first()

    for page_id in (withdrawn.pk, draft.pk, private.pk, literature.pk, 999999):
        response = client.get(f"/id/{page_id}/event.ics")
        assert response.status_code == 404
        assert f"번호 {page_id}에 해당하는 공개된 행사가 없습니다" in response.text


@pytest.mark.django_db
def test_unknown_language_is_refused_with_the_choices(client):
    for url in (
        "/calendar/upcoming.ics?lang=fr",
        f"/id/{_demo_event().pk}/event.ics?lang=jp",
    ):
        response = client.get(url)
        assert response.status_code == 400
        assert "lang=ko, lang=en" in response.text


@pytest.mark.django_db
def test_event_page_links_to_its_calendar_file(client):
    for language in ("ko", "en"):
        page = _demo_event(language)
        html = client.get(page.url).text
        link = re.search(
            r'<a href="([^"]+)" type="text/calendar"[^>]*>([^<]+)</a>', html
        )
        assert link, "the event page offers its .ics file"
        assert link[1] == f"/id/{page.pk}/event.ics"
        assert ".ics" in link[2]
        (event,) = _calendar(client, link[1]).events
        assert str(event["SUMMARY"]) == page.title


@pytest.mark.django_db
def test_events_index_advertises_and_links_the_feed(client):
    now = timezone.now()
    EventPageFactory(
        title="곧 열릴 행사",
        start=now + dt.timedelta(days=2),
        end=now + dt.timedelta(days=2, hours=3),
        english={"title": "An event soon"},
    )
    for path, language in (("/events/", "ko"), ("/en/events/", "en")):
        html = client.get(path).text
        feed = f"/calendar/upcoming.ics?lang={language}"
        head = html.split("</head>")[0]
        assert re.search(
            rf'<link rel="alternate" type="text/calendar"[^>]*href="http://testserver{re.escape(feed)}"',
            head,
        )
        body = html.split("<main")[1]
        assert f'<a href="{feed}" type="text/calendar">' in body
        assert _calendar(client, feed).events
