"""Polite and safe fetching against a real web server on 127.0.0.1 (the
`site` fixture). The tests' own server is a private address, so most tests
use `Fetcher(allow_private=True)`, as an intranet source would."""

import gzip
import threading
import time
import zlib

import pytest

from scis.harvest import addresses
from scis.harvest.fetching import (
    AddressRefused,
    BadStatus,
    Fetcher,
    FetchError,
    FetchTimeout,
    RobotsDisallowed,
    TooLarge,
    TooManyRedirects,
    WrongContentType,
)
from scis.harvest.local_site import Reply

HTML = {"Content-Type": "text/html; charset=utf-8"}
NOTICE = "fetch/notice.html"


@pytest.fixture
def fetcher():
    with Fetcher(allow_private=True) as running:
        yield running


def redirect(to: str) -> Reply:
    return Reply(302, b"", {"Location": to})


def paths(site) -> list[str]:
    return [path for _method, path in site.requests]


# Plain fetching --------------------------------------------------------------


def test_a_page_is_fetched_with_its_validators_and_headers(site, fetcher):
    response = fetcher.get(site.url(NOTICE))

    assert response.status == 200
    assert "국가시범도시 2단계" in response.text()
    assert response.content_type == "text/html"
    assert response.charset == "utf-8"
    assert response.etag.startswith('"')
    assert response.last_modified.endswith("GMT")
    assert response.url == site.url(NOTICE)
    assert ("ETag", response.etag) in response.http_headers  # as received
    assert response.headers["etag"] == response.etag


def test_the_conditional_get_answers_304_with_no_content(site, fetcher):
    first = fetcher.get(site.url(NOTICE))

    again = fetcher.get(site.url(NOTICE), etag=first.etag)
    by_date = fetcher.get(site.url(NOTICE), last_modified=first.last_modified)

    assert again.status == 304 and again.not_modified and again.content == b""
    assert by_date.not_modified


def test_a_gzipped_page_arrives_decompressed(site, fetcher):
    response = fetcher.get(site.url(NOTICE))

    sent = dict(response.http_headers)
    assert sent["Content-Encoding"] == "gzip"  # the fixture server compressed it
    assert response.content == (site.server.root / NOTICE).read_bytes()


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS])
def test_a_deflated_page_arrives_decompressed(site, fetcher, wbits):
    # Servers send "deflate" both zlib-wrapped (as RFC 9110 says) and raw.
    page = "<p>스마트시티 챌린지 사업 공모</p>".encode()
    packer = zlib.compressobj(wbits=wbits)
    body = packer.compress(page) + packer.flush()
    site.route("/deflate", Reply(200, body, {**HTML, "Content-Encoding": "deflate"}))

    assert fetcher.get(site.url("/deflate")).content == page


@pytest.mark.parametrize("status", [404, 500])
def test_an_error_status_raises_bad_status(site, fetcher, status):
    site.route("/broken", Reply(status, b"oops", HTML))

    with pytest.raises(BadStatus) as failed:
        fetcher.get(site.url("/broken"))

    assert failed.value.status == status
    assert f"HTTP {status}" in str(failed.value)


def test_wrong_content_type_is_refused(site, fetcher):
    site.route(
        "/report.zip", Reply(200, b"PK\x03\x04", {"Content-Type": "application/zip"})
    )

    with pytest.raises(WrongContentType, match="application/zip"):
        fetcher.get(site.url("/report.zip"), accept=("text/html",))
    # A prefix, a "+xml" suffix, or no accept at all let types through.
    assert fetcher.get(site.url(NOTICE), accept=("text/",)).status == 200
    site.route("/feed", Reply(200, b"<rss/>", {"Content-Type": "application/rss+xml"}))
    assert fetcher.get(site.url("/feed"), accept=("+xml",)).status == 200
    assert fetcher.get(site.url("/report.zip")).content == b"PK\x03\x04"


def test_the_user_agent_names_the_harvester(site, fetcher):
    seen = []

    def page(handler):
        seen.append(handler.headers["User-Agent"])
        return Reply(200, b"ok", HTML)

    site.route("/ua", page)
    fetcher.get(site.url("/ua"))

    assert seen and seen[0].startswith("SCIS-harvester/")


# Redirects -------------------------------------------------------------------


def test_a_redirect_is_followed_and_the_final_address_kept(site, fetcher):
    site.route("/old", Reply(301, b"", {"Location": "/" + NOTICE}))

    response = fetcher.get(site.url("/old"))

    assert response.url == site.url(NOTICE)
    assert "국토교통부" in response.text()


def test_a_redirect_loop_stops(site, fetcher):
    site.route("/a", redirect("/b"))
    site.route("/b", redirect("/a"))

    with pytest.raises(TooManyRedirects, match="loop"):
        fetcher.get(site.url("/a"))


def test_a_long_redirect_chain_stops_at_the_limit(site):
    for n in range(10):
        site.route(f"/hop{n}", redirect(f"/hop{n + 1}"))

    with (
        Fetcher(allow_private=True, max_redirects=3) as fetcher,
        pytest.raises(TooManyRedirects, match="more than 3"),
    ):
        fetcher.get(site.url("/hop0"))

    assert "/hop4" not in paths(site)


