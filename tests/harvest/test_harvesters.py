"""Each source kind gathers the right items from recorded payloads served by
the local site (fixtures/sources/): feeds, sitemaps, a bulletin board, an
OAI-PMH repository and a JSON API."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from scis.harvest.fetching import Fetcher
from scis.harvest.harvesters import Gathered, GatherError, harvester_for
from scis.harvest.local_site import Reply
from scis.harvest.models import Source

SOURCES = Path(__file__).parent / "fixtures" / "sources"


# Helpers ---------------------------------------------------------------------


def gather(
    site, kind: str, path: str, config: dict | None = None, **fields
) -> Gathered:
    """Gather a source of `kind` at `path` on the local site."""
    source = Source(
        kind=kind, url=site.url(path), config=config or {}, allow_private=True, **fields
    )
    with Fetcher(allow_private=True) as fetcher:
        return harvester_for(source, fetcher).gather()


def payload(site, name: str) -> bytes:
    """A fixture's bytes, with {{BASE}} made the local site's address."""
    return (SOURCES / name).read_bytes().replace(b"{{BASE}}", site.base_url.encode())


def serve_by_query(site, path: str, content_type: str, pick) -> None:
    """Answer `path` with the fixture `pick(query)` names (None: 404); files
    are matched by path only, so pages told apart by query need this."""

    def answer(handler) -> Reply:
        query = {
            key: values[0]
            for key, values in parse_qs(urlsplit(handler.path).query).items()
        }
        name = pick(query)
        if name is None:
            return Reply(404, b"not found", {"Content-Type": "text/plain"})
        return Reply(200, payload(site, name), {"Content-Type": content_type})

    site.route(path, answer)


def requested(site, path: str) -> list[dict[str, str]]:
    """The queries of every request the site answered for `path`."""
    queries = []
    for _method, target in site.requests:
        parts = urlsplit(target)
        if parts.path == path:
            queries.append({k: v[0] for k, v in parse_qs(parts.query).items()})
    return queries


# RSS and Atom ----------------------------------------------------------------


def test_rss_feed_gives_each_press_release(site):
    gathered = gather(site, "rss", "/sources/molit_press.rss")

    assert [entry.guid for entry in gathered.entries] == [
        "molit-95089640",
        "molit-95089711",
        "molit-95089755",
        "molit-95089802",
        "molit-95089830",
    ]
    first = gathered.entries[0]
    assert first.title == "세종 스마트시티 사업시행자로 세종스마트시티㈜ 지정"
    assert first.url == (
        "https://www.molit.go.kr/USR/NEWS/m_71/dtl.jsp?lcmspage=1&id=95089640"
    )
    assert first.date == date(2024, 3, 28)
    assert first.updated == "Thu, 28 Mar 2024 09:00:00 +0900"
    assert first.authors == ["도시경제과"]
    assert first.language == "ko"
    # The description's markup is gone from the summary; the full text is kept.
    assert first.summary.startswith("세종 5-1 생활권 국가시범도시의 사업시행자가")
    assert "21개 서비스를 단계적으로 구축" in first.body_html
    assert gathered.entries[1].body_html == ""
    assert [entry.date for entry in gathered.entries][1:] == [
        date(2024, 4, 2),
        date(2024, 4, 5),
        date(2024, 4, 8),
        date(2024, 4, 10),
    ]
    # A feed shows only its latest items: a missing one was not deleted.
    assert gathered.complete is False
    assert gathered.errors == []
    assert gathered.etag


def test_atom_feed_in_english(site):
    gathered = gather(site, "rss", "/sources/kaia_news.atom")

    data_hub, certification = gathered.entries
    assert data_hub.guid == "tag:kaia.re.kr,2024:news/1187"
    # A relative link is resolved against the feed's address.
    assert data_hub.url == site.url("/en/news/1187")
    assert data_hub.title == (
        "Data hub pilot solutions chosen for Ulsan, Jeju and Jecheon"
    )
    # Published 20:00 UTC on the 27th: the 28th in Korea.
    assert data_hub.date == date(2024, 3, 28)
    assert data_hub.updated == "2024-03-28T01:15:00Z"
    assert data_hub.authors == ["Kim Ji-hye", "Park Min-su"]
    assert data_hub.language == "en"
    assert "2018–2022 R&amp;D programme" in data_hub.body_html
    assert "<script" not in data_hub.body_html
    assert data_hub.summary.startswith("Three cities will test data hub solutions")
    assert certification.url == "https://www.kaia.re.kr/en/news/1190"
    assert certification.date == date(2024, 3, 29)
    assert certification.body_html == ""


def test_rss_1_0_feed(site):
    gathered = gather(site, "rss", "/sources/rdf_feed.rdf")

    (entry,) = gathered.entries
    assert entry.url == "https://www.auri.re.kr/news/view.do?seq=412"
    assert entry.guid
    assert entry.title == "스마트도시 인증제 운영 성과 분석 보고서 발간"
    assert entry.date == date(2024, 3, 28)
    assert entry.authors == ["이수진"]


def test_euc_kr_feed_reads_as_korean(site):
    feed = (
        payload(site, "molit_press.rss")
        .decode()
        .replace('encoding="UTF-8"', 'encoding="EUC-KR"')
        .encode("cp949")
    )
    site.route("/euc-kr.rss", Reply(200, feed, {"Content-Type": "application/xml"}))

    gathered = gather(site, "rss", "/euc-kr.rss")

    assert (
        gathered.entries[0].title
        == "세종 스마트시티 사업시행자로 세종스마트시티㈜ 지정"
    )
    assert gathered.errors == []


def test_unchanged_feed_answers_not_modified(site):
    first = gather(site, "rss", "/sources/molit_press.rss")

    again = gather(
        site,
        "rss",
        "/sources/molit_press.rss",
        etag=first.etag,
        last_modified=first.last_modified,
    )

    assert again.not_modified is True
    assert again.entries == []
    assert again.etag == first.etag


def test_malformed_feed_says_where_it_breaks(site):
    with pytest.raises(GatherError) as error:
        gather(site, "rss", "/sources/malformed.rss")

    message = str(error.value)
    assert site.url("/sources/malformed.rss") in message
    assert "not well-formed XML (line" in message
    assert "check that the URL points at the feed" in message


def test_feed_with_recoverable_errors_keeps_its_entries_and_warns(site):
    gathered = gather(site, "rss", "/sources/recoverable.rss")

    assert [entry.title for entry in gathered.entries] == [
        "공유주차 & 전동킥보드 서비스 확대",
        "스마트 횡단보도 20곳 추가 설치",
    ]
    # Without a <guid>, the link identifies the item.
    assert gathered.entries[0].guid == (
        "https://www.bucheon.go.kr/site/board/view.do?seq=3021"
    )
    ((url, message),) = gathered.errors
    assert url == site.url("/sources/recoverable.rss")
    assert "2 entries were recovered" in message


def test_html_page_given_as_feed_is_refused(site):
    site.route(
        "/news.html",
        Reply(
            200,
            "<html><body><h1>보도자료</h1><p>목록</p></body></html>".encode(),
            {"Content-Type": "text/html; charset=utf-8"},
        ),
    )

    with pytest.raises(GatherError, match="is not an RSS or Atom feed"):
        gather(site, "rss", "/news.html")


# Sitemaps ------------------------------------------------------------------------


def serve_sitemap_index(site) -> None:
    site.route(
        "/sources/sitemap_index.xml",
        Reply(
            200, payload(site, "sitemap_index.xml"), {"Content-Type": "application/xml"}
        ),
    )


def test_sitemap_index_reads_every_child_including_gzipped(site):
    serve_sitemap_index(site)

    gathered = gather(site, "sitemap", "/sources/sitemap_index.xml")

    by_url = {entry.url: entry for entry in gathered.entries}
    assert sorted(by_url) == [
        "https://www.sejong.go.kr/smartcity/about/pilot-city.do",
        "https://www.sejong.go.kr/smartcity/en/news/view.do?nttId=24018",
        "https://www.sejong.go.kr/smartcity/news/view.do?nttId=23990",
        "https://www.sejong.go.kr/smartcity/news/view.do?nttId=24017",
        "https://www.sejong.go.kr/smartcity/news/view.do?nttId=24031",
    ]
    news = by_url["https://www.sejong.go.kr/smartcity/news/view.do?nttId=24031"]
    assert news.guid == news.url
    assert news.title == "세종 5-1 생활권 스마트시티 시민참여 설명회 개최"
    assert news.date == date(2024, 3, 28)
    assert news.updated == "2024-03-28T09:00:00+09:00"
    from_gzip = by_url["https://www.sejong.go.kr/smartcity/news/view.do?nttId=23990"]
    assert from_gzip.date == date(2024, 3, 20)
    assert from_gzip.updated == "2024-03-20"
    # Every child was read: what is missing next time was deleted.
    assert gathered.complete is True
    assert gathered.errors == []


def test_sitemap_include_and_exclude_filter_urls(site):
    serve_sitemap_index(site)

    gathered = gather(
        site,
        "sitemap",
        "/sources/sitemap_index.xml",
        {"include": r"/news/view\.do", "exclude": "/en/"},
    )

    assert sorted(entry.url.rsplit("=", 1)[1] for entry in gathered.entries) == [
        "23990",
        "24017",
        "24031",
    ]


def test_failing_child_sitemap_is_recorded_and_the_rest_kept(site):
    broken = site.url("/sources/sitemap_gone.xml")
    site.route(
        "/sources/index.xml",
        Reply(
            200,
            f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>{broken}</loc></sitemap>
  <sitemap><loc>{site.url("/sources/sitemap_news.xml")}</loc></sitemap>
</sitemapindex>""".encode(),
            {"Content-Type": "application/xml"},
        ),
    )

    gathered = gather(site, "sitemap", "/sources/index.xml")

    assert len(gathered.entries) == 3
    ((url, message),) = gathered.errors
    assert url == broken
    assert "HTTP 404" in message
    assert gathered.complete is False


