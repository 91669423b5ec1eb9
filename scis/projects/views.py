"""The map and the figures of projects: sub-pages of the projects index."""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from scis.core.listing import requested_page

from .figures import (
    DIMENSIONS,
    build_figure,
    build_figures,
    charts_for,
    figure_csv,
    figure_xlsx,
)
from .money import format_won
from .queries import (
    FILTER_LABELS,
    ProjectFilters,
    RowWindow,
    filter_options,
    parse_filters,
    project_rows,
    remember,
)

DOWNLOADS = {
    "csv": ("text/csv; charset=utf-8", figure_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        figure_xlsx,
    ),
}


def _filter_context(request, language: str) -> dict:
    chosen = parse_filters(request.GET)
    options = filter_options(language)
    fields = [
        {
            "name": name,
            "label": FILTER_LABELS[name],
            "options": options[name],
            "selected": chosen.filters.get(name, ""),
        }
        for name in FILTER_LABELS
    ]
    active = [
        {
            "label": FILTER_LABELS[name],
            "value": dict(options[name]).get(value, value),
            "remove_query": _without(chosen.filters, name),
        }
        for name, value in chosen.filters.items()
    ]
    return {"chosen": chosen, "filter_fields": fields, "active_filters": active}


def _without(filters: dict[str, str], name: str) -> str:
    query = QueryDict(mutable=True)
    query.update({k: v for k, v in filters.items() if k != name})
    return query.urlencode()


LIST_PAGE_SIZE = 100


@dataclass
class ProjectList:
    """One page of the map's list view, shaped for the shared pagination."""

    page: PaginatorPage
    chosen: ProjectFilters

    def query_for_page(self, number: int) -> str:
        return self.chosen.query_string(page=str(number))


@dataclass
class MapSummary:
    total: int
    unlocated: int
    # Per province code: name, number of projects, budget (the region layer).
    provinces: dict[str, dict]


def map_summary(rows, language: str) -> MapSummary:
    provinces: dict[str, dict] = {}
    for row in rows:
        if not row.province_code:
            continue
        entry = provinces.setdefault(
            row.province_code, {"name": row.province, "count": 0, "budget": 0}
        )
        entry["count"] += 1
        entry["budget"] += row.budget_total or 0
    for entry in provinces.values():
        entry["budget_label"] = format_won(entry["budget"], language)
    return MapSummary(
        total=len(rows),
        unlocated=sum(1 for r in rows if not r.has_location),
        provinces=provinces,
    )


def project_map(page, request):
    language = get_language() or "ko"
    context = _filter_context(request, language)
    chosen = context["chosen"]
    summary = remember(
        "map",
        language,
        chosen,
        lambda: map_summary(project_rows(language, chosen), language),
    )
    paginator = Paginator(RowWindow(language, chosen, summary.total), LIST_PAGE_SIZE)
    shown = requested_page(paginator, request.GET, chosen.notices)
    context.update(
        subpage_path="map/",
        total=summary.total,
        unlocated=summary.unlocated,
        project_list=ProjectList(page=shown, chosen=chosen),
        province_totals=summary.provinces,
        map_config={
            "geojson": reverse("api_projects_geojson")
            + "?"
            + chosen.query_string(lang=language),
            "provinces": static("projects/provinces.geojson"),
            "tiles": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "boundaries_attribution": _(
                "Administrative boundaries: NGII, Ministry of Land, Infrastructure "
                "and Transport (2023-09-15)"
            ),
            "labels": {
                "projects": _("Projects"),
                "budget": _("Budget"),
                "stage": _("Stage"),
                "programme": _("Programme"),
                "none": _("No projects"),
                "by_count": _("Colour regions by number of projects"),
                "by_budget": _("Colour regions by budget"),
            },
        },
    )
    return page.render(
        request, template="projects/project_map.html", context_overrides=context
    )


def figures(page, request):
    language = get_language() or "ko"
    context = _filter_context(request, language)
    chosen = context["chosen"]

    def summarise():
        rows = project_rows(language, chosen)
        return len(rows), build_figures(rows)

    total, built = remember("figures", language, chosen, summarise)
    context.update(
        subpage_path="figures/",
        total=total,
        figures=[
            {
                "figure": figure,
                "charts": charts_for(figure, language),
                "downloads": [
                    (
                        file_format.upper(),
                        page.url
                        + page.reverse_subpage(
                            "figure_download", args=(figure.name, file_format)
                        )
                        + (f"?{chosen.query_string()}" if chosen.filters else ""),
                    )
                    for file_format in DOWNLOADS
                ],
            }
            for figure in built
        ],
    )
    return page.render(
        request, template="projects/project_figures.html", context_overrides=context
    )


def figure_download(page, request, name: str, file_format: str):
    if name not in DIMENSIONS or file_format not in DOWNLOADS:
        raise Http404("No such figure or format.")
    language = get_language() or "ko"
    chosen = parse_filters(request.GET)
    figure = build_figure(name, project_rows(language, chosen))
    content_type, render = DOWNLOADS[file_format]
    response = HttpResponse(render(figure), content_type=content_type)
    filename = f"scis-projects-by-{name}-{language}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
