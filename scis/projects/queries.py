"""The projects a reader asked for, shared by the map, its list, the figures
and the GeoJSON API, so all four always agree.

Visibility comes from the listing catalogue: a project is shown in a language
when the catalogue lists it there (live, public, and either written in that
language or shown as a fallback). Filters come from the query string; an
unknown value becomes a notice and is ignored, never an error.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Site

from scis.core.catalogue import version
from scis.core.listing import MAX_YEAR, MIN_YEAR
from scis.core.models import CatalogueEntry
from scis.taxonomy.models import Programme, Region, Topic

from .geometry import area_centre
from .models import ProjectPage, Stage
from .money import total_won

FILTER_LABELS = {
    "programme": gettext_lazy("Programme"),
    "year": gettext_lazy("Cohort year"),
    "stage": gettext_lazy("Stage"),
    "domain": gettext_lazy("Service domain"),
    "region": gettext_lazy("Region"),
}
FILTER_NAMES = tuple(FILTER_LABELS)
T = TypeVar("T")


@dataclass
class ProjectFilters:
    """The reader's project filters, checked."""

    filters: dict[str, str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    programme: Programme | None = None
    year: int | None = None
    stage: str = ""
    domain: Topic | None = None
    region: Region | None = None

    @property
    def cache_key(self) -> str:
        return "&".join(f"{k}={self.filters[k]}" for k in sorted(self.filters))

    def query_string(self, **extra: str) -> str:
        query = QueryDict(mutable=True)
        query.update({**self.filters, **extra})
        return query.urlencode()


def _unknown(name: str, value: str) -> str:
    return _("No %(filter)s called “%(value)s” exists, so that filter was ignored.") % {
        "filter": str(FILTER_LABELS[name]).lower(),
        "value": value[:60],
    }


def parse_filters(params: QueryDict) -> ProjectFilters:
    chosen = ProjectFilters()
    for name in FILTER_NAMES:
        value = params.get(name, "").strip()
        if not value:
            continue
        accepted: Any = None
        if name == "programme":
            accepted = Programme.objects.filter(slug=value).first()
        elif name == "domain":
            accepted = Topic.objects.filter(slug=value).first()
        elif name == "region":
            accepted = Region.objects.filter(slug=value).first()
        elif name == "stage":
            accepted = value if value in Stage.values else None
        elif name == "year":
            accepted = (
                int(value)
                if value.isdigit() and MIN_YEAR <= int(value) <= MAX_YEAR
                else None
            )
        if accepted is None:
            chosen.notices.append(_unknown(name, value))
            continue
        setattr(chosen, name, accepted)
        chosen.filters[name] = value
    return chosen


def listed_projects(language: str, chosen: ProjectFilters) -> QuerySet:
    """Project pages listed in `language` that pass every filter."""
    entries = CatalogueEntry.objects.filter(language=language, record_type="project")
    projects = ProjectPage.objects.filter(pk__in=entries.values("page_id")).order_by()
    if chosen.programme is not None:
        projects = projects.filter(programme=chosen.programme)
    if chosen.year is not None:
        projects = projects.filter(cohort_year=chosen.year)
    if chosen.stage:
        projects = projects.filter(stage=chosen.stage)
    if chosen.domain is not None:
        projects = projects.filter(topics=chosen.domain)
    if chosen.region is not None:
        region = chosen.region
        projects = projects.filter(
            Q(city=region) | Q(city__parent=region) | Q(regions=region)
        ).distinct()
    return projects


@dataclass
class ProjectRow:
    """What every view of projects needs of one project, without loading
    its page."""

    id: int
    title: str
    url: str
    language: str
    programme: str
    programme_slug: str
    cohort_year: int
    stage: str
    stage_label: str
    city: str
    province_code: str
    province: str
    domains: list[str]
    budget_national: int | None
    budget_local: int | None
    budget_private: int | None
    latitude: float | None
    longitude: float | None
    area: dict | None

    @property
    def budget_total(self) -> int | None:
        return total_won(self.budget_national, self.budget_local, self.budget_private)

    @property
    def has_location(self) -> bool:
        return self.latitude is not None or self.area is not None


def _site_prefixes() -> dict[str, tuple[str, str]]:
    """Per language, the root page's url_path and the URL prefix pages below
    it are served under."""
    prefixes = {}
    for root in Site.get_site_root_paths():
        if root.language_code in prefixes:
            continue
        with translation.override(root.language_code):
            served = reverse("wagtail_serve", args=("",))
        prefixes[root.language_code] = (root.root_path, served)
    return prefixes


def page_url(url_path: str, language: str, prefixes) -> str:
    """A page's URL from its tree path, as Page.url gives it, at the cost of
    a string operation instead of a query and a reverse() per page."""
    root_path, served = prefixes.get(language, ("/", "/"))
    return served + url_path[len(root_path) :]


ROW_FIELDS = (
    "id",
    "title",
    "url_path",
    "locale__language_code",
    "programme_id",
    "cohort_year",
    "stage",
    "city_id",
    "budget_national",
    "budget_local",
    "budget_private",
    "latitude",
    "longitude",
    "area",
)


def _build_rows(
    language: str, chosen: ProjectFilters, window: slice | None = None
) -> list[ProjectRow]:
    """Rows for the listed projects, newest cohort first; `window` limits
    them to one stretch of that order (a page of a list)."""
    projects = listed_projects(language, chosen).order_by("-cohort_year", "title", "id")
    if window is not None:
        projects = projects[window]
    values = list(projects.values(*ROW_FIELDS))
    ids = [v["id"] for v in values]
    # Names in the reading language, looked up once per term, not per row.
    with translation.override(language):
        programmes = {p.pk: (p.slug, p.name) for p in Programme.objects.all()}
        regions = {r.pk: r for r in Region.objects.all()}
        region_names = {pk: r.name for pk, r in regions.items()}
        topic_names = {t.pk: t.name for t in Topic.objects.all()}
        stage_labels = {value: str(label) for value, label in Stage.choices}
    domains: dict[int, list[str]] = {}
    provinces_named: dict[int, int] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for page_id, topic_id in ProjectPage.topics.through.objects.filter(
            projectpage_id__in=chunk
        ).values_list("projectpage_id", "topic_id"):
            domains.setdefault(page_id, []).append(topic_names[topic_id])
        for page_id, region_id in ProjectPage.regions.through.objects.filter(
            projectpage_id__in=chunk, region__level=Region.Level.PROVINCE
        ).values_list("projectpage_id", "region_id"):
            provinces_named.setdefault(page_id, region_id)
    prefixes = _site_prefixes()
    rows = []
    for v in values:
        city = regions.get(v["city_id"])
        province = None
        if city is not None:
            province = city if city.parent_id is None else regions[city.parent_id]
        elif v["id"] in provinces_named:
            province = regions[provinces_named[v["id"]]]
        latitude, longitude = v["latitude"], v["longitude"]
        if latitude is None and v["area"]:
            latitude, longitude = area_centre(v["area"])
        programme_slug, programme_name = programmes[v["programme_id"]]
        rows.append(
            ProjectRow(
                id=v["id"],
                title=v["title"],
                url=page_url(v["url_path"], v["locale__language_code"], prefixes),
                language=v["locale__language_code"],
                programme=programme_name,
                programme_slug=programme_slug,
                cohort_year=v["cohort_year"],
                stage=v["stage"],
                stage_label=stage_labels.get(v["stage"], v["stage"]),
                city=region_names[city.pk] if city else "",
                province_code=province.code if province else "",
                province=region_names[province.pk] if province else "",
                domains=sorted(domains.get(v["id"], [])),
                budget_national=v["budget_national"],
                budget_local=v["budget_local"],
                budget_private=v["budget_private"],
                latitude=float(latitude) if latitude is not None else None,
                longitude=float(longitude) if longitude is not None else None,
                area=v["area"] or None,
            )
        )
    return rows


def remember(
    name: str, language: str, chosen: ProjectFilters, build: Callable[[], T]
) -> T:
    """`build()` once per content version, language and filters. Views keep
    what they show (figures, totals, one page of a list) rather than every
    row, which costs more to read back from the cache than to summarise."""
    key = f"scis:projects:{name}:{version()}:{language}:{chosen.cache_key}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, 3600)
    return value


def project_rows(language: str, chosen: ProjectFilters) -> list[ProjectRow]:
    """Every filtered project in a language."""
    return remember("rows", language, chosen, lambda: _build_rows(language, chosen))


class RowWindow:
    """The filtered projects as a sequence a Paginator can page through,
    building only the rows of the page asked for."""

    def __init__(self, language: str, chosen: ProjectFilters, total: int):
        self.language, self.chosen, self.total = language, chosen, total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list[ProjectRow]:
        name = f"rows-{window.start}-{window.stop}"
        return remember(
            name,
            self.language,
            self.chosen,
            lambda: _build_rows(self.language, self.chosen, window),
        )


def filter_options(language: str) -> dict[str, list[tuple[str, str]]]:
    """The values each filter offers: only those some listed project has."""
    key = f"scis:project-options:{version()}:{language}"
    options = cache.get(key)
    if options is not None:
        return options
    projects = listed_projects(language, ProjectFilters())
    with translation.override(language):
        programme_ids = set(projects.values_list("programme_id", flat=True))
        topic_ids = set(projects.values_list("topics", flat=True))
        city_ids = set(projects.values_list("city_id", flat=True))
        named_ids = set(projects.values_list("regions", flat=True))
        parents = dict(Region.objects.values_list("pk", "parent_id"))
        province_ids = {
            (parents[i] or i) for i in (city_ids | named_ids) if i in parents
        }
        options = {
            "programme": [
                (p.slug, p.name) for p in Programme.objects.filter(pk__in=programme_ids)
            ],
            "year": [
                (str(y), str(y))
                for y in sorted(
                    set(projects.values_list("cohort_year", flat=True)), reverse=True
                )
            ],
            "stage": [(value, str(label)) for value, label in Stage.choices],
            "domain": [
                (t.slug, t.name) for t in Topic.objects.filter(pk__in=topic_ids)
            ],
            "region": [
                (r.slug, r.name)
                for r in Region.objects.filter(pk__in=province_ids).order_by("code")
            ],
        }
    cache.set(key, options, 3600)
    return options