def test_sitemap_with_a_bad_include_pattern_names_the_setting(site):
    with pytest.raises(
        GatherError, match="`include` setting '/news/\\(' is not a valid"
    ):
        gather(site, "sitemap", "/sources/sitemap_news.xml", {"include": "/news/("})


def test_feed_given_as_sitemap_is_refused(site):
    with pytest.raises(GatherError, match="root element is <rss>"):
        gather(site, "sitemap", "/sources/molit_press.rss")


# Bulletin board listings ---------------------------------------------------------

BOARD = {
    "item": "table.bbs_list tbody tr",
    "link": "td.subject a",
    "date": "td.date",
    "guid_param": "nttId",
}


def serve_board(site, broken_page: str | None = None) -> None:
    """board.html?page=N answers board-N.html; past page 3 it shows page 3
    again, as many boards do."""

    def answer(handler) -> Reply:
        page = parse_qs(urlsplit(handler.path).query).get("page", ["1"])[0]
        if page == broken_page:
            return Reply(500, b"Internal Server Error", {"Content-Type": "text/plain"})
        name = f"board-{min(int(page), 3)}.html"
        return Reply(
            200, payload(site, name), {"Content-Type": "text/html; charset=utf-8"}
        )

    site.route("/sources/board.html", answer)


def test_board_follows_next_links_to_the_last_page(site):
    serve_board(site)

    gathered = gather(
        site, "listing", "/sources/board.html?page=1", {**BOARD, "next": "a.next"}
    )

    titles = [entry.title for entry in gathered.entries]
    assert titles == [
        "[공지] 스마트시티 누리집 이용 안내",
        "세종 5-1 생활권 스마트시티 시민참여 설명회 개최",
        "스마트시티 리빙랩 시민참여단 2기 모집",
        "자율주행 셔틀 BRT 노선 시범운행 일정 안내",
        "디지털 트윈 플랫폼 시민 체험관 운영",
        "수요응답형 버스 대기시간 13분으로 단축",
        "스마트 횡단보도 설치 구간 확대",
        "2024년 스마트도시 아카데미 수강생 모집",
        "세종 국가시범도시 에너지 자립 실증 결과 공유",
        "스마트시티 통합플랫폼 119 연계 서비스 개시",
    ]
    first_post = gathered.entries[1]
    # The link is resolved against the page; the guid keeps only nttId, so
    # it does not change when the post moves to another page.
    assert first_post.url == site.url(
        "/sources/view.do?nttId=24031&pageIndex=1&searchCnd=0"
    )
    assert first_post.guid == site.url("/sources/view.do?nttId=24031")
    assert first_post.date == date(2024, 3, 28)
    assert first_post.updated == "2024.03.28"
    assert gathered.entries[-1].date == date(2024, 2, 20)
    # The pinned notice repeated on every page is listed once.
    assert titles.count("[공지] 스마트시티 누리집 이용 안내") == 1
    # The javascript: row cannot be followed: skipped, and said so.
    ((url, message),) = gathered.errors
    assert url == site.url("/sources/board.html?page=1")
    assert "개인정보처리방침 개정 안내" in message
    assert "javascript:" in message
    assert [query.get("page") for query in requested(site, "/sources/board.html")] == [
        "1",
        "2",
        "3",
    ]
    assert gathered.complete is True


