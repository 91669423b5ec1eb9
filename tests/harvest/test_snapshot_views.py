"""Captured originals: in the admin, and for readers when the record is live."""

import pytest
from django.urls import reverse

from scis.harvest import services
from scis.harvest.models import Item

from .factories import ItemFactory, make_snapshot, moderator

pytestmark = pytest.mark.django_db

SANDBOX = "sandbox; default-src 'none'; img-src data:"


@pytest.fixture
def published_item(django_user_model, warc_root):
    item = ItemFactory()
    services.accept(item, moderator(django_user_model), publish=True)
    item.refresh_from_db()
    return item


def test_admin_capture_shows_facts_and_a_sandboxed_frame(
    client, django_user_model, warc_root
):
    client.force_login(moderator(django_user_model))
    item = ItemFactory()
    snapshot = make_snapshot(item)

    page = client.get(reverse("harvest_health:capture", args=[snapshot.pk]))
    frame = client.get(reverse("harvest_health:capture_frame", args=[snapshot.pk]))

    assert item.url in page.content.decode()
    assert "<iframe" in page.content.decode() and " sandbox " in page.content.decode()
    assert frame["Content-Security-Policy"].startswith(SANDBOX)
    assert frame["X-Content-Type-Options"] == "nosniff"
    assert "국가시범도시" in frame.content.decode()


def test_public_snapshot_of_a_live_record(client, published_item):
    snapshot = make_snapshot(published_item)

    page = client.get(f"/snapshots/{snapshot.pk}/")
    frame = client.get(f"/snapshots/{snapshot.pk}/frame/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "원문은 더 이상 온라인에서 제공되지 않습니다" in html  # the Korean banner
    assert published_item.url in html
    assert "sandbox title" in html
    assert frame.status_code == 200
    assert frame["Content-Security-Policy"].startswith(SANDBOX)
    assert b"<script>" in frame.content  # kept faithfully; the sandbox stops it


def test_no_public_snapshot_for_an_unpublished_record(
    client, django_user_model, warc_root
):
    item = ItemFactory()
    services.accept(item, moderator(django_user_model))  # a draft
    snapshot = make_snapshot(item)
    candidate_snapshot = make_snapshot(ItemFactory())

    assert client.get(f"/snapshots/{snapshot.pk}/").status_code == 404
    assert client.get(f"/snapshots/{snapshot.pk}/frame/").status_code == 404
    assert client.get(f"/snapshots/{candidate_snapshot.pk}/").status_code == 404


def test_a_rejected_item_snapshot_is_not_public(client, published_item):
    snapshot = make_snapshot(published_item)
    Item.objects.filter(pk=published_item.pk).update(state=Item.State.REJECTED)

    assert client.get(f"/snapshots/{snapshot.pk}/").status_code == 404
