"""Calendar files for readers: thin views over calendar.py."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from scis.core.downloads import (
    UnknownLanguage,
    file_response,
    live_record,
    plain_error,
    requested_language,
)

from . import calendar
from .models import EventPage

CALENDAR_TYPE = "text/calendar; charset=utf-8"


@require_safe
def event_ics(request, page_id: int):
    """One event as an .ics file, in its own language or the `lang` asked for."""
    try:
        language = requested_language(request)
    except UnknownLanguage as error:
        return plain_error(str(error), 400)
    page = live_record(EventPage, page_id, language)
    if page is None:
        return plain_error(
            _(
                "No published event has the number %(id)s. Check the address, "
                "or find the event in the events listing."
            )
            % {"id": page_id},
            404,
        )
    content = calendar.event_calendar(page, request.build_absolute_uri).to_ical()
    return file_response(
        request,
        content,
        CALENDAR_TYPE,
        f"{page.slug}.ics",
        page.locale.language_code,
    )


@require_safe
def upcoming_ics(request):
    """The feed of events that have not ended yet; `lang` picks the language
    (Korean when absent)."""
    try:
        language = requested_language(request) or settings.LANGUAGE_CODE
    except UnknownLanguage as error:
        return plain_error(str(error), 400)
    content = calendar.upcoming_calendar(language, request.build_absolute_uri)
    return file_response(
        request,
        content.to_ical(),
        CALENDAR_TYPE,
        f"scis-upcoming-events-{language}.ics",
        language,
    )