def test_euc_kr_board_reads_as_korean(site):
    page = (
        payload(site, "board-2.html")
        .decode()
        .replace('<meta charset="utf-8">', '<meta charset="euc-kr">')
        .encode("cp949")
    )
    site.route("/euc-kr-board.html", Reply(200, page, {"Content-Type": "text/html"}))

    gathered = gather(site, "listing", "/euc-kr-board.html", BOARD)

    assert gathered.entries[1].title == "디지털 트윈 플랫폼 시민 체험관 운영"
    assert gathered.entries[1].date == date(2024, 3, 21)


def test_board_with_page_numbers_stops_at_max_pages(site):
    serve_board(site)

    gathered = gather(
        site,
        "listing",
        "/sources/board.html?page=1",
        {**BOARD, "page_param": "page", "max_pages": 2},
    )

    assert len(gathered.entries) == 8  # notice + 3 posts, then 4 posts
    assert [query["page"] for query in requested(site, "/sources/board.html")] == [
        "1",
        "2",
    ]
    # Pages were left unread: a post missing from this run was not deleted.
    assert gathered.complete is False


def test_board_with_page_numbers_ends_where_pages_repeat(site):
    serve_board(site)

    gathered = gather(
        site, "listing", "/sources/board.html?page=1", {**BOARD, "page_param": "page"}
    )

    assert len(gathered.entries) == 10
    assert [query["page"] for query in requested(site, "/sources/board.html")] == [
        "1",
        "2",
        "3",
        "4",
    ]
    assert gathered.complete is True