def test_a_redirect_to_the_metadata_address_is_refused_even_for_intranet_sources(
    site, fetcher
):
    site.route("/meta", redirect("http://169.254.169.254/latest/meta-data/"))

    with pytest.raises(AddressRefused) as refused:
        fetcher.get(site.url("/meta"))

    assert "169.254.169.254" in str(refused.value)
    assert "refused for every source" in str(refused.value)


def test_a_redirect_to_a_private_address_is_refused(site, monkeypatch):
    # Let the test server count as a public site, so the fetcher is one for
    # an ordinary (not allow_private) source.
    real = addresses.refusal
    monkeypatch.setattr(
        addresses,
        "refusal",
        lambda address, allow_private=False: (
            "" if address == "127.0.0.1" else real(address, allow_private)
        ),
    )
    site.route("/intranet", redirect("http://10.0.0.1/admin/"))

    with Fetcher() as fetcher, pytest.raises(AddressRefused) as refused:
        fetcher.get(site.url("/intranet"))

    assert "10.0.0.1" in str(refused.value)
    assert "--allow-private" in str(refused.value)


def test_a_redirect_to_another_scheme_is_refused(site, fetcher):
    site.route("/files", redirect("ftp://files.example.go.kr/notice.hwp"))

    with pytest.raises(AddressRefused, match="not an http or https address"):
        fetcher.get(site.url("/files"))


# The address guard -----------------------------------------------------------


def test_a_source_without_allow_private_cannot_reach_loopback(site):
    with Fetcher() as fetcher:
        with pytest.raises(AddressRefused, match="--allow-private"):
            fetcher.get(site.url(NOTICE))
        by_name = site.url(NOTICE).replace("127.0.0.1", "localhost")
        with pytest.raises(AddressRefused, match="localhost resolves to"):
            fetcher.get(by_name)

    assert site.requests == []  # nothing, not even robots.txt, was asked


@pytest.mark.parametrize(
    "host",
    [
        "[::1]",
        "[::ffff:127.0.0.1]",
        "0.0.0.0",  # noqa: S104
        "2130706433",  # 127.0.0.1 written as one number: judged after resolving
        "169.254.169.254",
    ],
)
def test_disguised_local_addresses_are_refused(host):
    with Fetcher() as fetcher, pytest.raises(AddressRefused, match="was not fetched"):
        fetcher.get(f"http://{host}/latest/meta-data/")


@pytest.mark.parametrize(
    "url",
    [
        "ftp://ftp.molit.go.kr/pub/notice.txt",
        "file:///etc/passwd",
        "http://user:secret@www.molit.go.kr/",
        "http:///no-host",
    ],
)
def test_only_plain_web_addresses_are_fetched(fetcher, url):
    with pytest.raises(AddressRefused) as refused:
        fetcher.get(url)

    assert "secret" not in str(refused.value)


# Size and time caps ----------------------------------------------------------


def endless(chunk: bytes, count: int, finished: list):
    for _ in range(count):
        yield chunk
    finished.append(True)


def test_a_50_mb_page_is_refused_without_reading_it_all(site, fetcher):
    finished: list = []
    megabyte = b"<p>" + b"x" * (1024 * 1024 - 3)
    site.route("/huge", lambda _h: Reply(200, endless(megabyte, 50, finished), HTML))

    with pytest.raises(TooLarge, match="HARVEST_MAX_BYTES"):
        fetcher.get(site.url("/huge"))

    assert not finished


def test_a_page_declaring_a_large_size_is_refused_before_reading(site, fetcher):
    finished: list = []
    headers = {**HTML, "Content-Length": str(50 * 1024 * 1024)}
    chunk = b"x" * (1024 * 1024)
    site.route(
        "/declared", lambda _h: Reply(200, endless(chunk, 50, finished), headers)
    )

    with pytest.raises(TooLarge, match="says it is 50.0 MB"):
        fetcher.get(site.url("/declared"))

    assert not finished


def test_a_gzip_bomb_stops_early(site):
    packer = zlib.compressobj(wbits=16 + zlib.MAX_WBITS)
    zeros = b"\0" * (1024 * 1024)
    bomb = b"".join(packer.compress(zeros) for _ in range(64)) + packer.flush()
    assert len(bomb) < 100_000  # small on the wire, 64 MB unpacked
    site.route("/bomb", Reply(200, bomb, {**HTML, "Content-Encoding": "gzip"}))

    with (
        Fetcher(allow_private=True, max_bytes=1024 * 1024) as fetcher,
        pytest.raises(TooLarge, match="unpacks to more"),
    ):
        fetcher.get(site.url("/bomb"))


def test_a_damaged_gzip_body_is_a_clear_error(site, fetcher):
    damaged = gzip.compress(b"<p>hello</p>" * 100)[:20] + b"garbage" * 10
    site.route("/damaged", Reply(200, damaged, {**HTML, "Content-Encoding": "gzip"}))

    with pytest.raises(FetchError, match="damaged gzip body"):
        fetcher.get(site.url("/damaged"))


