"""The REST API v1: list and detail of every record type and taxonomy.

Lists read the listing catalogue (only live, public records are in it, so
drafts and private pages never appear), filtered exactly as the listing
pages are, newest first, in pages that continue with a cursor."""

from typing import Any

from django.db.models import ForeignKey, OneToOneField
from django.urls import reverse
from django.utils import translation
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from scis.core.listing import FILTER_NAMES, ListingQuery, _section_choices
from scis.core.models import CatalogueEntry
from scis.core.records import TAXONOMY_FIELDS, record_models, record_type_key
from scis.taxonomy.models import Organisation, Programme, Region, Topic

from . import serializers as s
from .conditional import conditional
from .pagination import KeysetPagination
from .params import (
    LANGUAGES,
    PAGING,
    check_known,
    chosen_fields,
    reading_language,
    refuse_unknown_values,
)
from .terms import terms_for

LANG_PARAMETER = OpenApiParameter(
    "lang",
    str,
    enum=LANGUAGES,
    description="Reading language (default ko). A record with no translation "
    "in it comes in its own language with `translated: false`.",
)
FIELDS_PARAMETER = OpenApiParameter(
    "fields",
    str,
    description="Comma-separated fields to return, e.g. `id,title,url`. "
    "Lists leave long texts out unless named here.",
)
FILTER_HELP = {
    "type": "Record type: news, literature, event, document, definition, "
    "programme, project or policy",
    "section": "News section: issue, policy-project, policy-trend or special",
    "year": "Year of the record's date",
    "region": "Region slug; a province includes its municipalities",
    "programme": "Programme slug",
    "topic": "Topic (service domain) slug",
    "organisation": "Source organisation slug",
}


def _models() -> dict[str, Any]:
    return {record_type_key(model): model for model in record_models()}


def load_pages(
    entries: list,
    type_key: str | None,
    defer: tuple[str, ...],
    fields: set[str] | None = None,
) -> list:
    """The record pages behind catalogue rows (or page ids), in order, with
    what their serializer shows (or the chosen `fields`) loaded in a few
    queries. Taxonomy terms come separately (terms.py)."""
    models = _models()
    wanted: dict[str, list[int]] = {}
    order = []
    for entry in entries:
        key = type_key or entry.record_type
        wanted.setdefault(key, []).append(entry.page_id)
        order.append(entry.page_id)
    pages = {}
    for key, ids in wanted.items():
        model = models[key]
        related = s.RECORD_TYPES[key][2] if type_key else ()
        related = tuple(
            name for name in related if not fields or _shown_by(key, name, fields)
        )
        joined = [
            name
            for name in related
            if isinstance(model._meta.get_field(name), ForeignKey | OneToOneField)
        ]
        prefetched = [name for name in related if name not in joined]
        skipped = [name for name in (*defer, "extracted_text") if hasattr(model, name)]
        rows = (
            model.objects.filter(pk__in=ids)
            .select_related("locale", *joined)
            .prefetch_related(*prefetched)
            .defer(*skipped)
            .order_by()
        )
        pages.update({page.pk: page for page in rows})
    return [pages[page_id] for page_id in order if page_id in pages]


# Page ids are database integers: anything larger names no record.
LARGEST_ID = 2**31 - 1


def _shown_by(type_key: str, relation: str, fields: set[str]) -> bool:
    """Whether a chosen field needs the related objects `relation`."""
    declared = s.RECORD_TYPES[type_key][1]().fields
    return any(
        declared[name].source.split(".")[0] == relation or name == relation
        for name in fields
        if name in declared
    )


class Row:
    """A page id standing in for a catalogue row."""

    def __init__(self, page_id: int, record_type: str):
        self.page_id = page_id
        self.record_type = record_type


def _filter_parameters(names) -> list[OpenApiParameter]:
    return [
        OpenApiParameter(
            name, int if name == "year" else str, description=FILTER_HELP[name]
        )
        for name in names
    ]


ERRORS = {
    400: s.ErrorSerializer,
    404: s.ErrorSerializer,
    429: s.ErrorSerializer,
}