def test_failing_second_board_page_keeps_the_first(site):
    serve_board(site, broken_page="2")

    gathered = gather(
        site, "listing", "/sources/board.html?page=1", {**BOARD, "next": "a.next"}
    )

    assert [entry.title for entry in gathered.entries] == [
        "[공지] 스마트시티 누리집 이용 안내",
        "세종 5-1 생활권 스마트시티 시민참여 설명회 개최",
        "스마트시티 리빙랩 시민참여단 2기 모집",
        "자율주행 셔틀 BRT 노선 시범운행 일정 안내",
    ]
    failed = [
        (url, message) for url, message in gathered.errors if "HTTP 500" in message
    ]
    assert failed == [
        (
            site.url("/sources/board.html?page=2"),
            f"{site.url('/sources/board.html?page=2')} answered HTTP 500; check the "
            "address, or wait if the site is down (the next run retries).",
        )
    ]
    assert gathered.complete is False


def test_board_whose_rows_do_not_match_says_to_check_the_selector(site):
    serve_board(site)

    with pytest.raises(GatherError, match="No rows .* match the `item` selector"):
        gather(site, "listing", "/sources/board.html", {"item": "ul.board-list li"})


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({}, "no `item` setting"),
        ({"item": "tr", "date": "td..date"}, "`date` selector 'td..date' is not valid"),
    ],
)
def test_board_settings_errors_name_the_setting(site, config, expected):
    serve_board(site)

    with pytest.raises(GatherError, match=expected):
        gather(site, "listing", "/sources/board.html", config)


