"""The listing catalogue follows publishing, so listings show what a reader
may see: published, public records in their language, else the original."""

import pytest
from wagtail.models import PageViewRestriction

from scis.core.catalogue import rebuild
from scis.core.models import CatalogueEntry
from tests.factories import NewsPageFactory


def _listed(client, url, title):
    return title in client.get(url).content.decode()


@pytest.mark.django_db
def test_published_record_appears_and_unpublished_disappears(client):
    page = NewsPageFactory(
        title="새로 발행한 소식", slug="fresh-news", parent_path="news/issue"
    )
    assert _listed(client, "/news/issue/", "새로 발행한 소식")
    page.unpublish()
    assert not _listed(client, "/news/issue/", "새로 발행한 소식")


@pytest.mark.django_db
def test_translation_replaces_the_fallback_and_returns_when_deleted(client):
    page = NewsPageFactory(
        title="원문 소식",
        slug="original-news",
        parent_path="news/issue",
        english={"title": "English news"},
    )
    assert _listed(client, "/en/news/issue/", "English news")
    assert not _listed(client, "/en/news/issue/", "원문 소식")
    page.get_translations().first().delete()
    assert _listed(client, "/en/news/issue/", "원문 소식")


@pytest.mark.django_db
def test_private_records_are_not_listed(client):
    page = NewsPageFactory(
        title="내부 소식", slug="internal-news", parent_path="news/issue"
    )
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    page.save_revision().publish()
    assert not _listed(client, "/news/issue/", "내부 소식")


@pytest.mark.django_db
def test_rebuild_gives_what_publishing_kept_up():
    def snapshot():
        return sorted(
            CatalogueEntry.objects.values_list(
                "page_id", "language", "section", "date", "fallback"
            )
        )

    before = snapshot()
    # every record is listed once in each of the two languages
    assert len(before) == 2 * CatalogueEntry.objects.filter(language="ko").count()
    assert {e[1] for e in before} == {"ko", "en"}
    rebuild()
    assert snapshot() == before


@pytest.mark.django_db
def test_renamed_term_shows_at_once_in_cached_filters(client):
    from scis.taxonomy.models import Region

    client.get("/records/")  # fills the cached filters
    region = Region.objects.get(slug="sejong")
    region.name_ko = "세종(새 이름)"
    region.save()
    assert "세종(새 이름)" in client.get("/records/").content.decode()
