"""The editors' admin opens, lists the taxonomy, and is closed to visitors."""

import pytest
from django.urls import reverse

from scis.taxonomy.models import Organisation, Programme, Region, Topic


@pytest.mark.django_db
def test_admin_needs_a_login(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


@pytest.mark.django_db
def test_dashboard_and_page_explorer_open(admin_client, home):
    assert admin_client.get(reverse("wagtailadmin_home")).status_code == 200
    explorer = admin_client.get(reverse("wagtailadmin_explore", args=[home.pk]))
    assert explorer.status_code == 200
    assert "소식" in explorer.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Region, Organisation, Programme, Topic])
def test_taxonomy_terms_are_listed_as_snippets(admin_client, model):
    url = reverse(f"wagtailsnippets_taxonomy_{model._meta.model_name}:list")
    response = admin_client.get(url)
    assert response.status_code == 200
    assert model.objects.first().name_ko in response.content.decode()


@pytest.mark.django_db
def test_page_history_is_kept(admin_client):
    from scis.news.models import NewsPage

    page = NewsPage.objects.first()
    page.title = page.title + " (수정)"
    page.save_revision().publish()
    history = admin_client.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
    assert history.status_code == 200
    assert page.revisions.count() >= 2
