"""What the record download views share (calendar files, citations): the
language a reader asks for, the live public record behind a permanent id, and
responses that name their file and answer conditional requests."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class UnknownLanguage(ValueError):
    """The `lang` parameter names a language the portal is not written in."""


def requested_language(request: HttpRequest) -> str | None:
    """The language in the `lang` query parameter, or None when absent."""
    value = request.GET.get("lang", "").strip().lower()
    if not value:
        return None
    if value not in LANGUAGE_CODES:
        raise UnknownLanguage(
            _("Unknown language “%(value)s”. Use one of: %(choices)s.")
            % {
                "value": value[:20],
                "choices": ", ".join(f"lang={code}" for code in LANGUAGE_CODES),
            }
        )
    return value


def live_record(model, page_id: int, language: str | None = None):
    """The published, public record of `model` with this id, or None. With a
    language, its translation in that language when one is published (as
    listings do, the record as written otherwise)."""
    page = (
        model.objects.live().public().filter(pk=page_id).select_related("locale")
    ).first()
    if page is None or language is None:
        return page
    return page.translation_in(language) or page


def file_response(
    request: HttpRequest,
    content: str | bytes,
    content_type: str,
    filename: str,
    language: str,
) -> HttpResponse:
    """A file to save under `filename`, written in `language`; a client that
    already holds this exact content (If-None-Match) gets 304 Not Modified."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Language"] = language
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=filename)
        or "attachment"
    )
    set_response_etag(response)
    conditional = get_conditional_response(
        request, etag=response["ETag"], response=response
    )
    return conditional or response


def plain_error(message: str, status: int) -> HttpResponse:
    """An error a person or a program can read, whatever DEBUG says."""
    return HttpResponse(
        message + "\n", status=status, content_type="text/plain; charset=utf-8"
    )
