"""Cursor pagination over a keyset: each page continues after the last row of
the one before, so walking every record costs the same on the first page as
on the ten-thousandth, never skips or repeats a row while content changes,
and has no row cap. The cursor is signed: a client cannot forge a position."""

from collections import OrderedDict

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

CURSOR_SALT = "scis.api.cursor"


def page_size(request) -> int:
    """The page size asked for, within the documented limit, or a 400."""
    default, limit = settings.API_PAGE_SIZE, settings.API_MAX_PAGE_SIZE
    raw = request.query_params.get("page_size", "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= limit:
        raise ValidationError(
            {"page_size": f"Give a whole number from 1 to {limit} (default {default})."}
        )
    return int(raw)


class KeysetPagination(BasePagination):
    """Pages a queryset in a fixed order of unique keys, `ordering` being
    field names with "-" for descending, the last one unique (the id)."""

    ordering: tuple[str, ...] = ("-date", "-id")

    def __init__(self, ordering: tuple[str, ...] | None = None):
        if ordering:
            self.ordering = ordering
        self.next_url: str | None = None

    def _after(self, queryset: QuerySet, position: list) -> Q:
        """Rows that come after `position` in the ordering. The first key's
        bound is repeated on its own so the database scans a range of its
        index instead of testing every row against the OR."""
        condition = Q()
        equal = Q()
        for name, value in zip(self.ordering, position, strict=True):
            field = name.lstrip("-")
            beyond = f"{field}__lt" if name.startswith("-") else f"{field}__gt"
            condition |= equal & Q(**{beyond: value})
            equal &= Q(**{field: value})
        first = self.ordering[0]
        bound = f"{first.lstrip('-')}__{'lte' if first.startswith('-') else 'gte'}"
        return Q(**{bound: position[0]}) & condition

    def _decode(self, queryset: QuerySet, token: str) -> list:
        try:
            raw = signing.loads(token, salt=CURSOR_SALT)
            if not isinstance(raw, list) or len(raw) != len(self.ordering):
                raise ValueError("a cursor of another list")
            model = queryset.model
            return [
                model._meta.get_field(name.lstrip("-")).to_python(value)
                for name, value in zip(self.ordering, raw, strict=True)
            ]
        except (signing.BadSignature, ValueError, TypeError, DjangoValidationError):
            raise ValidationError(
                {
                    "cursor": "This cursor is not one the API gave out. Start again "
                    "without `cursor` and follow the `next` links."
                }
            ) from None

    def _encode(self, row) -> str:
        values = []
        for name in self.ordering:
            value = getattr(row, name.lstrip("-"))
            values.append(value.isoformat() if hasattr(value, "isoformat") else value)
        return signing.dumps(values, salt=CURSOR_SALT, compress=True)

    def paginate_queryset(self, queryset, request, view=None):
        size = page_size(request)
        token = request.query_params.get("cursor", "").strip()
        if token:
            queryset = queryset.filter(
                self._after(queryset, self._decode(queryset, token))
            )
        rows = list(queryset.order_by(*self.ordering)[: size + 1])
        self.next_url = None
        if len(rows) > size:
            rows = rows[:size]
            self.next_url = replace_query_param(
                request.build_absolute_uri(), "cursor", self._encode(rows[-1])
            )
        return rows

    def get_paginated_response(self, data):
        return Response(OrderedDict([("next", self.next_url), ("results", data)]))

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page; null on the last page",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": "Where to continue: take it from the `next` link",
                "schema": {"type": "string"},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": (
                    f"Rows a page, 1–{settings.API_MAX_PAGE_SIZE} "
                    f"(default {settings.API_PAGE_SIZE})"
                ),
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": settings.API_MAX_PAGE_SIZE,
                },
            },
        ]
