"""Reading the query string the same way on every API endpoint: the reading
language, the fields to return, and no parameter the endpoint does not know
(a misspelt filter must not silently return everything)."""

from django.conf import settings
from rest_framework.exceptions import ValidationError

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
PAGING = ("cursor", "page_size")


def reading_language(request, default: str = "ko") -> str:
    language = request.query_params.get("lang", "").strip() or default
    if language not in LANGUAGES:
        raise ValidationError({"lang": f"Use one of: {', '.join(LANGUAGES)}."})
    return language


def check_known(request, known: tuple[str, ...]) -> None:
    """A 400 naming any parameter outside `known` (plus lang and fields), or
    any value no database could store (a NUL character)."""
    allowed = {"lang", "fields", "format", *known}
    garbled = {
        name: "Contains a NUL character (%00): remove it."
        for name, values in request.query_params.lists()
        if any("\x00" in value for value in values)
    }
    if garbled:
        raise ValidationError(garbled)
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise ValidationError(
            {
                "unknown_parameters": unknown,
                "detail": "This endpoint takes only: "
                + ", ".join(sorted(allowed - {"format"}))
                + ".",
            }
        )


def chosen_fields(request, available) -> set[str] | None:
    """The fields named in `?fields=a,b`, or None for the default set."""
    raw = request.query_params.get("fields", "").strip()
    if not raw:
        return None
    wanted = {name.strip() for name in raw.split(",") if name.strip()}
    unknown = sorted(wanted - set(available))
    if unknown:
        raise ValidationError(
            {
                "fields": f"Unknown field(s): {', '.join(unknown)}. "
                f"Available: {', '.join(sorted(available))}."
            }
        )
    return wanted


def refuse_unknown_values(request, names, accepted) -> None:
    """A 400 naming each filter whose value matches nothing (`accepted` holds
    the filters that did): a misspelt slug must not widen the answer."""
    refused = {
        name: f"No {name} is called “{request.query_params[name][:60]}”. "
        "The taxonomy endpoints under /api/v1/taxonomy/ list the slugs."
        for name in names
        if request.query_params.get(name, "").strip() and name not in accepted
    }
    if refused:
        raise ValidationError({"filters": refused})
