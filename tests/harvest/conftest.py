"""The harvester is tested against a real web server on 127.0.0.1 serving
recorded payloads from `fixtures/` (and answers made in code, added per test
with `site.route(...)`), never against mocks of httpx."""

from pathlib import Path

import pytest

from scis.harvest.local_site import LocalSite

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def site():
    """A fresh local site per test: routes added by one test never leak."""
    with LocalSite(FIXTURES) as running:
        yield running


@pytest.fixture(autouse=True)
def _portal_language():
    """Harvests run in a worker or a command, in the portal's default
    language (Korean): start every test there, whatever language an earlier
    test's request left active in this thread."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def warc_root(settings, tmp_path):
    settings.HARVEST_WARC_ROOT = tmp_path / "warc"
    return settings.HARVEST_WARC_ROOT
