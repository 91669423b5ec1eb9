"""Link rot: an accepted item whose original disappears is marked gone
after repeated failures, and unmarked when it comes back."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from scis.harvest.linkcheck import check_links
from scis.harvest.local_site import Reply
from scis.harvest.models import Item, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(site, settings):
    settings.HARVEST_LINK_FAILURES = 2
    settings.HARVEST_LINK_CHECK_DAYS = 7
    Item.objects.filter(state__in=[Item.State.ACCEPTED, Item.State.MERGED]).update(
        link_checked_at=timezone.now()
    )
    source = Source.objects.create(
        name="MOLIT",
        slug="molit-links",
        kind="rss",
        url=site.url("/rss"),
        allow_private=True,
    )
    return Item.objects.create(
        source=source,
        guid="molit-2024-0328-01",
        url=site.url("/runs/pages/sejong-shuttle.html"),
        title="세종 5-1 생활권 자율주행 셔틀 시민 시범 운행 시작",
        state=Item.State.ACCEPTED,
    )


def test_a_404_original_is_marked_gone_after_two_failures(accepted, site):
    site.route(
        "/runs/pages/sejong-shuttle.html",
        Reply(404, b"not found", {"Content-Type": "text/plain"}),
    )
    now = timezone.now()

    first = check_links(now)
    accepted.refresh_from_db()
    assert (first.checked, first.gone) == (1, 0)
    assert accepted.link_failures == 1
    assert accepted.original_gone_at is None

    # Not due again until HARVEST_LINK_CHECK_DAYS have passed.
    assert check_links(now + timedelta(days=1)).checked == 0

    out = StringIO()
    call_command("check_links", "--no-progress", stdout=out, stderr=StringIO())
    assert out.getvalue().splitlines()[-1] == "checked=0 gone=0 errors=0"

    later = now + timedelta(days=8)
    second = check_links(later)
    accepted.refresh_from_db()
    assert (second.checked, second.gone) == (1, 1)
    assert accepted.original_gone_at == later

    # The page is back: the mark is cleared.
    del site.server.routes["/runs/pages/sejong-shuttle.html"]
    check_links(later + timedelta(days=8))
    accepted.refresh_from_db()
    assert accepted.original_gone_at is None
    assert accepted.link_failures == 0


def test_a_server_error_is_not_taken_for_a_gone_page(accepted, site):
    site.route("/runs/pages/sejong-shuttle.html", Reply(503, b"busy", {}))

    result = check_links()

    accepted.refresh_from_db()
    assert (result.checked, result.errors, result.gone) == (1, 1, 0)
    assert accepted.link_failures == 0