@conditional
class RecordListView(generics.GenericAPIView):
    """Records of one type (or of every type), newest first."""

    type_key: str | None = None
    pagination_class = KeysetPagination

    def get_serializer_class(self):
        if self.type_key is None:
            return s.RecordSerializer
        return s.RECORD_TYPES[self.type_key][1]

    def filter_names(self) -> tuple[str, ...]:
        if self.type_key is None:
            return FILTER_NAMES
        names = tuple(n for n in FILTER_NAMES if n != "type")
        if not _section_choices([self.type_key]):
            names = tuple(n for n in names if n != "section")
        return names

    def unwanted(self, fields: set[str] | None) -> tuple[str, ...]:
        """Model fields behind the long texts this answer leaves out."""
        serializer_class = self.get_serializer_class()
        declared = serializer_class().fields
        long = {"body": "body"} | {
            name: declared[name].source for name in serializer_class.Meta.long_fields
        }
        kept = {
            long[name]
            for name in long
            if fields and name in fields and name in declared
        }
        return tuple(sorted(set(long.values()) - kept))

    def get(self, request, *args, **kwargs):
        check_known(request, (*self.filter_names(), *PAGING))
        language = reading_language(request)
        serializer_class = self.get_serializer_class()
        fields = chosen_fields(request, serializer_class().fields)
        type_keys = [self.type_key] if self.type_key else list(_models())
        query = ListingQuery(request.query_params, type_keys)
        refuse_unknown_values(request, self.filter_names(), query.filters)
        rows = self.paginate_queryset(query.queryset(language))
        pages = load_pages(
            rows, self.type_key, defer=self.unwanted(fields), fields=fields
        )
        wanted_terms = [f for f in TAXONOMY_FIELDS if not fields or f in fields]
        with translation.override(language):
            context = {
                "request": request,
                "language": language,
                "fields": fields,
                "brief": True,
                "terms": terms_for([p.pk for p in pages], language, wanted_terms),
            }
            data = serializer_class(pages, many=True, context=context).data
        return self.get_paginated_response(data)


@conditional
class RecordDetailView(generics.GenericAPIView):
    """One record, in the reading language when it has a translation."""

    type_key: str | None = None

    def get_serializer_class(self):
        if self.type_key is None:
            return s.RecordSerializer
        return s.RECORD_TYPES[self.type_key][1]

    def get(self, request, pk: int, *args, **kwargs):
        check_known(request, ())
        listed = (
            CatalogueEntry.objects.filter(page_id=min(pk, LARGEST_ID))
            .values_list("record_type", flat=True)
            .first()
        )
        if listed is None or (self.type_key and listed != self.type_key):
            raise NotFound(
                "No published record of this type has this id. Find ids in the "
                "list endpoints or in /api/v1/search/."
            )
        page = load_pages([Row(pk, listed)], listed, defer=())[0]
        language = reading_language(request, default=page.locale.language_code)
        if language != page.locale.language_code:
            shown = (
                CatalogueEntry.objects.filter(
                    language=language, page__translation_key=page.translation_key
                )
                .values_list("page_id", flat=True)
                .first()
            )
            if shown and shown != page.pk:
                page = load_pages([Row(shown, listed)], listed, defer=())[0]
        serializer_class = s.RECORD_TYPES[listed][1]
        fields = chosen_fields(request, serializer_class().fields)
        with translation.override(language):
            context = {
                "request": request,
                "language": language,
                "fields": fields,
                "terms": terms_for([page.pk], language),
            }
            return Response(serializer_class(page, context=context).data)


class TermPagination(KeysetPagination):
    ordering = ("id",)


TAXONOMIES: dict[str, tuple[Any, Any, tuple[str, ...]]] = {
    "regions": (Region, s.RegionSerializer, ("parent",)),
    "organisations": (Organisation, s.OrganisationSerializer, ("region",)),
    "programmes": (Programme, s.ProgrammeTermSerializer, ("lead",)),
    "topics": (Topic, s.TopicSerializer, ()),
}


