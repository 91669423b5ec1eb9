"""GeoJSON of projects at /api/v1/projects/geojson/, filtered like the map."""

import json

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from scis.api.conditional import conditional
from scis.api.params import check_known, reading_language, refuse_unknown_values
from scis.api.serializers import ErrorSerializer
from scis.core.catalogue import version

from .money import format_won
from .queries import FILTER_NAMES, ProjectRow, parse_filters, project_rows

LANGUAGES = [code for code, _name in settings.LANGUAGES]
GEOJSON_TYPE = "application/geo+json"
FILTER_HELP = {
    "programme": "Programme slug, e.g. city-challenge",
    "year": "Cohort year (the year projects were selected), e.g. 2021",
    "stage": "preliminary, main or completed",
    "domain": "Service domain (topic) slug, e.g. transport",
    "region": "Region slug; a province includes its municipalities",
}


def feature(row: ProjectRow, base_url: str, language: str) -> dict:
    """One project as a GeoJSON Feature. A project with no known location
    has a null geometry (RFC 7946 §3.2) and is still listed."""
    geometry = (
        {"type": "Point", "coordinates": [row.longitude, row.latitude]}
        if row.latitude is not None
        else None
    )
    return {
        "type": "Feature",
        "id": row.id,
        "geometry": geometry,
        "properties": {
            "title": row.title,
            "url": base_url + row.url,
            "language": row.language,
            "programme": row.programme,
            "programme_slug": row.programme_slug,
            "cohort_year": row.cohort_year,
            "stage": row.stage,
            "stage_label": row.stage_label,
            "city": row.city,
            "region_code": row.province_code,
            "region": row.province,
            "domains": row.domains,
            "budget_national": row.budget_national,
            "budget_local": row.budget_local,
            "budget_private": row.budget_private,
            "budget_total": row.budget_total,
            "budget_label": format_won(row.budget_total, language),
            "area": row.area,
            "location_known": row.has_location,
        },
    }


def feature_collection(
    rows: list[ProjectRow], base_url: str, language: str, notices
) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [feature(row, base_url, language) for row in rows],
        "count": len(rows),
        "without_location": sum(1 for row in rows if not row.has_location),
        "notices": [str(n) for n in notices],
    }


class GeoJSONRenderer(JSONRenderer):
    """Lets clients ask for GeoJSON by its own media type (RFC 7946)."""

    media_type = GEOJSON_TYPE
    format = "geojson"


@conditional
class ProjectsGeoJSONView(APIView):
    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    def handle_exception(self, exc):
        # Errors are plain JSON, not GeoJSON.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    @extend_schema(
        operation_id="projects_geojson",
        summary="Projects as GeoJSON, filtered like the map",
        description=(
            "A GeoJSON FeatureCollection (RFC 7946) with one Feature per project "
            "listed in the reading language. Each Feature's geometry is the "
            "project's site as a Point, or null when the site is unknown; a "
            "project with a district also carries it as a Polygon or "
            "MultiPolygon in `properties.area`. Budgets are integers in won. "
            "An unknown filter value is refused with a 400 that names it."
        ),
        parameters=[
            OpenApiParameter(
                "lang", str, enum=LANGUAGES, description="Reading language (default ko)"
            ),
            *[
                OpenApiParameter(name, str, description=FILTER_HELP[name])
                for name in FILTER_NAMES
            ],
        ],
        responses={
            (200, GEOJSON_TYPE): OpenApiTypes.OBJECT,
            (400, "application/json"): ErrorSerializer,
            (429, "application/json"): ErrorSerializer,
        },
        examples=[
            OpenApiExample(
                "One project",
                response_only=True,
                value={
                    "type": "FeatureCollection",
                    "count": 1,
                    "without_location": 0,
                    "notices": [],
                    "features": [
                        {
                            "type": "Feature",
                            "id": 42,
                            "geometry": {
                                "type": "Point",
                                "coordinates": [126.78, 37.50],
                            },
                            "properties": {
                                "title": "Bucheon shared parking",
                                "url": "https://example.org/en/projects/city-challenge/bucheon/",
                                "programme_slug": "city-challenge",
                                "cohort_year": 2019,
                                "stage": "completed",
                                "budget_total": 3000000000,
                            },
                        }
                    ],
                },
            )
        ],
    )
    def get(self, request):
        check_known(request, FILTER_NAMES)
        language = reading_language(request)
        base_url = request.build_absolute_uri("/")[:-1]
        with translation.override(language):
            chosen = parse_filters(request.query_params)
            refuse_unknown_values(request, FILTER_NAMES, chosen.filters)
            key = f"scis:geojson:{version()}:{language}:{base_url}:{chosen.cache_key}"
            body = cache.get(key)
            if body is None:
                collection = feature_collection(
                    project_rows(language, chosen), base_url, language, chosen.notices
                )
                body = json.dumps(collection, ensure_ascii=False).encode("utf-8")
                cache.set(key, body, 3600)
        response = HttpResponse(body, content_type=GEOJSON_TYPE)
        response["Content-Language"] = language
        return response
