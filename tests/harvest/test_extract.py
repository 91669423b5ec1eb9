"""Extraction of real-looking pages: the body, title and date an editor
expects, and none of the site's menus, footers or board chrome."""

from datetime import date
from pathlib import Path

import pytest

from scis.harvest.extract import extract_page

PAGES = Path(__file__).parent / "fixtures" / "pages"


def extract(name: str, url: str):
    return extract_page((PAGES / name).read_text(encoding="utf-8"), url)


@pytest.fixture(scope="module")
def press_release():
    return extract(
        "molit_press_release.html",
        "https://www.molit.go.kr/USR/NEWS/m_71/dtl.jsp?id=95089766",
    )


@pytest.fixture(scope="module")
def city_news():
    return extract(
        "sejong_news.html",
        "https://www.sejong.go.kr/kor/sub03_01.do?mode=view&articleNo=5552",
    )


@pytest.fixture(scope="module")
def english_news():
    return extract("kaia_english_news.html", "https://www.kaia.re.kr/eng/news/121")


def test_ministry_press_release_board_view(press_release):
    assert press_release.title == (
        "세종 스마트시티 국가시범도시 5-1생활권, 첫 입주 앞두고 자율주행 셔틀 운행 시작"
    )
    assert press_release.date == date(2024, 3, 28)
    assert press_release.language == "ko"
    assert press_release.text.startswith("국토교통부(장관 박상우)는 세종 스마트시티")
    assert "디지털트윈을 포함한 21개 서비스" in press_release.text
    assert press_release.text.count("\n\n") == 3  # four paragraphs
    assert press_release.summary.startswith("국토교통부(장관 박상우)는")


@pytest.mark.parametrize(
    "chrome",
    [
        "주메뉴 바로가기",  # skip links
        "주택토지",  # main menu
        "카드뉴스",  # side menu
        "담당부서",  # board header row
        "조회수",
        ".hwp",  # attachment list
        "미리보기",
        "이전글",  # previous/next links
        "만족하십니까",  # satisfaction survey
        "도움6로",  # footer address
        "Copyright",
        "menuNo",  # script
    ],
)
def test_press_release_leaves_out_site_chrome(press_release, chrome):
    assert chrome not in press_release.text
    assert chrome not in press_release.body_html


def test_press_release_images_are_absolute(press_release):
    assert press_release.images == [
        {
            "src": "https://www.molit.go.kr/upload/press/2024/0328_shuttle.jpg",
            "alt": "세종 5-1생활권 자율주행 셔틀",
        }
    ]
    assert 'src="https://www.molit.go.kr/upload/press/' in press_release.body_html


def test_local_government_news(city_news):
    assert city_news.title == "세종시, 스마트 버스정류장 20곳 추가 설치"
    # The date written next to 작성일, not the page's 최종수정일 (2024-05-10).
    assert city_news.date == date(2024, 4, 2)
    assert city_news.summary == (
        "세종시가 스마트 버스정류장 20곳을 추가로 설치해 냉난방과 실시간 버스 정보를 "
        "제공한다."
    )
    assert "냉난방기와 공기청정기" in city_news.text
    for chrome in (
        "시장 인사말",
        "작성자",
        "첨부파일",
        "설치위치.xlsx",
        "다음글",
        "한누리대로",
    ):
        assert chrome not in city_news.text
    assert [image["src"] for image in city_news.images] == [
        "https://www.sejong.go.kr/upload/news/2024/smart_shelter_main.jpg",
        "https://www.sejong.go.kr/upload/news/2024/smart_shelter_1.jpg",
    ]


def test_english_article(english_news):
    assert english_news.title == "Busan Eco Delta City opens data hub to start-ups"
    # The original publication date, not the "updated" one.
    assert english_news.date == date(2024, 5, 14)
    assert english_news.language == "en"
    assert english_news.text.startswith("The national pilot smart city at Busan")
    assert (
        "selected as national pilot smart cities in January 2018" in english_news.text
    )
    for chrome in ("R&D Programmes", "Related news", "Simin-daero", "Privacy Policy"):
        assert chrome not in english_news.text
    assert english_news.images[0]["src"] == (
        "https://www.kaia.re.kr/images/news/2024/edc-data-hub.jpg"
    )


