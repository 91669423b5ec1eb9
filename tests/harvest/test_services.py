"""Accepting, merging and rejecting harvested candidates."""

import pytest
from django.utils.translation import override

from scis.harvest import services
from scis.harvest.models import Item, Source
from scis.library.models import LiteraturePage
from scis.news.models import NewsIndexPage, NewsPage
from scis.taxonomy.models import Topic

from .factories import ItemFactory, SourceFactory, editor, moderator

pytestmark = pytest.mark.django_db

# InboxError messages reach the editor in the admin's language (the test users
# prefer English): the checks below read them in English.


def test_accept_as_draft_files_a_harvested_news_item_under_its_section(
    django_user_model,
):
    user = moderator(django_user_model)
    topic = Topic.objects.first()
    item = ItemFactory(
        suggestion={"section": "policy-project", "topics": [topic.pk], "reasons": []}
    )

    page = services.accept(item, user)

    assert isinstance(page, NewsPage)
    assert not page.live and page.get_latest_revision() is not None
    parent = page.get_parent().specific
    assert isinstance(parent, NewsIndexPage) and parent.section == "policy-project"
    assert page.locale.language_code == "ko"
    assert page.section == "policy-project"
    assert page.provenance == "harvested"
    assert page.original_url == item.url and page.source_id == item.guid
    assert page.date == item.date and "국가시범도시" in page.body
    assert list(page.topics.all()) == [topic]
    item.refresh_from_db()
    assert item.state == Item.State.ACCEPTED and item.page_id == page.pk
    assert item.decided_by == user and item.decided_at is not None


def test_accept_and_publish_makes_the_record_live_in_english(django_user_model):
    item = ItemFactory(language="en", title="Sejong pilot city welcomes residents")

    page = services.accept(item, moderator(django_user_model), publish=True)

    page.refresh_from_db()
    assert page.live
    assert page.locale.language_code == "en"
    assert page.url.startswith("/en/")


def test_an_editor_without_publish_permission_gets_a_draft(django_user_model):
    item = ItemFactory()

    page = services.accept(item, editor(django_user_model), publish=True)

    page.refresh_from_db()
    assert not page.live


def test_literature_source_makes_a_literature_record_with_authors(django_user_model):
    source = SourceFactory(target=Source.Target.LITERATURE, kind=Source.Kind.OAI)
    item = ItemFactory(source=source, authors=["김도시", {"name": "Lee Jiwon"}])

    page = services.accept(item, moderator(django_user_model), publish=True)

    page = LiteraturePage.objects.get(pk=page.pk)
    assert page.live and page.year == item.date.year
    assert [a.name for a in page.authors.all()] == ["김도시", "Lee Jiwon"]
    assert page.external_url == item.url


def test_a_duplicate_is_accepted_only_with_force(django_user_model):
    user = moderator(django_user_model)
    first = ItemFactory()
    duplicate = ItemFactory(
        state=Item.State.DUPLICATE, duplicate_of=first, similarity=0.92
    )

    with override("en"), pytest.raises(services.InboxError, match="duplicate"):
        services.accept(duplicate, user)
    assert services.accept(duplicate, user, force=True).pk


def test_accepting_twice_says_what_it_became(django_user_model):
    user = moderator(django_user_model)
    item = ItemFactory()
    page = services.accept(item, user)

    with (
        override("en"),
        pytest.raises(services.InboxError, match=f"accepted as “{page.title}”"),
    ):
        services.accept(item, user)
    with override("en"), pytest.raises(services.InboxError, match="accepted"):
        services.reject(item, user)


def test_merge_fills_missing_provenance_and_nothing_else(django_user_model):
    user = moderator(django_user_model)
    record = NewsPage.objects.live().filter(original_url="").first()
    title = record.title
    item = ItemFactory(title="다른 제목")

    services.merge(item, record, user)

    record.refresh_from_db()
    assert record.original_url == item.url and record.source_id
    assert record.title == title and record.live
    item.refresh_from_db()
    assert item.state == Item.State.MERGED and item.page_id == record.pk
    with override("en"), pytest.raises(services.InboxError, match="merged into"):
        services.merge(item, record, user)


def test_reject_is_remembered(django_user_model):
    user = editor(django_user_model)
    item = ItemFactory()

    services.reject(item, user)

    item.refresh_from_db()
    assert item.state == Item.State.REJECTED and not item.is_candidate
    with override("en"), pytest.raises(services.InboxError, match="rejected"):
        services.accept(item, user)


def test_no_section_gives_a_clear_error(django_user_model):
    item = ItemFactory(source=SourceFactory(section=""), suggestion={})

    with (
        override("en"),
        pytest.raises(services.InboxError, match="Choose a news section"),
    ):
        services.accept(item, moderator(django_user_model))
    item.refresh_from_db()
    assert item.state == Item.State.NEW
