"""Which page may be created where, and the admin forms for each type."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from scis.about.models import DefinitionIndexPage, DefinitionPage, StandardPage
from scis.events.models import EventIndexPage, EventPage
from scis.home.models import HomePage, RecordIndexPage
from scis.library.models import (
    DocumentIndexPage,
    DocumentPage,
    LiteratureIndexPage,
    LiteraturePage,
)
from scis.news.models import NewsIndexPage, NewsPage

ALLOWED = [
    (NewsPage, NewsIndexPage),
    (NewsIndexPage, HomePage),
    (NewsIndexPage, NewsIndexPage),
    (LiteraturePage, LiteratureIndexPage),
    (DocumentPage, DocumentIndexPage),
    (EventPage, EventIndexPage),
    (DefinitionPage, DefinitionIndexPage),
    (DefinitionIndexPage, StandardPage),
    (StandardPage, HomePage),
    (StandardPage, StandardPage),
    (RecordIndexPage, HomePage),
    (LiteratureIndexPage, HomePage),
    (EventIndexPage, HomePage),
    (DocumentIndexPage, HomePage),
]
REFUSED = [
    (NewsPage, HomePage),
    (NewsPage, EventIndexPage),
    (EventPage, NewsIndexPage),
    (LiteraturePage, DocumentIndexPage),
    (DefinitionPage, StandardPage),
    (HomePage, HomePage),
]


@pytest.mark.parametrize("child,parent", ALLOWED, ids=lambda m: m.__name__)
def test_allowed_parents(child, parent):
    assert parent in child.allowed_parent_page_models()
    assert child in parent.allowed_subpage_models()


@pytest.mark.parametrize("child,parent", REFUSED, ids=lambda m: m.__name__)
def test_refused_parents(child, parent):
    assert child not in parent.allowed_subpage_models()


CREATE_UNDER = [
    (NewsPage, NewsIndexPage, {"section": "issue"}),
    (LiteraturePage, LiteratureIndexPage, {}),
    (DocumentPage, DocumentIndexPage, {}),
    (EventPage, EventIndexPage, {}),
    (DefinitionPage, DefinitionIndexPage, {}),
    (StandardPage, StandardPage, {}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model,parent_model,lookup", CREATE_UNDER, ids=lambda m: getattr(m, "__name__", "")
)
def test_admin_create_form_opens(admin_client, model, parent_model, lookup):
    parent = parent_model.objects.filter(locale__language_code="ko", **lookup).first()
    url = reverse(
        "wagtailadmin_pages:add",
        args=[model._meta.app_label, model._meta.model_name, parent.pk],
    )
    response = admin_client.get(url)
    assert response.status_code == 200
    assert b'name="title"' in response.content


@pytest.mark.django_db
def test_admin_creates_a_news_item_under_a_section(admin_client):
    parent = NewsIndexPage.objects.get(
        locale__language_code="ko", section="policy-trend"
    )
    url = reverse("wagtailadmin_pages:add", args=["news", "newspage", parent.pk])
    response = admin_client.post(
        url,
        nested_form_data(
            {
                "title": "부천시, 공유주차 확대",
                "slug": "bucheon-shared-parking-expands",
                "date": "2025-05-02",
                "summary": "공유주차를 늘린다.",
                "body": rich_text("<p>본문</p>"),
                "provenance": "typed",
                "comments": inline_formset([]),
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302, response.content[:2000]
    page = NewsPage.objects.get(slug="bucheon-shared-parking-expands")
    assert page.live
    assert page.section == "policy-trend"  # taken from the section page


@pytest.mark.django_db
def test_admin_refuses_an_event_that_ends_before_it_starts(admin_client):
    parent = EventIndexPage.objects.get(locale__language_code="ko")
    url = reverse("wagtailadmin_pages:add", args=["events", "eventpage", parent.pk])
    response = admin_client.post(
        url,
        nested_form_data(
            {
                "title": "거꾸로 행사",
                "slug": "backwards-event",
                "start": "2025-05-02 10:00",
                "end": "2025-05-01 10:00",
                "mode": "offline",
                "body": rich_text(""),
                "provenance": "typed",
                "comments": inline_formset([]),
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 200
    assert (
        "An event cannot end before it starts." in response.content.decode()
        or "시작" in response.content.decode()
    )
    assert not EventPage.objects.filter(slug="backwards-event").exists()