def test_page_without_a_known_board_uses_the_general_extractor():
    paragraphs = "".join(
        f"<p>스마트도시 통합플랫폼 보급 사업 {n}단계에서는 112와 119 상황실을 "
        f"도시 CCTV 센터와 연계해 시민 안전을 높인다. 올해 {n}개 지자체가 참여한다.</p>"
        for n in range(1, 5)
    )
    html = (
        "<html><head><title>통합플랫폼 보급 확대 - 행정안전부</title></head><body>"
        "<nav><ul><li><a href='/a'>기관소개</a></li><li><a href='/b'>정책자료</a>"
        "</li></ul></nav><div id='article'><h2>통합플랫폼 보급 확대</h2>"
        f"<p class='date'>등록일 : 24.3.4.</p>{paragraphs}</div>"
        "<footer>개인정보처리방침 Copyright</footer></body></html>"
    )
    result = extract_page(html, "https://www.mois.go.kr/news/1")
    assert result.title == "통합플랫폼 보급 확대"
    assert result.date == date(2024, 3, 4)
    assert "4단계에서는 112와 119 상황실" in result.text
    assert "기관소개" not in result.text
    assert "개인정보처리방침" not in result.text


def test_summary_falls_back_to_a_shortened_first_paragraph():
    long_paragraph = "Smart city data hub pilots continue in Ulsan and Jeju. " * 10
    html = f"<html><body><article><p>{long_paragraph}</p></article></body></html>"
    result = extract_page(html, "https://example.org/a")
    assert result.summary.startswith("Smart city data hub pilots")
    assert len(result.summary) <= 300
    assert result.summary.endswith("…")


def test_empty_page_gives_empty_fields():
    result = extract_page("", "https://example.org/")
    assert (result.title, result.text, result.date) == ("", "", None)


def test_xhtml_page_with_an_xml_declaration():
    html = (
        '<?xml version="1.0" encoding="euc-kr"?>\n<!DOCTYPE html PUBLIC '
        '"-//W3C//DTD XHTML 1.0 Transitional//EN" "x.dtd">'
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="ko"><head>'
        "<title>공지</title></head><body><div class='view_cont'><p>"
        "스마트도시 인증 신청을 6월 30일까지 받는다. 인증을 받은 지자체는 "
        "스마트도시 솔루션 확산 사업에 지원할 때 가점을 받는다.</p></div></body></html>"
    )
    result = extract_page(html, "https://www.example.go.kr/view")
    assert result.text.startswith("스마트도시 인증 신청을 6월 30일까지")
    assert result.language == "ko"


def test_site_wide_og_title_is_not_taken_for_the_headline():
    html = (
        "<html><head><title>시정소식 - 세종특별자치시</title>"
        '<meta property="og:title" content="세종특별자치시"></head><body>'
        "<div class='board-view'><h3 class='subject'>세종시, 자율주행 버스 노선 확대</h3>"
        "<div class='view-body'><p>세종특별자치시는 자율주행 버스 노선을 정부세종청사에서 "
        "오송역까지 확대해 하루 20회 운행한다고 밝혔다. 요금은 일반 버스와 같다.</p>"
        "</div></div></body></html>"
    )
    result = extract_page(html, "https://www.sejong.go.kr/view")
    assert result.title == "세종시, 자율주행 버스 노선 확대"


def test_site_wide_description_is_not_taken_for_the_summary():
    html = (
        '<html><head><title>보도자료</title><meta name="description" content="국토교통부">'
        "</head><body><div class='view_cont'><p>국토교통부는 스마트도시 인증제 "
        "개편안을 마련해 하반기부터 시행한다고 밝혔다.</p></div></body></html>"
    )
    result = extract_page(html, "https://www.molit.go.kr/view")
    assert result.summary.startswith("국토교통부는 스마트도시 인증제 개편안을")
