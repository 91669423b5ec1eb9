"""Filters, counts and pages on listing pages, and what bad input does."""

import pytest

from scis.news.models import NewsPage
from scis.taxonomy.models import Region


def _facet(response, name):
    return next(f for f in response.context["listing"].facets if f.name == name)


@pytest.mark.django_db
def test_section_listing_lists_only_its_section_newest_first(client):
    response = client.get("/news/policy-trend/")
    records = response.context["listing"].page.object_list
    assert records
    assert {r.section for r in records} == {"policy-trend"}
    dates = [r.date for r in records]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.django_db
def test_news_index_filters_by_section_with_counts(client):
    response = client.get("/news/")
    counts = {o.value: o.count for o in _facet(response, "section").options}
    expected = {
        section: NewsPage.objects.live()
        .filter(locale__language_code="ko", section=section)
        .count()
        for section in ("issue", "policy-project", "policy-trend", "special")
    }
    assert counts == expected
    filtered = client.get("/news/?section=special")
    assert filtered.context["listing"].total == expected["special"]


@pytest.mark.django_db
def test_region_filter_includes_its_municipalities(client):
    busan = Region.objects.get(slug="busan")
    expected = (
        NewsPage.objects.live()
        .filter(locale__language_code="ko", regions__in=[busan, *busan.children.all()])
        .distinct()
        .count()
    )
    assert expected > 0
    response = client.get("/news/?region=busan")
    assert response.context["listing"].total == expected
    assert "부산광역시" in response.content.decode()


@pytest.mark.django_db
def test_counts_per_value_match_what_the_filter_gives(client):
    response = client.get("/records/")
    for facet_name in ("topic", "year", "type"):
        for option in _facet(response, facet_name).options[:3]:
            filtered = client.get(f"/records/?{facet_name}={option.value}")
            assert filtered.context["listing"].total == option.count, (
                facet_name,
                option.value,
            )


@pytest.mark.django_db
def test_filters_combine_and_stay_in_the_url(client):
    response = client.get("/records/?type=news&year=2024&topic=transport")
    listing = response.context["listing"]
    assert listing.filters == {"type": "news", "year": "2024", "topic": "transport"}
    for record in listing.page.object_list:
        assert isinstance(record, NewsPage)
        assert record.date.year == 2024
        assert "transport" in {t.slug for t in record.topics.all()}
    html = response.content.decode()
    assert 'value="2024" selected' in html


@pytest.mark.django_db
def test_pagination_keeps_filters(client, settings):
    settings.LISTING_PAGE_SIZE = 5
    first = client.get("/records/?type=news")
    listing = first.context["listing"]
    assert listing.page.paginator.num_pages > 1
    assert "type=news&amp;page=2" in first.content.decode()
    second = client.get("/records/?type=news&page=2")
    first_ids = {r.pk for r in listing.page.object_list}
    second_ids = {r.pk for r in second.context["listing"].page.object_list}
    assert first_ids.isdisjoint(second_ids)


@pytest.mark.django_db
def test_mixed_types_are_merged_by_date_across_pages(client, settings):
    settings.LISTING_PAGE_SIZE = 7
    seen = []
    page = 1
    while True:
        response = client.get(f"/records/?page={page}")
        listing = response.context["listing"]
        seen += [(r.date, type(r).__name__) for r in listing.page.object_list]
        if not listing.page.has_next():
            break
        page += 1
    assert len(seen) == listing.total
    assert [d for d, _ in seen] == sorted((d for d, _ in seen), reverse=True)
    assert len({t for _, t in seen}) >= 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,message",
    [
        ("region=atlantis", "No region called “atlantis” exists"),
        ("year=19x9", "“19x9” is not a year"),
        ("page=9999", "There is no page 9999"),
        ("page=-3", "is not a page number"),
        ("type=podcast", "No type called “podcast” exists"),
        ("topic=%ff%fe", "exists, so that filter was ignored"),
        ("region=se%00jong", "No region called “sejong” exists"),
        ("year=20%0024", "No year called “2024” exists"),
    ],
)
def test_bad_input_gives_a_normal_page_with_a_message(client, query, message):
    response = client.get(f"/en/records/?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["listing"].total > 0


@pytest.mark.django_db
def test_no_results_says_so(client):
    response = client.get("/en/news/?region=jeju-city&year=2018&topic=water")
    assert response.status_code == 200
    if response.context["listing"].total == 0:
        assert "No records match these filters" in response.content.decode()
