"""The search API, /api/v1/search/: the search page's results as JSON
(DESIGN.md §6), with the same filters, facets, sorting and corrections."""

from django.utils import translation
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from scis.api.conditional import conditional
from scis.api.params import check_known, reading_language
from scis.api.serializers import ErrorSerializer, ProvenanceSerializer
from scis.core.listing import FILTER_NAMES

from .searching import MAX_PAGE_SIZE, PAGE_SIZE, SORTS, search

LANGUAGES = ("ko", "en")


class ResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Page id; /id/<id>/ is its permanent URL")
    type = serializers.CharField()
    section = serializers.CharField(allow_blank=True)
    title = serializers.CharField()
    url = serializers.CharField()
    date = serializers.DateField()
    language = serializers.CharField(help_text="Language the record is written in")
    translated = serializers.BooleanField(
        help_text="False when shown in the other language for want of a translation"
    )
    score = serializers.FloatField(help_text="Relevance; higher is better")
    snippet = serializers.CharField(
        help_text="Passage that matched, HTML-escaped, with hits in <mark>"
    )
    provenance = ProvenanceSerializer()


class FacetOptionSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    options = FacetOptionSerializer(many=True)


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    corrected = serializers.CharField(
        allow_blank=True, help_text="The query actually run when a word was corrected"
    )
    loose = serializers.BooleanField(
        help_text="True when no record had every word and any word could match"
    )
    language = serializers.CharField()
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    pages = serializers.IntegerField()
    sort = serializers.CharField()
    notices = serializers.ListField(child=serializers.CharField())
    facets = FacetSerializer(many=True)
    results = ResultSerializer(many=True)


def _result(result, language: str, request) -> dict:
    page = result.page
    return {
        "id": page.pk,
        "type": page._meta.model_name.removesuffix("page"),
        "section": getattr(page, "section", "") or "",
        "title": page.title,
        "url": request.build_absolute_uri(page.url),
        "date": page.date,
        "language": page.locale.language_code,
        "translated": not result.fallback,
        "score": result.score,
        "snippet": str(result.snippet),
        "provenance": {
            "kind": page.provenance,
            "original_url": page.original_url,
            "source_id": page.source_id,
        },
    }


@conditional
class SearchAPIView(APIView):
    @extend_schema(
        operation_id="search",
        summary="Search every record, Korean-aware",
        parameters=[
            OpenApiParameter(
                "q", str, description="Words to search for; quotes make a phrase"
            ),
            OpenApiParameter(
                "lang", str, enum=LANGUAGES, description="Reading language (default ko)"
            ),
            OpenApiParameter("sort", str, enum=SORTS),
            OpenApiParameter("page", int),
            OpenApiParameter(
                "page_size", int, description=f"1–{MAX_PAGE_SIZE} (default {PAGE_SIZE})"
            ),
            OpenApiParameter(
                "language",
                str,
                enum=LANGUAGES,
                description="Only records written in this language",
            ),
            *[
                OpenApiParameter(name, str, description="Filter, as on listing pages")
                for name in FILTER_NAMES
            ],
        ],
        responses={
            200: SearchResponseSerializer,
            400: ErrorSerializer,
            429: ErrorSerializer,
        },
    )
    def get(self, request):
        check_known(
            request, ("q", "sort", "page", "page_size", "language", *FILTER_NAMES)
        )
        language = reading_language(request)
        raw_size = request.query_params.get("page_size", str(PAGE_SIZE))
        if not raw_size.isdigit() or not 1 <= int(raw_size) <= MAX_PAGE_SIZE:
            return Response(
                {
                    "detail": f"page_size must be a whole number from 1 to {MAX_PAGE_SIZE}."
                },
                status=400,
            )
        with translation.override(language):
            outcome = search(request.query_params, language, page_size=int(raw_size))
            page = outcome.page
            body = {
                "query": outcome.text,
                "corrected": outcome.corrected,
                "loose": outcome.loose,
                "language": language,
                "total": outcome.total,
                "page": page.number if page is not None else 1,
                "page_size": int(raw_size),
                "pages": page.paginator.num_pages if page is not None else 0,
                "sort": outcome.sort,
                "notices": [str(n) for n in outcome.notices],
                "facets": [
                    {
                        "name": f.name,
                        "label": str(f.label),
                        "options": [vars(o) for o in f.options],
                    }
                    for f in outcome.facets
                ],
                "results": [_result(r, language, request) for r in outcome.results],
            }
        return Response(SearchResponseSerializer(body).data)
