"""Every test database starts with the demo archive loaded once, so tests read
the portal as a visitor would; each test's writes are rolled back."""

import pytest
from wagtail.models import Locale

from scis.demo.loader import load_demo
from scis.home.models import HomePage


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached fragments are keyed on the catalogue version, which each test's
    rollback winds back; start every test with an empty cache."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def ko(db):
    return Locale.objects.get(language_code="ko")


@pytest.fixture
def en(db):
    return Locale.objects.get(language_code="en")


@pytest.fixture
def home(ko):
    return HomePage.objects.get(locale=ko)


@pytest.fixture
def home_en(en):
    return HomePage.objects.get(locale=en)


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(user)
    return client
