"""The two portal languages: switcher, alternates, fallbacks, dates."""

import re

import pytest

from scis.news.models import NewsPage
from tests.factories import NewsPageFactory


def _switcher_links(html: str) -> dict[str, str]:
    nav = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    return {
        code: href for href, code in re.findall(r'href="([^"]+)" hreflang="(\w+)"', nav)
    }


@pytest.mark.django_db
def test_switcher_lands_on_the_same_record_in_the_other_language(client):
    ko = NewsPage.objects.get(
        slug="2024-sejong-pilot-city-operator-designated", locale__language_code="ko"
    )
    en = ko.get_translation(ko.get_translations().first().locale)
    html = client.get(ko.url).content.decode()
    assert _switcher_links(html)["en"] == en.url
    back = client.get(en.url).content.decode()
    assert _switcher_links(back)["ko"] == ko.url


@pytest.mark.django_db
def test_pages_declare_hreflang_alternates(client):
    ko = NewsPage.objects.filter(locale__language_code="ko").first()
    html = client.get(ko.url).content.decode()
    assert f'hreflang="ko" href="http://testserver{ko.url}"' in html
    en_url = ko.get_translations().first().url
    assert f'hreflang="en" href="http://testserver{en_url}"' in html
    assert 'hreflang="x-default"' in html


@pytest.mark.django_db
def test_interface_strings_follow_the_language(client):
    ko = client.get("/records/").content.decode()
    en = client.get("/en/records/").content.decode()
    assert "필터 적용" in ko and "Apply filters" not in ko
    assert "Apply filters" in en
    assert "본문 바로가기" in ko and "Skip to content" in en


@pytest.mark.django_db
def test_untranslated_record_is_listed_in_english_with_a_note(client):
    page = NewsPageFactory(
        title="번역되지 않은 소식", slug="untranslated-news", parent_path="news/special"
    )
    listing = client.get("/en/news/special/").content.decode()
    assert "번역되지 않은 소식" in listing
    assert "Not yet translated: shown in the original language." in listing
    detail = client.get(page.url).content.decode()
    assert "이 기록은 아직 English 번역본이 없습니다." in detail
    assert "(번역 없음)" in detail


@pytest.mark.django_db
def test_dates_follow_the_language(client):
    ko = NewsPage.objects.get(
        slug="2024-sejong-pilot-city-operator-designated", locale__language_code="ko"
    )
    en = ko.get_translations().first()
    assert "2024년 3월 27일" in client.get(ko.url).content.decode()
    assert "27 March 2024" in client.get(en.url).content.decode()
