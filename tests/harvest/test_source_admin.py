"""Sources and their health in the Wagtail admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from scis.harvest.models import Item, Job, Source

from .factories import (
    ItemFactory,
    JobErrorFactory,
    JobFactory,
    SourceFactory,
    editor,
    moderator,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, django_user_model):
    client.force_login(editor(django_user_model))
    return client


def test_an_editor_creates_a_source_with_config_and_rules(editor_client):
    response = editor_client.post(
        reverse("harvest_sources:add"),
        {
            "name": "세종시 보도자료",
            "slug": "sejong-press",
            "kind": "listing",
            "url": "https://www.sejong.go.kr/bbs/press.do",
            "language": "ko",
            "schedule_minutes": "720",
            "config": '{"item": "table.board tr", "link": "td.title a"}',
            "target": "news",
            "section": "policy-project",
            "rules": '[{"contains": "자율주행", "topic": "transport"}]',
            "active": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    source = Source.objects.get(slug="sejong-press")
    assert source.config["item"] == "table.board tr"
    assert source.rules[0]["topic"] == "transport"


def test_sources_list_and_edit_form(editor_client):
    source = SourceFactory(name="KAIA 보도자료")

    listing = editor_client.get(reverse("harvest_sources:index"))
    edit = editor_client.get(reverse("harvest_sources:edit", args=[source.pk]))

    assert "KAIA 보도자료" in listing.content.decode()
    assert edit.status_code == 200
    assert "CSS selectors for a listing page" in edit.content.decode()


def test_runs_page_lists_jobs_and_errors(editor_client):
    source = SourceFactory()
    job = JobFactory(source=source, new=4, errors=1)
    JobErrorFactory(source=source, job=job)

    html = editor_client.get(
        reverse("harvest_sources:runs", args=[source.pk])
    ).content.decode()

    assert "new=4" in html
    assert "answered HTTP 404" in html
    assert "Run now" in html


def test_run_now_queues_a_run(editor_client, site, warc_root):
    source = SourceFactory(url=site.url("/sources/molit_press.rss"), allow_private=True)

    response = editor_client.post(
        reverse("harvest_sources:run_now", args=[source.pk]), follow=True
    )

    job = Job.objects.filter(source=source).first()
    assert job is not None and job.trigger.startswith("manual")
    assert f"Run #{job.pk}" in response.content.decode()


def test_run_now_needs_post(editor_client):
    source = SourceFactory()

    response = editor_client.get(reverse("harvest_sources:run_now", args=[source.pk]))

    assert response.status_code == 405
    assert not source.jobs.exists()


def test_health_lists_a_failing_source_first(client, django_user_model):
    client.force_login(moderator(django_user_model))
    SourceFactory(name="AAA 잘 되는 출처", last_success_at=timezone.now())
    failing = SourceFactory(
        name="ZZZ 깨진 피드",
        consecutive_failures=3,
        last_error="https://example.go.kr/rss answered HTTP 500",
    )
    ItemFactory(source=failing)
    ItemFactory(source=failing, state=Item.State.ACCEPTED)
    JobErrorFactory(source=failing)
    old = JobErrorFactory(source=failing)
    type(old).objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=30)
    )

    response = client.get("/admin/harvest/health/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("ZZZ 깨진 피드") < html.index("AAA 잘 되는 출처")
    assert "failing" in html
    row = html[html.index("ZZZ 깨진 피드") : html.index("AAA 잘 되는 출처")]
    assert "2 / " in row  # two items, one in the inbox
    errors_url = reverse("harvest_health:errors", args=[failing.pk])
    assert f'<a href="{errors_url}">1</a>' in row  # only the last 7 days


def test_error_list_of_a_source(client, django_user_model):
    client.force_login(moderator(django_user_model))
    item = ItemFactory()
    JobErrorFactory(source=item.source, item=item, stage="import")

    html = client.get(
        reverse("harvest_health:errors", args=[item.source.pk])
    ).content.decode()

    assert "answered HTTP 404" in html
    assert reverse("harvest_inbox:review", args=[item.pk]) in html


def test_health_is_for_editorial_staff_only(client, django_user_model):
    user = django_user_model.objects.create_user("visitor", "v@example.org")
    client.force_login(user)

    response = client.get("/admin/harvest/health/")

    assert response.status_code in (302, 403)