def test_board_whose_next_link_runs_a_script_is_not_taken_for_the_end(site):
    page = payload(site, "board-1.html").replace(
        b'class="next" href="board.html?page=2"',
        b'class="next" href="javascript:fn_link_page(2);"',
    )
    site.route(
        "/sources/script-board.html",
        Reply(200, page, {"Content-Type": "text/html; charset=utf-8"}),
    )

    gathered = gather(
        site, "listing", "/sources/script-board.html", {**BOARD, "next": "a.next"}
    )

    assert len(gathered.entries) == 4
    assert any(
        "set `page_param` to the page number parameter instead" in message
        for _url, message in gathered.errors
    )
    # Pages 2 and 3 exist but were not read: nothing may be called deleted.
    assert gathered.complete is False


def test_board_with_a_bad_max_pages_names_the_setting(site):
    serve_board(site)

    with pytest.raises(GatherError, match="`max_pages` setting must be a whole"):
        gather(
            site,
            "listing",
            "/sources/board.html",
            {**BOARD, "page_param": "page", "max_pages": "all"},
        )


# OAI-PMH ---------------------------------------------------------------------------


def serve_oai(site) -> None:
    def pick(query: dict[str, str]) -> str | None:
        if query.get("resumptionToken") == "smartcity!2!oai_dc":
            return "oai_page2.xml"
        if query.get("metadataPrefix") != "oai_dc":
            return "oai_error.xml"
        if query.get("from"):
            return "oai_no_records.xml"
        return "oai_page1.xml"

    serve_by_query(site, "/oai/request", "text/xml; charset=utf-8", pick)


def test_oai_records_across_a_resumption_token(site):
    serve_oai(site)

    gathered = gather(site, "oai", "/oai/request", {"set": "smartcity"})

    assert [entry.guid for entry in gathered.entries] == [
        "oai:repository.krihs.re.kr:10.23000/TRKO202400001",
        "oai:repository.krihs.re.kr:10.23000/TRKO202400007",
        "oai:repository.krihs.re.kr:10.23000/TRKO202300088",
        "oai:repository.krihs.re.kr:10.23000/TRKO202300042",
    ]
    report = gathered.entries[0]
    # The http identifier is the URL, not the report number before it.
    assert report.url == "https://repository.krihs.re.kr/handle/2017.oak/41234"
    assert report.title == "스마트도시 데이터허브 확산을 위한 제도 개선 방안"
    assert report.authors == ["김은정", "이상훈"]
    assert report.summary.startswith("데이터허브 실증도시 대구와 시흥의")
    assert report.date == date(2024, 2, 29)
    assert report.language == "ko"
    assert report.updated == "2024-03-15T06:12:40Z"
    assert report.extra["subject"] == ["스마트도시", "데이터허브"]
    english = gathered.entries[1]
    assert english.language == "en"
    assert english.authors == ["Choi, Yuna"]
    # A bare year gives no day; the first full date is used.
    assert english.date == date(2024, 3, 10)
    deleted = gathered.entries[3]
    assert deleted.extra == {"deleted": True}
    assert deleted.updated == "2024-03-22T00:00:00Z"
    assert requested(site, "/oai/request") == [
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "smartcity"},
        {"verb": "ListRecords", "resumptionToken": "smartcity!2!oai_dc"},
    ]
    assert gathered.complete is True


def test_incremental_oai_harvest_with_nothing_new(site):
    serve_oai(site)

    gathered = gather(site, "oai", "/oai/request", {"from": "2024-04-01"})

    assert gathered.entries == []
    assert gathered.errors == []
    assert requested(site, "/oai/request")[0]["from"] == "2024-04-01"
    # Only changes since `from` were asked for: nothing can be called deleted.
    assert gathered.complete is False


def test_oai_error_is_reported_with_the_repository_message(site):
    serve_oai(site)

    with pytest.raises(GatherError) as error:
        gather(site, "oai", "/oai/request", {"metadata_prefix": "mods"})

    message = str(error.value)
    assert "cannotDisseminateFormat" in message
    assert "'mods' is not supported by the item or by the repository." in message
    assert "metadata_prefix" in message


# JSON APIs ---------------------------------------------------------------------------

LH_API = {
    "items": "data.items",
    "next": "links.next",
    "fields": {
        "guid": "id",
        "url": "link",
        "title": "title",
        "date": "regDate",
        "summary": "summary",
        "authors": "writer",
        "language": "lang",
    },
}


def serve_api(site) -> None:
    serve_by_query(
        site,
        "/sources/api.json",
        "application/json; charset=utf-8",
        lambda query: f"api_page{query.get('page', '1')}.json",
    )


