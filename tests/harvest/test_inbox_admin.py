"""The inbox as editors and moderators use it in the Wagtail admin."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from scis.harvest.models import Item
from scis.news.models import NewsPage

from .factories import ItemFactory, SourceFactory, editor, make_snapshot, moderator

pytestmark = pytest.mark.django_db

INBOX = "harvest_inbox:list"


@pytest.fixture
def moderator_client(client, django_user_model):
    client.force_login(moderator(django_user_model))
    return client


@pytest.fixture
def editor_client(client, django_user_model):
    client.force_login(editor(django_user_model))
    return client


def test_inbox_lists_candidates_by_default(moderator_client):
    waiting = ItemFactory(title="스마트시티 챌린지 본사업 선정")
    ItemFactory(title="이미 반려된 보도자료", state=Item.State.REJECTED)

    response = moderator_client.get(reverse(INBOX))

    assert response.status_code == 200
    html = response.content.decode()
    assert waiting.title in html
    assert "이미 반려된 보도자료" not in html
    assert "자율주행 셔틀" in html  # the text preview


def test_inbox_filters_by_state_source_language_and_date(moderator_client):
    source = SourceFactory(name="KAIA 뉴스")
    ItemFactory(title="Korean item", language="ko")
    ItemFactory(title="English item", language="en", source=source)
    ItemFactory(title="Rejected item", state=Item.State.REJECTED)

    def titles(**query):
        html = moderator_client.get(reverse(INBOX), query).content.decode()
        return {
            t for t in ("Korean item", "English item", "Rejected item") if t in html
        }

    assert titles(language="en") == {"English item"}
    assert titles(source=source.pk) == {"English item"}
    assert titles(state="rejected") == {"Rejected item"}
    assert titles(q="Korean") == {"Korean item"}
    assert titles(date_from="2000-01-01", date_to="2000-12-31") == set()


def test_list_shows_suggested_terms_and_duplicate_warning(moderator_client):
    from scis.taxonomy.models import Topic

    topic = Topic.objects.get(slug="transport")
    original = ItemFactory(title="세종 시범도시 첫 입주")
    ItemFactory(
        title="세종 시범도시 첫 입주 (재게시)",
        state=Item.State.DUPLICATE,
        duplicate_of=original,
        similarity=0.91,
        suggestion={"section": "issue", "topics": [topic.pk]},
    )

    html = moderator_client.get(reverse(INBOX)).content.decode()

    assert topic.name_ko in html
    assert "Probably the same as" in html and "91%" in html
    assert reverse("harvest_inbox:review", args=[original.pk]) in html


def test_review_shows_text_suggestion_reasons_duplicate_and_snapshot(
    moderator_client, warc_root
):
    original = ItemFactory()
    item = ItemFactory(
        state=Item.State.DUPLICATE,
        duplicate_of=original,
        similarity=0.88,
        suggestion={"section": "issue", "reasons": ["‘자율주행’ → 교통"]},
    )
    snapshot = make_snapshot(item)

    response = moderator_client.get(reverse("harvest_inbox:review", args=[item.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "자율주행 셔틀과 통합 모빌리티" in html
    assert "‘자율주행’ → 교통" in html
    # The suggested section by the name editors know, not its slug.
    assert "Section: Smart City Issue" in html
    assert "Probably the same as" in html and "88%" in html
    assert reverse("harvest_health:capture", args=[snapshot.pk]) in html
    for action in ("accept", "publish", "merge", "reject"):
        assert f'name="action" value="{action}"' in html


def test_accept_as_draft_from_the_review_view(moderator_client):
    item = ItemFactory()

    response = moderator_client.post(
        reverse("harvest_inbox:decide", args=[item.pk]), {"action": "accept"}
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == Item.State.ACCEPTED
    assert not NewsPage.objects.get(pk=item.page_id).live


def test_publish_in_two_clicks_from_the_list(moderator_client):
    item = ItemFactory(title="부산 에코델타 스마트시티 시범사업 착공")
    listing = moderator_client.get(reverse(INBOX)).content.decode()
    confirm_url = reverse("harvest_inbox:publish", args=[item.pk])
    assert confirm_url in listing

    confirm = moderator_client.get(confirm_url)  # click 1
    assert 'name="action" value="publish"' in confirm.content.decode()
    response = moderator_client.post(  # click 2
        reverse("harvest_inbox:decide", args=[item.pk]),
        {"action": "publish", "next": reverse(INBOX)},
        follow=True,
    )

    item.refresh_from_db()
    page = NewsPage.objects.get(pk=item.page_id)
    assert page.live
    assert response.redirect_chain[-1][0] == reverse(INBOX)
    assert "Published" in response.content.decode()
    assert page.url in response.content.decode()


def test_an_editor_cannot_publish(editor_client):
    item = ItemFactory()

    review = editor_client.get(reverse("harvest_inbox:review", args=[item.pk]))
    assert review.status_code == 200
    assert 'value="publish"' not in review.content.decode()
    response = editor_client.post(
        reverse("harvest_inbox:decide", args=[item.pk]), {"action": "publish"}
    )

    assert response.status_code in (302, 403)  # Wagtail sends it back home
    item.refresh_from_db()
    assert item.state == Item.State.NEW


def test_duplicate_needs_confirmation(moderator_client):
    item = ItemFactory(state=Item.State.DUPLICATE, duplicate_of=ItemFactory())
    url = reverse("harvest_inbox:decide", args=[item.pk])

    response = moderator_client.post(url, {"action": "accept"}, follow=True)
    item.refresh_from_db()
    assert item.state == Item.State.DUPLICATE
    assert "probably a duplicate" in response.content.decode()

    moderator_client.post(url, {"action": "accept", "force": "1"})
    item.refresh_from_db()
    assert item.state == Item.State.ACCEPTED


def test_merge_and_reject(moderator_client):
    record = NewsPage.objects.live().first()
    merged, rejected = ItemFactory(), ItemFactory()

    moderator_client.post(
        reverse("harvest_inbox:decide", args=[merged.pk]),
        {"action": "merge", "page": record.pk},
    )
    moderator_client.post(
        reverse("harvest_inbox:decide", args=[rejected.pk]), {"action": "reject"}
    )

    merged.refresh_from_db()
    rejected.refresh_from_db()
    assert merged.state == Item.State.MERGED and merged.page_id == record.pk
    assert rejected.state == Item.State.REJECTED


def test_wrong_state_is_explained(moderator_client):
    item = ItemFactory(state=Item.State.REJECTED)

    response = moderator_client.post(
        reverse("harvest_inbox:decide", args=[item.pk]),
        {"action": "accept"},
        follow=True,
    )

    assert "Already rejected" in response.content.decode()


def test_decisions_need_post_and_an_editorial_user(client, django_user_model):
    item = ItemFactory()
    url = reverse("harvest_inbox:decide", args=[item.pk])
    outsider = django_user_model.objects.create_user("reader", "r@example.org")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)

    assert client.post(url, {"action": "reject"}).status_code in (302, 403)
    item.refresh_from_db()
    assert item.state == Item.State.NEW


def test_adjusting_the_classification_before_accepting(moderator_client):
    from scis.taxonomy.models import Topic

    topic = Topic.objects.get(slug="energy")
    item = ItemFactory(suggestion={"section": "issue", "reasons": ["r"]})

    moderator_client.post(
        reverse("harvest_inbox:review", args=[item.pk]),
        {"section": "special", "topics": [topic.pk]},
    )
    moderator_client.post(
        reverse("harvest_inbox:decide", args=[item.pk]), {"action": "accept"}
    )

    item.refresh_from_db()
    page = NewsPage.objects.get(pk=item.page_id)
    assert page.section == "special"
    assert list(page.topics.all()) == [topic]


def test_bulk_accept_as_drafts_and_reject(moderator_client):
    first, second, third = ItemFactory(), ItemFactory(), ItemFactory()
    accept_url = reverse(
        "wagtail_bulk_action", args=["harvest", "item", "accept_drafts"]
    )
    reject_url = reverse("wagtail_bulk_action", args=["harvest", "item", "reject"])

    confirm = moderator_client.get(f"{accept_url}?id={first.pk}&id={second.pk}")
    assert confirm.status_code == 200 and first.title in confirm.content.decode()
    moderator_client.post(f"{accept_url}?id={first.pk}&id={second.pk}")
    moderator_client.post(f"{reject_url}?id={third.pk}")

    states = set(
        Item.objects.filter(pk__in=[first.pk, second.pk]).values_list(
            "state", flat=True
        )
    )
    assert states == {Item.State.ACCEPTED}
    third.refresh_from_db()
    assert third.state == Item.State.REJECTED


def test_nobody_adds_or_deletes_items(admin_client):
    item = ItemFactory()

    assert admin_client.get("/admin/harvest/inbox/add/").status_code in (403, 302)
    admin_client.post(reverse("harvest_inbox:delete", args=[item.pk]))
    assert Item.objects.filter(pk=item.pk).exists()
