"""The demo's harvest sources and the bundled example site they read
(scis/harvest/demo_site/, served on 127.0.0.1:8765 by `make run`): an
editor who starts the demo offline must find clean candidates in the inbox."""

import socket
from pathlib import Path

import feedparser
import pytest
import yaml

from scis.demo.loader import load_harvest_sources
from scis.demo.records import DATA_DIR, HARVEST_SOURCES_FILE
from scis.harvest.local_site import LocalSite
from scis.harvest.models import Item, Source

DEMO_SITE = Path(__file__).resolve().parents[2] / "scis" / "harvest" / "demo_site"
DEMO_PORT = 8765
DEMO_SLUGS = {"demo-press", "demo-press-en", "demo-sejong-board"}


def demo_entries() -> list[dict]:
    return yaml.safe_load((DATA_DIR / HARVEST_SOURCES_FILE).read_text("utf-8"))


# --- the sources list -------------------------------------------------------


@pytest.mark.django_db
def test_demo_sources_load_with_real_feeds_disabled_and_the_local_site_enabled():
    assert not Source.objects.filter(slug__in=DEMO_SLUGS).exists()

    created = load_harvest_sources()

    assert created == len(demo_entries())
    active = set(Source.objects.filter(active=True).values_list("slug", flat=True))
    assert active == DEMO_SLUGS
    for source in Source.objects.filter(active=True):
        assert source.url.startswith(f"http://127.0.0.1:{DEMO_PORT}/")
        assert source.allow_private
        assert source.next_run_at is None  # due at the scheduler's first pass
    for source in Source.objects.filter(active=False):
        assert source.url.startswith("https://")
        assert not source.allow_private
    board = Source.objects.get(slug="demo-sejong-board")
    assert board.kind == Source.Kind.LISTING
    assert board.region.slug == "sejong"
    assert board.config["item"] == "table.board_list tbody tr"


@pytest.mark.django_db
def test_reloading_the_demo_keeps_what_an_administrator_changed():
    load_harvest_sources()
    Source.objects.filter(slug="molit-press-korea-kr").update(
        active=True, schedule_minutes=30
    )

    assert load_harvest_sources() == 0

    molit = Source.objects.get(slug="molit-press-korea-kr")
    assert (molit.active, molit.schedule_minutes) == (True, 30)


# --- the example site -------------------------------------------------------


def test_press_feed_lists_eight_releases_whose_pages_exist():
    feed = feedparser.parse((DEMO_SITE / "press" / "rss.xml").read_bytes())

    assert not feed.bozo
    assert len(feed.entries) == 8
    for entry in feed.entries:
        path = entry.link.removeprefix(f"http://127.0.0.1:{DEMO_PORT}/")
        assert (DEMO_SITE / path).is_file(), entry.link
        assert entry.published_parsed.tm_year == 2026
    english = feedparser.parse((DEMO_SITE / "en" / "rss.xml").read_bytes())
    assert len(english.entries) == 3


def test_the_republished_release_differs_from_the_original_by_one_sentence():
    original = (DEMO_SITE / "press" / "3.html").read_text("utf-8")
    republished = (DEMO_SITE / "press" / "8.html").read_text("utf-8")

    def body(page: str) -> list[str]:
        start = page.index('<div class="view_cont">')
        return page[start : page.index("</div>", start)].split("</p>")

    changed = [
        (a, b) for a, b in zip(body(original), body(republished), strict=True) if a != b
    ]
    assert len(changed) == 1
    assert "10억 원" in changed[0][0] and "12억 원" in changed[0][1]


def test_board_posts_are_served_in_euc_kr_as_many_local_sites_still_do():
    posts = sorted((DEMO_SITE / "board").glob("view_*.htm"))
    assert len(posts) == 6
    for post in posts:
        raw = post.read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        text = raw.decode("euc-kr")
        assert '<meta charset="euc-kr">' in text
        assert "세종특별자치시" in text
    listed = (DEMO_SITE / "board" / "list.html").read_text("utf-8")
    listed += (DEMO_SITE / "board" / "list2.html").read_text("utf-8")
    assert all(f'href="{post.name}"' in listed for post in posts)


def test_the_site_answers_conditional_requests_like_a_real_publisher():
    import httpx

    with LocalSite(DEMO_SITE) as site:
        first = httpx.get(site.url("press/rss.xml"))
        again = httpx.get(
            site.url("press/rss.xml"), headers={"If-None-Match": first.headers["ETag"]}
        )
        post = httpx.get(site.url("board/view_1003.htm"))

    assert first.status_code == 200
    assert again.status_code == 304
    # No charset in the header: the page's own <meta> must be read.
    assert post.headers["Content-Type"] == "text/html"


# --- the whole demo, harvested ----------------------------------------------


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture
def demo_site():
    """The example site on its fixed port: the feeds' links name it."""
    if not _port_free(DEMO_PORT):
        pytest.skip(f"port {DEMO_PORT} is in use (is `make run` running?)")
    with LocalSite(DEMO_SITE, port=DEMO_PORT) as site:
        yield site


@pytest.mark.django_db
def test_harvesting_the_demo_fills_the_inbox_with_clean_candidates(
    demo_site, warc_root
):
    from scis.harvest.pipeline import harvest_source

    load_harvest_sources()
    jobs = {
        source.slug: harvest_source(source).job
        for source in Source.objects.filter(slug__in=DEMO_SLUGS)
    }

    assert {slug: job.errors for slug, job in jobs.items()} == dict.fromkeys(
        DEMO_SLUGS, 0
    )
    press = Item.objects.filter(source__slug="demo-press")
    assert press.count() == 8
    # Release 8 republishes release 3 with one figure changed: the later one
    # is flagged and linked to the original (items are imported oldest first).
    duplicate = press.get(state=Item.State.DUPLICATE)
    assert duplicate.url.endswith("/8.html")
    assert duplicate.duplicate_of.url.endswith("/3.html")
    assert duplicate.similarity > 0.8

    board = Item.objects.filter(source__slug="demo-sejong-board")
    assert board.count() == 6
    post = board.get(url__endswith="view_1001.htm")
    assert post.title == "스마트시티 시민참여단 2기 모집 안내"
    assert "시민참여단 2기를 모집합니다" in post.text
    assert str(post.date) == "2026-11-28"

    english = Item.objects.filter(source__slug="demo-press-en")
    assert set(english.values_list("language", flat=True)) == {"en"}
    assert english.count() == 3
