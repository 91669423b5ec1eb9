"""What the bench requests: the home page, two filtered listings built from the
busiest filter values, detail pages drawn at random from the archive,
searches, and the projects' GeoJSON, figures and map."""

import random
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.test import RequestFactory
from wagtail.models import Page

from scis.home.models import RecordIndexPage
from scis.news.models import NewsIndexPage, NewsPage

from .synthetic import RECORD_MODELS


@dataclass
class Scenario:
    """One row of the report: a kind of page and the URLs that stand for it."""

    name: str
    urls: list[str]
    description: str
    matches: int | None = None  # records a listing finds
    # Warm every URL once first: the row measures what readers get once a
    # question has been asked (cached), not the first asking.
    warm_all: bool = False


def _busiest(relation_model, field_name: str, locale_code: str) -> Counter:
    through = relation_model._meta.get_field(field_name).remote_field.through
    page_col = relation_model._meta.get_field(field_name).m2m_field_name()
    term_col = relation_model._meta.get_field(field_name).m2m_reverse_field_name()
    rows = (
        through.objects.filter(**{f"{page_col}__locale__language_code": locale_code})
        .values_list(f"{term_col}__slug")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Counter(dict(rows))


def _listing_total(index_page: Page, url: str) -> int:
    request = RequestFactory().get(url)
    return index_page.specific.get_context(request)["listing"].total


def news_listing() -> Scenario:
    """/news/ filtered by the region with most Korean news, in its busiest year."""
    region = _busiest(NewsPage, "regions", "ko").most_common(1)[0][0]
    years = (
        NewsPage.objects.filter(locale__language_code="ko", regions__slug=region)
        .annotate(y=ExtractYear("date"))
        .values_list("y")
        .annotate(n=Count("pk"))
        .order_by("-n", "-y")
    )
    year = years[0][0]
    index_page = NewsIndexPage.objects.get(
        locale__language_code="ko", depth=3, section=""
    )
    url = f"{index_page.get_url()}?region={region}&year={year}"
    return Scenario(
        "listing news",
        [url],
        url,
        _listing_total(index_page, url),
    )


def records_listing() -> Scenario:
    """/records/ (every record type) filtered by the most used topic."""
    counts: Counter = Counter()
    for model in RECORD_MODELS:
        counts.update(_busiest(model, "topics", "ko"))
    topic = counts.most_common(1)[0][0]
    index_page = RecordIndexPage.objects.get(locale__language_code="ko")
    url = f"{index_page.get_url()}?topic={topic}"
    return Scenario("listing records", [url], url, _listing_total(index_page, url))


def varied_listings(count: int, seed: int) -> Scenario:
    """Listings under many different filter combinations, so that few
    requests repeat one: the fixed-URL rows above mostly measure whatever
    the app caches per filter set; this row measures computing it."""
    from scis.taxonomy.models import Programme, Region, Topic

    news = NewsIndexPage.objects.get(
        locale__language_code="ko", depth=3, section=""
    ).get_url()
    records = RecordIndexPage.objects.get(locale__language_code="ko").get_url()
    years = range(2018, 2027)
    urls = [
        f"{news}?region={region}&year={year}"
        for region in Region.objects.values_list("slug", flat=True)
        for year in years
    ]
    for name, model in (("topic", Topic), ("programme", Programme)):
        urls += [
            f"{records}?{name}={slug}&year={year}"
            for slug in model.objects.values_list("slug", flat=True)
            for year in years
        ]
    random.Random(seed).shuffle(urls)
    urls = urls[:count]
    return Scenario(
        "listing varied",
        urls,
        f"{len(urls)} different /news/ region+year and /records/ topic or "
        f"programme+year filters in rotation, e.g. {urls[0]}",
    )


def details(count: int, seed: int) -> Scenario:
    """`count` different record pages, Korean and English, of every type."""
    from django.contrib.contenttypes.models import ContentType

    content_types = ContentType.objects.get_for_models(*RECORD_MODELS).values()
    ids = list(
        Page.objects.live()
        .filter(content_type__in=content_types)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = random.Random(seed).sample(ids, min(count, len(ids)))
    pages = Page.objects.in_bulk(chosen)
    urls = [pages[pk].get_url() for pk in chosen]
    return Scenario(
        "detail",
        urls,
        f"{len(urls)} different record pages in rotation, e.g. {urls[0]}",
    )


def _search_url(path: str, text: str, **params: str) -> str:
    from urllib.parse import urlencode

    return f"{path}?{urlencode({'q': text, **params})}"


def searches() -> Scenario:
    """The evaluation set's queries on the search page, both languages, in
    rotation: after the warm-up, what readers asking common questions get."""
    from .relevance import load_evaluation

    urls = [
        _search_url("/search/" if q.lang == "ko" else "/en/search/", q.query)
        for q in load_evaluation()
    ]
    return Scenario(
        "search",
        urls,
        f"{len(urls)} evaluation-set queries on /search/ and /en/search/ in "
        "rotation, each asked once before timing (served from the cache)",
        warm_all=True,
    )


def varied_searches(count: int, seed: int) -> Scenario:
    """Searches that never repeat (place × subject, with and without a
    filter), so every one computes its matches and facet counts afresh."""
    from .phrases import PLACES, SUBJECTS

    rng = random.Random(seed)
    pairs = [(p, s) for p in PLACES for s in SUBJECTS]
    rng.shuffle(pairs)
    urls = []
    for i, ((place_ko, place_en), (subject_ko, subject_en)) in enumerate(pairs):
        if i % 2:
            urls.append(_search_url("/search/", f"{place_ko} {subject_ko}를"))
        else:
            urls.append(
                _search_url("/en/search/", f"{place_en} {subject_en}", year="2024")
            )
    urls = urls[:count]
    return Scenario(
        "search varied",
        urls,
        f"{len(urls)} different place + subject searches, none repeated "
        f"(uncached), e.g. {urls[0]}",
    )


def search_api() -> Scenario:
    urls = [
        "/api/v1/search/?" + _search_url("", q)[1:] + "&lang=" + lang
        for q, lang in (
            ("스마트도시", "ko"),
            ("digital twin", "en"),
            ("데이터 허브", "ko"),
        )
    ]
    return Scenario("search API", urls, f"/api/v1/search/ in rotation, e.g. {urls[0]}")


# Projects ------------------------------------------------------------------

GEOJSON = "/api/v1/projects/geojson/"
# Filter combinations readers of the map and figures ask for.
PROJECT_FILTER_SHAPES = (
    ("programme",),
    ("programme", "year"),
    ("programme", "stage"),
    ("year",),
    ("year", "stage"),
    ("region",),
    ("region", "domain"),
    ("region", "year"),
    ("domain",),
    ("domain", "stage"),
)
CACHE_NOTE = "cached per catalogue version, language and filters"


def _projects_listed() -> int:
    from scis.core.models import CatalogueEntry

    return CatalogueEntry.objects.filter(language="ko", record_type="project").count()


def _project_index_urls() -> tuple[str, str]:
    from scis.projects.models import ProjectsIndexPage

    pages = {
        p.locale.language_code: p.get_url()
        for p in ProjectsIndexPage.objects.select_related("locale")
    }
    return pages["ko"], pages["en"]


def _project_filter_values() -> dict[str, list[str]]:
    """The values each filter can take, the way the filter form offers them."""
    from scis.projects.models import Stage
    from scis.taxonomy.models import Programme, Region, Topic

    return {
        "programme": list(Programme.objects.values_list("slug", flat=True)),
        "year": [str(year) for year in range(2019, 2027)],
        "stage": list(Stage.values),
        "region": list(Region.objects.values_list("slug", flat=True)),
        "domain": list(Topic.objects.values_list("slug", flat=True)),
    }


def _busiest_project_terms() -> dict[str, str]:
    """The programme and province with most Korean projects: filters that
    select a large share of the map (a worst case for a filtered view)."""
    from scis.projects.models import ProjectPage
    from scis.taxonomy.models import Region

    korean = ProjectPage.objects.filter(locale__language_code="ko")
    programme = (
        korean.values_list("programme__slug")
        .annotate(n=Count("pk"))
        .order_by("-n", "programme__slug")
        .first()
    )
    province = (
        korean.filter(regions__level=Region.Level.PROVINCE)
        .values_list("regions__slug")
        .annotate(n=Count("pk"))
        .order_by("-n", "regions__slug")
        .first()
    )
    return {
        "programme": programme[0] if programme else "city-challenge",
        "region": province[0] if province else "seoul",
    }


def projects_geojson() -> Scenario:
    urls = [GEOJSON, f"{GEOJSON}?lang=en"]
    return Scenario(
        "projects geojson",
        urls,
        f"{GEOJSON} unfiltered (every listed project), Korean and ?lang=en in "
        f"rotation; the encoded body is {CACHE_NOTE}, so after the warm-up "
        "every timed request is a cache hit: reading the body and sending it "
        "(building it: the uncached lines below)",
        _projects_listed(),
        warm_all=True,
    )


def varied_project_geojson(count: int, seed: int) -> Scenario:
    """GeoJSON under `count` different filter combinations, none repeated, so
    each request builds its filtered rows and body afresh."""
    from urllib.parse import urlencode

    rng = random.Random(seed)
    values = _project_filter_values()
    seen: set[str] = set()
    urls: list[str] = []
    for _attempt in range(count * 20):
        if len(urls) == count:
            break
        shape = rng.choice(PROJECT_FILTER_SHAPES)
        params = {name: rng.choice(values[name]) for name in shape}
        if rng.random() < 0.5:
            params["lang"] = "en"
        url = f"{GEOJSON}?{urlencode(params)}"
        if url not in seen:
            seen.add(url)
            urls.append(url)
    return Scenario(
        "projects geojson filtered",
        urls,
        f"{len(urls)} different filter combinations (programme, year, stage, "
        "region, domain; half with lang=en) in rotation, none repeated, so "
        "every timed request misses the cache and builds its rows and body "
        f"(uncached), e.g. {urls[0]}",
    )


def project_figures() -> Scenario:
    korean, english = _project_index_urls()
    busiest = _busiest_project_terms()
    urls = [
        f"{korean}figures/",
        f"{english}figures/",
        f"{korean}figures/?programme={busiest['programme']}",
        f"{english}figures/?year=2022",
        f"{korean}figures/?region={busiest['region']}&stage=main",
        f"{english}figures/?domain=transport",
    ]
    return Scenario(
        "projects figures",
        urls,
        f"{urls[0]}, {urls[1]} and four filtered variants in rotation, e.g. "
        f"{urls[2]}; what the app caches ({CACHE_NOTE}) is warm after the "
        "warm-up, the page itself is rendered on every request",
        _projects_listed(),
        warm_all=True,
    )


def project_map() -> Scenario:
    korean, english = _project_index_urls()
    urls = [f"{korean}map/", f"{english}map/"]
    return Scenario(
        "projects map",
        urls,
        f"{urls[0]} and {urls[1]} in rotation: province totals and the first "
        f"100 projects of the list; what the app caches ({CACHE_NOTE}) is warm "
        "after the warm-up, the page itself is rendered on every request (its "
        "markers come from the GeoJSON request)",
        _projects_listed(),
        warm_all=True,
    )


def project_scenarios(distinct: int, seed: int) -> list[Scenario]:
    return [
        projects_geojson(),
        varied_project_geojson(distinct, seed),
        project_figures(),
        project_map(),
    ]


SEARCH_ROWS = ("search", "search varied", "search API")


def scenarios(
    distinct: int, seed: int, search: bool = True, warmup: int = 0
) -> list[Scenario]:
    """The rows of the report; rotating rows use up to `distinct` URLs (the
    never-repeating projects row `distinct + warmup`). Without `search`, the
    search rows are left out (no search index)."""
    rows = [
        Scenario("home", ["/"], "/"),
        news_listing(),
        records_listing(),
        varied_listings(distinct, seed),
        details(distinct, seed),
    ]
    if search:
        rows += [searches(), varied_searches(distinct, seed), search_api()]
    from .api import api_scenarios
    from .discovery import discovery_scenarios

    return (
        rows
        + project_scenarios(distinct + warmup, seed)
        + api_scenarios(distinct, seed)
        + discovery_scenarios(distinct, seed)
    )
