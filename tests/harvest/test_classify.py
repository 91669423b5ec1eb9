"""Suggestions an editor can trust: the source's defaults and rules, and the
places, organisations, programmes and topics the item names — not ones that
merely appear inside another word."""

from pathlib import Path

import pytest
from django.utils.translation import override

from scis.harvest import classify
from scis.harvest.extract import extract_page
from scis.harvest.models import Source
from scis.taxonomy.models import Organisation, Programme, Region, Topic

PAGES = Path(__file__).parent / "fixtures" / "pages"

pytestmark = pytest.mark.django_db


def pk(model, slug):
    return model.objects.get(slug=slug).pk


def page(name):
    return extract_page((PAGES / name).read_text(encoding="utf-8"), "")


@pytest.fixture
def source():
    return Source.objects.create(
        name="보도자료", slug="press", kind=Source.Kind.RSS, url="https://x.kr/rss"
    )


def test_korean_press_release(source):
    release = page("molit_press_release.html")
    result = classify.suggest(source, release.title, release.text)
    assert result["regions"][0] == pk(Region, "sejong")
    assert pk(Organisation, "molit") in result["organisations"]
    assert pk(Programme, "national-pilot-city") in result["programmes"]
    # Busan is named once, in passing, deep in the text: not suggested.
    assert pk(Region, "busan") not in result["regions"]
    assert result["section"] == ""
    # Reasons are written at harvest time, in the portal's language (Korean).
    assert any(
        reason.startswith("지역 세종특별자치시: 제목에 언급됨")
        for reason in result["reasons"]
    )


def test_english_article(source):
    article = page("kaia_english_news.html")
    result = classify.suggest(source, article.title, article.text)
    assert result["regions"][0] == pk(Region, "busan")
    assert pk(Organisation, "kaia") in result["organisations"]
    assert pk(Topic, "data") in result["topics"]
    assert pk(Programme, "national-pilot-city") in result["programmes"]


@pytest.mark.parametrize(
    "title",
    [
        "부산대학교 연구팀, 도시 데이터 분석 성과",  # 부산 inside 부산대학교
        "국토교통부 장관 간담회 개최",  # 교통 inside 국토교통부
        "What kind of city do residents want?",  # kind is not KIND
    ],
)
def test_names_inside_other_words_are_not_found(source, title):
    result = classify.suggest(source, title, "")
    assert pk(Region, "busan") not in result["regions"]
    assert pk(Topic, "transport") not in result["topics"]
    assert pk(Organisation, "kind") not in result["organisations"]


def test_short_korean_names_with_particles(source):
    result = classify.suggest(source, "세종시, 부산과 함께 시범도시 성과 공유", "")
    assert {pk(Region, "sejong"), pk(Region, "busan")} <= set(result["regions"])


def test_source_defaults_come_first(source):
    source.section = "policy-trend"
    source.organisation = Organisation.objects.get(slug="molit")
    source.region = Region.objects.get(slug="seoul")
    source.save()
    source.topics.add(Topic.objects.get(slug="energy"))
    result = classify.suggest(source, "Busan smart village", "")
    assert result["section"] == "policy-trend"
    assert result["organisations"][0] == pk(Organisation, "molit")
    assert result["regions"][:2] == [pk(Region, "seoul"), pk(Region, "busan")]
    assert result["topics"][0] == pk(Topic, "energy")
    assert "분류 policy-trend: 수집처 기본값" in result["reasons"]


def test_rules_set_section_and_terms(source):
    source.section = "policy-trend"
    source.rules = [
        {"contains": "자율주행", "in": "title", "topic": "transport"},
        {
            "pattern": r"챌린지\s*공모",
            "section": "policy-project",
            "programme": "city-challenge",
        },
        {"contains": "드론", "topic": "safety"},  # does not apply
        {"contains": "자율주행", "in": "text", "topic": "energy"},  # title only
    ]
    result = classify.suggest(
        source,
        "자율주행 셔틀 운행 시작",
        "스마트시티 챌린지 공모 결과도 함께 발표했다.",
    )
    assert result["section"] == "policy-project"
    assert pk(Topic, "transport") in result["topics"]
    assert pk(Programme, "city-challenge") in result["programmes"]
    assert pk(Topic, "safety") not in result["topics"]
    assert pk(Topic, "energy") not in result["topics"]
    assert "분야 교통: 규칙 “자율주행”" in result["reasons"]


def test_lists_are_capped(source):
    title = " ".join(Region.objects.values_list("name_ko", flat=True)[:12])
    result = classify.suggest(source, title, "")
    assert len(result["regions"]) == classify.MAX_PER_LIST


def test_new_terms_are_found_without_a_restart(source):
    classify.suggest(source, "", "")  # names loaded
    Topic.objects.create(
        slug="mobility-hub", name_ko="모빌리티 허브", name_en="Mobility hub"
    )
    result = classify.suggest(source, "모빌리티 허브 착공", "")
    assert pk(Topic, "mobility-hub") in result["topics"]
    classify.invalidate()  # the test's rollback removes the topic again


def test_rule_problems_are_listed_by_position():
    with override("en"):  # the form shows them in the editor's language
        problems = classify.rule_problems(
            [
                {"contains": "자율주행", "topic": "transport"},
                {"pattern": "(", "topic": "no-such-topic"},
                {"contains": "x"},
            ]
        )
    assert len(problems) == 3
    assert problems[0].startswith("Rule 2: the pattern is not a valid")
    assert "no topic with the slug “no-such-topic”" in problems[1]
    assert problems[2].startswith("Rule 3 names no section")
    assert classify.rule_problems([{"contains": "a", "section": "issue"}]) == []