def test_json_api_pages_are_followed_and_fields_mapped(site):
    serve_api(site)

    gathered = gather(site, "json", "/sources/api.json", LH_API)

    assert [entry.guid for entry in gathered.entries] == [
        "LH-2024-0412",
        "LH-2024-0405",
        "LH-2024-0328",
    ]
    korean, english, third = gathered.entries
    assert korean.url == "https://www.lh.or.kr/board/press/view?id=2024-0412"
    assert korean.title == "LH, 스마트시티 솔루션 확산사업 10곳 착수"
    assert korean.date == date(2024, 4, 12)
    assert korean.authors == ["스마트도시사업처"]
    assert korean.language == "ko"
    # A relative link is resolved against the API's address.
    assert english.url == site.url("/board/press/view?id=2024-0405")
    assert english.summary == (
        "Results from 40 technologies tested in five living-lab fields."
    )
    assert english.language == "en"
    assert third.date == date(2024, 3, 28)
    assert third.authors == []
    # The item without a link is skipped and said so.
    ((url, message),) = gathered.errors
    assert url == site.url("/sources/api.json?page=2")
    assert "Item 2 has no value at the `url` path 'link'" in message
    assert [query.get("page") for query in requested(site, "/sources/api.json")] == [
        None,
        "2",
    ]
    assert gathered.complete is True


def test_json_api_lone_item_given_as_an_object(site):
    # data.go.kr APIs answer a single result as an object, not a list.
    site.route(
        "/openapi/press",
        Reply(
            200,
            json.dumps(
                {
                    "response": {
                        "header": {"resultCode": "00"},
                        "body": {
                            "items": {
                                "item": {
                                    "seq": "5521",
                                    "subject": "스마트도시 인증 신청 접수",
                                    "url": "https://www.molit.go.kr/press/5521",
                                    "regDt": "2024-03-28",
                                }
                            }
                        },
                    }
                },
                ensure_ascii=False,
            ).encode(),
            {"Content-Type": "application/json;charset=UTF-8"},
        ),
    )

    gathered = gather(
        site,
        "json",
        "/openapi/press",
        {
            "items": "response.body.items.item",
            "fields": {
                "guid": "seq",
                "url": "url",
                "title": "subject",
                "date": "regDt",
            },
        },
    )

    (entry,) = gathered.entries
    assert (entry.guid, entry.title, entry.date) == (
        "5521",
        "스마트도시 인증 신청 접수",
        date(2024, 3, 28),
    )
    assert gathered.complete is True


def test_json_api_mapping_without_url_names_the_missing_key(site):
    serve_api(site)
    config = {**LH_API, "fields": {"title": "title"}}

    with pytest.raises(GatherError, match="`fields` mapping lacks url"):
        gather(site, "json", "/sources/api.json", config)


def test_json_api_items_path_that_finds_nothing(site):
    serve_api(site)

    with pytest.raises(GatherError, match="`items` path 'response.body.items' finds"):
        gather(
            site,
            "json",
            "/sources/api.json",
            {**LH_API, "items": "response.body.items"},
        )


def test_json_api_answering_html_is_refused_clearly(site):
    site.route(
        "/api/docs",
        Reply(
            200, b"<html><body>API guide</body></html>", {"Content-Type": "text/html"}
        ),
    )

    with pytest.raises(GatherError, match=r"is not valid JSON \(line 1, column 1"):
        gather(site, "json", "/api/docs", LH_API)


# The registry ------------------------------------------------------------------------


def test_unknown_kind_is_refused_with_the_kinds_there_are():
    source = Source(kind="ftp", url="ftp://example.org/", config={})

    with Fetcher() as fetcher, pytest.raises(GatherError) as error:
        harvester_for(source, fetcher)

    assert "No harvester for source kind 'ftp'" in str(error.value)
    assert "json, listing, oai, rss, sitemap" in str(error.value)


@pytest.mark.parametrize("kind", [choice.value for choice in Source.Kind])
def test_every_source_kind_has_a_harvester(kind):
    with Fetcher() as fetcher:
        harvester = harvester_for(
            Source(kind=kind, url="https://example.org/"), fetcher
        )

    assert harvester.kind == kind
