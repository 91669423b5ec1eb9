"""Citation downloads for literature records: thin views over citations.py."""

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from scis.core.downloads import (
    UnknownLanguage,
    file_response,
    live_record,
    plain_error,
    requested_language,
)

from . import citations
from .models import LiteraturePage

# extension → (media type, writer)
FORMATS: dict[str, tuple[str, Callable[[citations.Citation], str]]] = {
    "bib": ("application/x-bibtex; charset=utf-8", citations.to_bibtex),
    "ris": ("application/x-research-info-systems; charset=utf-8", citations.to_ris),
    "json": ("application/vnd.citationstyles.csl+json", citations.to_csl_json),
}


def _cite(request, page_id: int, extension: str):
    try:
        language = requested_language(request)
    except UnknownLanguage as error:
        return plain_error(str(error), 400)
    page = live_record(LiteraturePage, page_id, language)
    if page is None:
        return plain_error(
            _(
                "No published literature record has the number %(id)s. Check "
                "the address, or find the record in the literature listing."
            )
            % {"id": page_id},
            404,
        )
    media_type, write = FORMATS[extension]
    citation = citations.citation_for(page, request.build_absolute_uri)
    return file_response(
        request,
        write(citation),
        media_type,
        f"{page.slug}.{extension}",
        page.locale.language_code,
    )


@require_safe
def cite_bibtex(request, page_id: int):
    """The record as a BibTeX entry."""
    return _cite(request, page_id, "bib")


@require_safe
def cite_ris(request, page_id: int):
    """The record as an RIS record."""
    return _cite(request, page_id, "ris")


@require_safe
def cite_csl_json(request, page_id: int):
    """The record as CSL-JSON."""
    return _cite(request, page_id, "json")