@conditional
class TermListView(generics.GenericAPIView):
    """Every term of one taxonomy."""

    taxonomy = "regions"
    pagination_class = TermPagination

    def get_serializer_class(self):
        return TAXONOMIES[self.taxonomy][1]

    def get(self, request, *args, **kwargs):
        check_known(request, PAGING)
        language = reading_language(request)
        model, serializer_class, joined = TAXONOMIES[self.taxonomy]
        fields = chosen_fields(request, serializer_class().fields)
        terms = self.paginate_queryset(model.objects.select_related(*joined))
        with translation.override(language):
            context = {"request": request, "fields": fields}
            data = serializer_class(terms, many=True, context=context).data
        return self.get_paginated_response(data)


@conditional
class TermDetailView(generics.GenericAPIView):
    taxonomy = "regions"

    def get_serializer_class(self):
        return TAXONOMIES[self.taxonomy][1]

    def get(self, request, slug: str, *args, **kwargs):
        check_known(request, ())
        language = reading_language(request)
        model, serializer_class, joined = TAXONOMIES[self.taxonomy]
        term = model.objects.select_related(*joined).filter(slug=slug).first()
        if term is None:
            raise NotFound(
                f"No term with this slug. The list is at /api/v1/taxonomy/{self.taxonomy}/."
            )
        fields = chosen_fields(request, serializer_class().fields)
        with translation.override(language):
            context = {"request": request, "fields": fields}
            return Response(serializer_class(term, context=context).data)


class RootView(APIView):
    """What the API offers, with links."""

    @extend_schema(exclude=True)
    def get(self, request):
        def link(name: str, **kwargs) -> str:
            return request.build_absolute_uri(reverse(name, kwargs=kwargs))

        records = {
            segment: link(f"api_{segment}_list")
            for segment, _serializer, _related in s.RECORD_TYPES.values()
        }
        return Response(
            {
                "version": "1",
                "documentation": link("api_docs"),
                "schema": link("api_schema"),
                "records": link("api_records_list"),
                "types": records,
                "taxonomy": {name: link(f"api_{name}_list") for name in TAXONOMIES},
                "search": link("api_search"),
                "projects_geojson": link("api_projects_geojson"),
            }
        )


def typed(view_class, type_key: str | None, many: bool) -> Any:
    """A list or detail view class for one record type, described for the
    OpenAPI schema with its own parameters and serializer."""
    label = type_key or "record"
    serializer = s.RECORD_TYPES[type_key][1] if type_key else s.RecordSerializer
    if many:
        names = view_class(type_key=type_key).filter_names()
        described = extend_schema(
            operation_id=f"{label}_list",
            summary=f"List {'every record' if type_key is None else label + ' records'}",
            parameters=[LANG_PARAMETER, FIELDS_PARAMETER, *_filter_parameters(names)],
            responses={200: serializer(many=True), **ERRORS},
        )
    else:
        described = extend_schema(
            operation_id=f"{label}_detail",
            summary=f"One {label}",
            parameters=[LANG_PARAMETER, FIELDS_PARAMETER],
            responses={200: serializer, **ERRORS},
        )

    @described
    def get(self, request, *args, **kwargs):
        return view_class.get(self, request, *args, **kwargs)

    name = f"{label.title()}{'List' if many else 'Detail'}View"
    return type(name, (view_class,), {"type_key": type_key, "get": get})


def taxonomy_view(view_class, taxonomy: str, many: bool) -> Any:
    serializer = TAXONOMIES[taxonomy][1]

    @extend_schema(
        operation_id=f"{taxonomy}_{'list' if many else 'detail'}",
        summary=f"{'Every term of' if many else 'One term of'} {taxonomy}",
        parameters=[LANG_PARAMETER, FIELDS_PARAMETER],
        responses={200: serializer(many=True) if many else serializer, **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return view_class.get(self, request, *args, **kwargs)

    name = f"{taxonomy.title()}{'List' if many else 'Detail'}View"
    return type(name, (view_class,), {"taxonomy": taxonomy, "get": get})


def not_found(request, *args, **kwargs):
    from django.http import JsonResponse

    return JsonResponse(
        {"detail": "No such API address. The endpoints are listed at /api/v1/."},
        status=404,
    )
