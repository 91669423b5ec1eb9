"""Editors write and submit; moderators approve and publish; scheduled pages
go live without anyone running a command by hand."""

import datetime as dt
import time

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from scis.editorial.services import EDITORS, MODERATORS, NEWS_WORKFLOW
from scis.news.models import NewsIndexPage, NewsPage


def _user(django_user_model, name, group):
    user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group))
    return user


def _news_form(title, slug, action):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "date": "2025-06-01",
            "summary": "요약",
            "body": rich_text("<p>본문</p>"),
            "provenance": "typed",
            "comments": inline_formset([]),
            action: "1",
        }
    )


@pytest.mark.django_db
def test_groups_and_workflow_exist():
    assert Group.objects.filter(name=EDITORS).exists()
    assert Group.objects.filter(name=MODERATORS).exists()
    news = NewsIndexPage.objects.get(locale__language_code="ko", section="")
    assert news.get_workflow().name == NEWS_WORKFLOW


@pytest.mark.django_db
def test_editor_cannot_publish_but_submits_for_moderation(client, django_user_model):
    editor = _user(django_user_model, "editor", EDITORS)
    client.force_login(editor)
    parent = NewsIndexPage.objects.get(locale__language_code="ko", section="issue")
    url = reverse("wagtailadmin_pages:add", args=["news", "newspage", parent.pk])
    create = client.get(url).content.decode()
    assert 'name="action-publish"' not in create
    response = client.post(
        url, _news_form("편집자 기사", "editor-story", "action-submit")
    )
    assert response.status_code == 302
    page = NewsPage.objects.get(slug="editor-story")
    assert not page.live
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert client.get(page.url).status_code == 404  # not public yet


@pytest.mark.django_db
def test_moderator_approves_and_the_item_goes_live(client, django_user_model):
    editor = _user(django_user_model, "editor2", EDITORS)
    moderator = _user(django_user_model, "moderator", MODERATORS)
    parent = NewsIndexPage.objects.get(locale__language_code="ko", section="issue")
    client.force_login(editor)
    client.post(
        reverse("wagtailadmin_pages:add", args=["news", "newspage", parent.pk]),
        _news_form("승인 대기 기사", "awaiting-approval", "action-submit"),
    )
    page = NewsPage.objects.get(slug="awaiting-approval")
    state = WorkflowState.objects.get(object_id=str(page.pk))
    task_state = state.current_task_state
    client.force_login(moderator)
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, "approve", task_state.pk],
        ),
        {"comment": "좋습니다"},
    )
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    assert client.get(page.url).status_code == 200


@pytest.mark.django_db
def test_scheduled_page_is_published_by_the_scheduler(client):
    parent = NewsIndexPage.objects.get(locale__language_code="ko", section="special")
    page = NewsPage(
        title="예약 기사",
        slug="scheduled-story",
        date=dt.date(2025, 6, 1),
        body="<p>x</p>",
    )
    parent.add_child(instance=page)
    page.unpublish()
    page.go_live_at = timezone.now() + dt.timedelta(seconds=2)
    revision = page.save_revision()
    revision.publish()  # with a future go-live time this only schedules it
    page.refresh_from_db()
    assert not page.live
    call_command("run_scheduler", "--once")
    page.refresh_from_db()
    assert not page.live  # not yet due
    time.sleep(max(0.0, (page.go_live_at - timezone.now()).total_seconds()) + 0.2)
    call_command("run_scheduler", "--once")
    page.refresh_from_db()
    assert page.live
    assert client.get(page.url).status_code == 200
