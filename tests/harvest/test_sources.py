"""Adding sources: every field checked, each problem named, and a list
loaded all or nothing."""

from __future__ import annotations

import pytest

from scis.harvest.models import Source
from scis.harvest.sources import SourceError, create_source, load_sources

pytestmark = pytest.mark.django_db


def test_a_source_gets_a_slug_from_its_name_and_its_defaults_by_slug():
    source = create_source(
        kind="rss",
        url="https://www.molit.go.kr/rss/news.xml",
        name="MOLIT press releases",
        organisation="molit",
        region="sejong",
        topics=["transport"],
        section="policy-trend",
        rules=[{"contains": "자율주행", "topic": "transport"}],
    )

    assert source.slug == "molit-press-releases"
    assert source.organisation.slug == "molit"
    assert source.region.slug == "sejong"
    assert [topic.slug for topic in source.topics.all()] == ["transport"]
    assert source.schedule_minutes == 360
    assert source.active


def test_a_korean_name_gets_a_slug_from_the_address_and_slugs_stay_unique():
    first = create_source(
        kind="listing",
        url="https://www.sejong.go.kr/bbs/R0071/list.do",
        name="세종시 보도자료",
    )
    second = create_source(
        kind="listing",
        url="https://www.sejong.go.kr/bbs/R0071/list.do",
        name="세종시 보도자료",
    )

    assert first.slug == "sejong-go-kr-bbs-r0071-list-do"
    assert second.slug == "sejong-go-kr-bbs-r0071-list-do-2"
    assert first.name == "세종시 보도자료"


def test_bad_fields_are_refused_each_with_its_own_message():
    with pytest.raises(SourceError) as refused:
        create_source(
            kind="gopher",
            url="ftp://example.org/feed",
            language="fr",
            schedule_minutes=1,
            config=["not", "a", "mapping"],
            rules=[{"contains": "x", "colour": "red"}],
            region="atlantis",
        )

    problems = " | ".join(refused.value.problems)
    for field in ("kind", "url", "language", "schedule", "config", "rules", "region"):
        assert f"{field}:" in problems
    assert "colour" in problems
    assert "atlantis" in problems
    assert not Source.objects.filter(url="ftp://example.org/feed").exists()


def test_a_list_is_created_then_updated_by_slug():
    entries = [
        {"name": "MOLIT news", "kind": "rss", "url": "https://www.molit.go.kr/rss"},
        {
            "slug": "kaia-notices",
            "name": "국토교통과학기술진흥원 공지",
            "kind": "listing",
            "url": "https://www.kaia.re.kr/portal/board/list.do",
            "config": {"item": "table.board tbody tr"},
            "active": False,
        },
    ]
    assert load_sources(entries) == (2, 0)

    entries[0]["schedule_minutes"] = 60
    assert load_sources(entries) == (0, 2)
    assert Source.objects.get(slug="molit-news").schedule_minutes == 60
    assert not Source.objects.get(slug="kaia-notices").active


def test_one_bad_entry_and_nothing_is_written():
    before = Source.objects.count()
    entries = [
        {"name": "Good feed", "kind": "rss", "url": "https://good.example/rss"},
        {"name": "Typo feed", "kind": "rss", "url": "htps//typo.example"},
        "just a string",
    ]

    with pytest.raises(SourceError) as refused:
        load_sources(entries)

    assert refused.value.problems[0].startswith("entry 2 (Typo feed): url:")
    assert refused.value.problems[1].startswith("entry 3:")
    assert Source.objects.count() == before
