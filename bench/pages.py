"""What the bench requests: the home page, two filtered listings built from the
busiest filter values, and detail pages drawn at random from the archive."""

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
    from .text import PLACES, SUBJECTS

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


def scenarios(distinct: int, seed: int) -> list[Scenario]:
    """The rows of the report; rotating rows use up to `distinct` URLs."""
    return [
        Scenario("home", ["/"], "/"),
        news_listing(),
        records_listing(),
        varied_listings(distinct, seed),
        details(distinct, seed),
        searches(),
        varied_searches(distinct, seed),
        search_api(),
    ]