def test_a_trickling_page_is_stopped_by_the_deadline(site):
    finished: list = []

    def trickle(_handler):
        def drops():
            for _ in range(200):  # 20 s in all, if nobody stops it
                time.sleep(0.1)
                yield b"."
            finished.append(True)

        return Reply(200, drops(), HTML)

    site.route("/slow", trickle)

    # Each byte comes well within the read timeout; only the deadline stops it.
    with (
        Fetcher(allow_private=True, timeout=0.6) as fetcher,
        pytest.raises(FetchTimeout, match="did not answer in full"),
    ):
        fetcher.get(site.url("/slow"))

    assert not finished


def test_headers_trickling_forever_are_stopped_by_the_deadline(site):
    finished: list = []

    def slow_headers(handler):
        try:
            handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for n in range(200):  # 20 s of headers, if nobody stops it
                time.sleep(0.1)
                handler.wfile.write(f"X-Wait-{n}: .\r\n".encode())
                handler.wfile.flush()
        except OSError:
            raise BrokenPipeError from None  # the fetcher hung up, as it should
        finished.append(True)
        raise BrokenPipeError

    site.route("/slow-headers", slow_headers)

    with (
        Fetcher(allow_private=True, timeout=0.6) as fetcher,
        pytest.raises(FetchTimeout),
    ):
        fetcher.get(site.url("/slow-headers"))

    assert not finished


# robots.txt --------------------------------------------------------------------


ROBOTS = """\
User-agent: *
Disallow: /private/

User-agent: SCIS-harvester
Disallow: /board/admin/
"""


def test_robots_txt_disallow_and_allow(site, fetcher):
    site.route(
        "/robots.txt", Reply(200, ROBOTS.encode(), {"Content-Type": "text/plain"})
    )
    site.route("/board/admin/list", Reply(200, b"secret", HTML))

    with pytest.raises(RobotsDisallowed, match="robots.txt forbids it"):
        fetcher.get(site.url("/board/admin/list"))
    assert fetcher.get(site.url(NOTICE)).status == 200

    assert paths(site).count("/robots.txt") == 1  # read once, then remembered
    assert "/board/admin/list" not in paths(site)


def test_robots_txt_is_checked_again_after_a_redirect(site, fetcher):
    site.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /private/\n"))
    site.route("/go", redirect("/private/page"))

    with pytest.raises(RobotsDisallowed):
        fetcher.get(site.url("/go"))
    assert "/private/page" not in paths(site)


def test_a_missing_robots_txt_allows_everything(site, fetcher):
    assert fetcher.get(site.url(NOTICE)).status == 200  # fixtures have none


def test_an_unreachable_robots_txt_means_not_now(site, fetcher):
    site.route("/robots.txt", Reply(503, b"busy", HTML))

    with pytest.raises(RobotsDisallowed, match="could not be read"):
        fetcher.get(site.url(NOTICE))
    assert "/" + NOTICE not in paths(site)


def test_robots_can_be_ignored_when_told(site):
    site.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /\n"))

    with Fetcher(allow_private=True, respect_robots=False) as fetcher:
        assert fetcher.get(site.url(NOTICE)).status == 200
    assert "/robots.txt" not in paths(site)


# Politeness --------------------------------------------------------------------


def recorder(starts: list, pause: float = 0.0, inflight: list | None = None):
    lock = threading.Lock()
    current = [0]

    def page(_handler):
        starts.append(time.monotonic())
        with lock:
            current[0] += 1
            if inflight is not None:
                inflight.append(current[0])
        time.sleep(pause)
        with lock:
            current[0] -= 1
        return Reply(200, b"<p>ok</p>", HTML)

    return page


def test_crawl_delay_spaces_requests_to_one_host(site, fetcher):
    site.route("/robots.txt", Reply(200, b"User-agent: *\nCrawl-delay: 0.4\n"))
    starts: list[float] = []
    site.route("/page", recorder(starts))

    fetcher.get(site.url("/page?n=1"))
    fetcher.get(site.url("/page?n=2"))

    assert len(starts) == 2
    assert starts[1] - starts[0] >= 0.39


def test_host_interval_spaces_requests_from_many_threads(site):
    starts: list[float] = []
    site.route("/page", recorder(starts))

    with Fetcher(allow_private=True, host_interval=0.1, host_concurrency=4) as fetcher:
        threads = [
            threading.Thread(target=fetcher.get, args=(site.url(f"/page?n={n}"),))
            for n in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    starts.sort()
    assert len(starts) == 4
    assert all(b - a >= 0.09 for a, b in zip(starts, starts[1:], strict=False))


def test_host_concurrency_caps_requests_in_flight(site):
    starts: list[float] = []
    inflight: list[int] = []
    site.route("/page", recorder(starts, pause=0.15, inflight=inflight))

    with Fetcher(allow_private=True, host_interval=0, host_concurrency=2) as fetcher:
        threads = [
            threading.Thread(target=fetcher.get, args=(site.url(f"/page?n={n}"),))
            for n in range(6)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert len(starts) == 6
    assert max(inflight) == 2
