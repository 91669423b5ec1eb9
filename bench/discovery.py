"""Feed and sitemap rows: Atom/RSS feeds of sections, types and terms in
both languages, and one full page of the sitemap (10,000 addresses with
their hreflang alternates), and one OAI-PMH ListRecords page."""

import random

from scis.taxonomy.models import Programme, Region

from .pages import Scenario


def discovery_scenarios(distinct: int, seed: int) -> list[Scenario]:
    rng = random.Random(seed)
    regions = list(Region.objects.values_list("slug", flat=True))
    programmes = list(Programme.objects.values_list("slug", flat=True))
    feeds = []
    for _ in range(distinct):
        prefix = rng.choice(["", "/en"])
        kind = rng.choice(["atom", "rss"])
        scope = rng.choice(
            [
                "all",
                "type/news",
                "type/literature",
                "news/policy-trend",
                f"region/{rng.choice(regions)}",
                f"programme/{rng.choice(programmes)}",
            ]
        )
        feeds.append(f"{prefix}/feeds/{scope}.{kind}")
    return [
        Scenario(
            "feeds",
            feeds,
            "Atom and RSS feeds (30 entries) of everything, a type, a news "
            "section, a region or a programme, ko and en, no response cache",
        ),
        Scenario(
            "sitemap page",
            ["/sitemap.xml"],
            "/sitemap.xml: the sitemap itself (up to 10,000 pages) or, for a "
            "larger archive, its index",
        ),
        Scenario(
            "sitemap part",
            ["/sitemap-pages.xml"],
            "the first sitemap page: 10,000 addresses with hreflang alternates",
        ),
        Scenario(
            "oai ListRecords page",
            [
                "/oai?verb=ListRecords&metadataPrefix=oai_dc",
                "/oai?verb=ListRecords&metadataPrefix=oai_dc&set=type:literature",
                f"/oai?verb=ListRecords&metadataPrefix=oai_dc&set=programme:"
                f"{rng.choice(programmes)}",
            ],
            "OAI-PMH: the first page (100 records in oai_dc) of everything, of "
            "literature, or of a programme's set",
        ),
    ]
