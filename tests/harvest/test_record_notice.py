"""Readers of a record whose original is gone are sent to the captured copy."""

import pytest
from django.utils import timezone

from scis.harvest import services

from .factories import ItemFactory, make_snapshot, moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(django_user_model, warc_root):
    item = ItemFactory(title="대구 수성알파시티 스마트시티 실증 확대")
    page = services.accept(item, moderator(django_user_model), publish=True)
    item.refresh_from_db()
    snapshot = make_snapshot(item)
    return page, item, snapshot


def test_original_link_while_the_original_is_online(client, record):
    page, item, _snapshot = record

    html = client.get(page.url).content.decode()

    assert f'href="{item.url}"' in html
    assert "더 이상 온라인에서 제공되지 않습니다" not in html  # the Korean notice


def test_notice_links_to_the_snapshot_when_the_original_is_gone(client, record):
    page, item, snapshot = record
    item.original_gone_at = timezone.now()
    item.save(update_fields=["original_gone_at"])

    html = client.get(page.url).content.decode()

    assert "원문은 더 이상 온라인에서 제공되지 않습니다" in html  # the Korean notice
    assert f'href="/snapshots/{snapshot.pk}/"' in html
    assert f'href="{item.url}"' not in html
    assert client.get(f"/snapshots/{snapshot.pk}/").status_code == 200


def test_the_notice_costs_one_query(record, django_assert_num_queries):
    from django.template import Context, Template

    page, item, _snapshot = record
    item.original_gone_at = timezone.now()
    item.save(update_fields=["original_gone_at"])
    template = Template(
        "{% load harvest_tags %}{% gone_original page as c %}{{ c.pk }}"
    )

    with django_assert_num_queries(1):
        template.render(Context({"page": page}))
