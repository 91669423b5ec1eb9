"""The same release is recognised however it comes back: the same address
with tracking parameters, the same GUID at another source, the same text,
or the text republished with a changed date line and an edited sentence."""

from pathlib import Path

import pytest

from scis.core.records import record_models
from scis.harvest import dedupe
from scis.harvest.extract import extract_page
from scis.harvest.models import Item, ItemBand, Source

PAGES = Path(__file__).parent / "fixtures" / "pages"


def page_text(name: str) -> str:
    return extract_page((PAGES / name).read_text(encoding="utf-8"), "").text


KOREAN = page_text("molit_press_release.html")
KOREAN_REPUBLISHED = "[2024.04.01 수정 배포] " + KOREAN.replace(
    "하루 12회 운행하며", "하루 16회로 늘려 운행하며"
).replace("28일 밝혔다", "1일 밝혔다")
KOREAN_SAME_TOPIC = page_text("sejong_news.html")
ENGLISH = page_text("kaia_english_news.html")
ENGLISH_REPUBLISHED = "Updated 3 June 2024. " + ENGLISH.replace(
    "from June", "from July"
).replace("said on Tuesday", "said on Wednesday")
ENGLISH_SAME_TOPIC = (
    "Sejong's national pilot smart city will run autonomous shuttles between the "
    "government complex and the 5-1 living zone from April, the Ministry of Land, "
    "Infrastructure and Transport said. Residents can book rides through an app, "
    "and the shuttle data will flow to the city's integrated platform and urban "
    "data hub, which start-ups can use to test new mobility services."
)


def test_canonical_url_drops_tracking_and_keeps_identifiers():
    assert (
        dedupe.canonical_url(
            "HTTPS://WWW.Molit.go.kr/USR/view.do?nttId=123&bbsId=B1&utm_source=fb"
            "&utm_medium=social&fbclid=XYZ#top"
        )
        == "https://www.molit.go.kr/USR/view.do?bbsId=B1&nttId=123"
    )
    assert dedupe.canonical_url("https://example.go.kr:443/a?seq=5") == (
        "https://example.go.kr/a?seq=5"
    )


def test_content_hash_ignores_case_and_spacing():
    assert dedupe.content_hash("Smart  City\nSejong") == dedupe.content_hash(
        "smart city sejong"
    )
    assert dedupe.content_hash("smart city busan") != dedupe.content_hash(
        "smart city sejong"
    )
    assert dedupe.content_hash("  ") == ""


def test_short_text_has_no_signature():
    assert dedupe.signature("세종 스마트시티 소식") is None
    assert len(dedupe.signature(KOREAN)) == 128 * 4


@pytest.mark.parametrize(
    ("original", "republished", "same_topic"),
    [
        (KOREAN, KOREAN_REPUBLISHED, KOREAN_SAME_TOPIC),
        (ENGLISH, ENGLISH_REPUBLISHED, ENGLISH_SAME_TOPIC),
    ],
    ids=["korean", "english"],
)
def test_similarity_separates_republished_from_related(
    original, republished, same_topic
):
    signature = dedupe.signature(original)
    assert dedupe.similarity(signature, dedupe.signature(republished)) >= 0.8
    assert dedupe.similarity(signature, dedupe.signature(same_topic)) < 0.3


# Database: items found across sources through their stored bands.


@pytest.fixture
def sources(db):
    return [
        Source.objects.create(
            name=name, slug=slug, kind=Source.Kind.RSS, url=f"https://{slug}.kr/rss"
        )
        for name, slug in (("국토교통부", "molit"), ("세종시", "sejong"))
    ]


def make_item(source, guid, text, url=""):
    url = dedupe.canonical_url(url or f"https://{source.slug}.kr/view?id={guid}")
    item = Item.objects.create(
        source=source,
        guid=guid,
        url=url,
        title=guid,
        text=text,
        content_hash=dedupe.content_hash(text),
        minhash=dedupe.signature(text),
    )
    dedupe.store_bands(item)
    return item


def test_bands_are_stored_and_rewritten(sources):
    item = make_item(sources[0], "a", KOREAN)
    assert ItemBand.objects.filter(item=item).count() == 16
    item.minhash = None
    dedupe.store_bands(item)
    assert not ItemBand.objects.filter(item=item).exists()


@pytest.mark.parametrize(
    ("original", "republished", "same_topic"),
    [
        (KOREAN, KOREAN_REPUBLISHED, KOREAN_SAME_TOPIC),
        (ENGLISH, ENGLISH_REPUBLISHED, ENGLISH_SAME_TOPIC),
    ],
    ids=["korean", "english"],
)
def test_republished_release_is_found_at_another_source(
    sources, original, republished, same_topic
):
    first = make_item(sources[0], "release-1", original)
    make_item(sources[0], "other-1", same_topic)
    again = make_item(sources[1], "copy-1", republished)
    found, score = dedupe.find_duplicate(again)
    assert found == first
    assert 0.8 <= score < 1.0
    unrelated = make_item(sources[1], "other-2", same_topic + " Another paragraph.")
    assert dedupe.find_duplicate(unrelated)[0] != first


def test_exact_matches_score_one(sources):
    first = make_item(sources[0], "r1", KOREAN, url="https://molit.kr/view?nttId=7")
    same_text = make_item(sources[1], "s1", KOREAN.upper())
    assert dedupe.find_duplicate(same_text) == (first, 1.0)
    same_url = make_item(
        sources[1], "s2", ENGLISH, url="https://molit.kr/view?nttId=7&utm_source=x"
    )
    assert dedupe.find_duplicate(same_url) == (first, 1.0)
    same_guid = make_item(sources[1], "r1", ENGLISH_SAME_TOPIC)
    assert dedupe.find_duplicate(same_guid) == (first, 1.0)


def test_short_placeholder_texts_and_the_source_address_are_not_duplicates(sources):
    placeholder = "첨부파일 참조"
    make_item(sources[0], "p1", placeholder)
    other = make_item(sources[0], "p2", placeholder)
    assert dedupe.find_duplicate(other) == (None, 0.0)
    make_item(sources[1], "j1", KOREAN, url=sources[1].url)
    no_page = make_item(sources[1], "j2", ENGLISH, url=sources[1].url)
    assert dedupe.find_duplicate(no_page) == (None, 0.0)


def test_an_item_is_not_its_own_duplicate_nor_of_later_or_failed_items(sources):
    first = make_item(sources[0], "r1", KOREAN)
    assert dedupe.find_duplicate(first) == (None, 0.0)
    later = make_item(sources[1], "s1", KOREAN_REPUBLISHED)
    assert dedupe.find_duplicate(first) == (None, 0.0)
    first.state = Item.State.FAILED
    first.save()
    assert dedupe.find_duplicate(later) == (None, 0.0)


def test_existing_record_by_original_url_or_source_id(db):
    record = next(
        page
        for model in record_models()
        if (page := model.objects.order_by("pk").first()) is not None
    )
    url = "https://www.molit.go.kr/USR/view.do?nttId=31337"
    record.original_url = url
    record.source_id = "molit-press-31337"
    record.save(update_fields=["original_url", "source_id"])

    tracked = url + "&utm_campaign=newsletter"
    assert dedupe.find_existing_record(tracked, "").pk == record.pk
    assert dedupe.find_existing_record("https://x.kr/a", "molit-press-31337").pk == (
        record.pk
    )
    assert dedupe.find_existing_record("https://x.kr/unknown", "nothing") is None
