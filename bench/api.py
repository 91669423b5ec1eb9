"""The API rows: first pages of lists, pages deep into a cursor walk, filtered
lists and record details (issue target: list p95 under 50 ms)."""

import random
from urllib.parse import urlsplit

from django.test import Client

from scis.core.models import CatalogueEntry

from .pages import Scenario

RECORDS = "/api/v1/records/"


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _deep_pages(count: int, page_size: int = 100) -> list[str]:
    """`count` cursor URLs spread along a walk of the whole Korean list:
    each continues after a different point of the archive."""
    client = Client(HTTP_HOST="127.0.0.1")
    total = CatalogueEntry.objects.filter(language="ko").count()
    pages = max(1, total // page_size)
    stride = max(1, pages // max(1, count))
    urls: list[str] = []
    url: str | None = f"{RECORDS}?page_size={page_size}&fields=id,title,date,url"
    step = 0
    while url and len(urls) < count:
        body = client.get(url).json()
        url = _path(body["next"]) if body["next"] else None
        step += 1
        if url and step % stride == 0:
            urls.append(url)
    return urls


def api_scenarios(distinct: int, seed: int) -> list[Scenario]:
    rng = random.Random(seed)
    first = [
        f"{RECORDS}",
        f"{RECORDS}?lang=en",
        "/api/v1/news/?page_size=50",
        "/api/v1/news/?lang=en&page_size=50",
    ]
    regions = list(
        CatalogueEntry.regions.through.objects.values_list(
            "region__slug", flat=True
        ).distinct()[:200]
    )
    filtered = []
    for _ in range(distinct):
        region = rng.choice(regions)
        year = rng.randint(2005, 2026)
        lang = rng.choice(["ko", "en"])
        filtered.append(f"{RECORDS}?region={region}&year={year}&lang={lang}")
    ids = list(
        CatalogueEntry.objects.filter(language="ko")
        .order_by("?")
        .values_list("page_id", flat=True)[:distinct]
    )
    deep = _deep_pages(distinct)
    return [
        Scenario(
            "api list first pages",
            first,
            "/api/v1/records/ and /api/v1/news/ first pages, ko and en, 20 and 50 "
            "rows with every list field (no response cache: each request reads "
            "the catalogue and the pages)",
        ),
        Scenario(
            "api list deep cursor",
            deep,
            f"{len(deep)} cursor pages spread along a walk of every Korean record, "
            "100 rows each with fields=id,title,date,url: a keyset cursor costs "
            "the same deep in the archive as on page one",
        ),
        Scenario(
            "api list filtered",
            filtered,
            f"{len(filtered)} random region + year + language filters on "
            f"/api/v1/records/, e.g. {filtered[0]}",
        ),
        Scenario(
            "api detail",
            [f"{RECORDS}{page_id}/" for page_id in ids],
            f"{len(ids)} random records by id, every field of their type",
        ),
    ]
