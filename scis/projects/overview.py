"""What the programme and project pages show around themselves: the
programmes with their project counts, a programme's projects by cohort and
stage, and the news written about a project."""

from dataclasses import dataclass
from itertools import groupby

from django.utils.translation import get_language

from scis.core.listing import records_for
from scis.core.models import CatalogueEntry
from scis.core.records import live_pages_of
from scis.news.models import NewsPage

from .models import ProgrammePage, ProjectPage, Stage
from .queries import ProjectFilters, ProjectRow, project_rows, remember

STAGE_ORDER = {value: position for position, value in enumerate(Stage.values)}


def _language(page) -> str:
    return get_language() or page.locale.language_code


def _programme_filter(programme) -> ProjectFilters:
    return ProjectFilters(filters={"programme": programme.slug}, programme=programme)


@dataclass
class ProgrammeRow:
    page: ProgrammePage
    projects: int
    budget: int


def programme_rows(index_page) -> list[ProgrammeRow]:
    """The live programme pages in the index page's language, oldest first, each
    with how many projects it has and their total budget."""
    language = _language(index_page)
    pages = (
        live_pages_of(ProgrammePage)
        .filter(locale=index_page.locale_id)
        .select_related("programme")
        .order_by("start_date", "title")
    )
    everything = ProjectFilters()
    totals = remember(
        "per-programme",
        language,
        everything,
        lambda: _per_programme(project_rows(language, everything)),
    )
    return [
        ProgrammeRow(page, *totals.get(page.programme.slug, (0, 0))) for page in pages
    ]


def _per_programme(rows: list[ProjectRow]) -> dict[str, tuple[int, int]]:
    """Per programme slug: how many projects and their total budget."""
    totals: dict[str, tuple[int, int]] = {}
    for row in rows:
        count, budget = totals.get(row.programme_slug, (0, 0))
        totals[row.programme_slug] = (count + 1, budget + (row.budget_total or 0))
    return totals


@dataclass
class Cohort:
    year: int
    stages: list[tuple[str, list[ProjectRow]]]

    @property
    def projects(self) -> int:
        return sum(len(rows) for _label, rows in self.stages)

    @property
    def budget(self) -> int:
        return sum(r.budget_total or 0 for _label, rows in self.stages for r in rows)


def projects_by_cohort(page: ProgrammePage) -> list[Cohort]:
    """A programme's projects, newest cohort first, each cohort by stage."""
    rows = project_rows(_language(page), _programme_filter(page.programme))
    cohorts = []
    ordered = sorted(
        rows, key=lambda r: (-r.cohort_year, STAGE_ORDER[r.stage], r.title)
    )
    for year, in_year in groupby(ordered, key=lambda r: r.cohort_year):
        stages = [
            (label, list(in_stage))
            for label, in_stage in groupby(in_year, key=lambda r: r.stage_label)
        ]
        cohorts.append(Cohort(year=year, stages=stages))
    return cohorts


def project_news(project: ProjectPage, limit: int = 10) -> list[NewsPage]:
    """Live news about a project, each in the reader's language when it has
    been translated, newest first."""
    language = _language(project)
    items = (
        NewsPage.objects.live()
        .public()
        .filter(projects__translation_key=project.translation_key)
        .select_related("locale")
        .order_by("-date", "pk")
    )
    chosen: dict = {}
    for item in items:
        held = chosen.get(item.translation_key)
        if held is None or item.locale.language_code == language:
            chosen[item.translation_key] = item
    return sorted(chosen.values(), key=lambda n: n.date, reverse=True)[:limit]


def project_documents(project: ProjectPage, limit: int = 5) -> list:
    """Documents of the project's programme (plans, guidelines, reports) in
    the reader's language, those about the project's own region first."""
    language = _language(project)
    rows = CatalogueEntry.objects.filter(
        language=language, record_type="document", programmes=project.programme_id
    )
    places = [
        r for r in (project.city_id, getattr(project.city, "parent_id", None)) if r
    ]
    local = list(rows.filter(regions__in=places).distinct().order_by("-date")[:limit])
    others = rows.exclude(pk__in=[r.pk for r in local]).order_by("-date")
    chosen = local + list(others[: limit - len(local)])
    return records_for(chosen)
