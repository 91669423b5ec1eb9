"""Korean pages decode to readable text whatever they declare; mojibake is
never returned."""

import pytest

from scis.harvest.encoding import EncodingError, decode, is_mojibake

# "똠" and "햏" exist only in CP949, not in strict EUC-KR: real "EUC-KR"
# sites use them.
BODY = "<p>국토교통부는 28일 스마트도시 국가시범도시 세종 5-1생활권 현황을 발표했다. 똠 햏</p>"


def page(head: str = "") -> str:
    return (
        f"<html><head>{head}<title>스마트도시</title></head><body>{BODY}</body></html>"
    )


def reads_korean(text: str) -> bool:
    return "스마트도시 국가시범도시" in text and "똠 햏" in text


@pytest.mark.parametrize(
    "head",
    [
        '<meta charset="euc-kr">',
        '<meta http-equiv="Content-Type" content="text/html; charset=ks_c_5601-1987">',
        "",  # declares nothing
        '<meta charset="utf-8">',  # declares wrongly
    ],
)
def test_euc_kr_pages_read_as_korean(head):
    assert reads_korean(decode(page(head).encode("cp949"), "", "text/html"))


def test_http_charset_wins_when_it_decodes():
    content = page().encode("cp949")
    assert reads_korean(decode(content, "x-windows-949", "text/html; charset=x"))


def test_wrong_http_charset_is_not_believed():
    # UTF-8 Korean served as ISO-8859-1 would otherwise become "ìŠ¤ë§ˆíŠ¸".
    assert reads_korean(decode(page().encode("utf-8"), "iso-8859-1", "text/html"))
    # EUC-KR served as UTF-8.
    assert reads_korean(decode(page().encode("cp949"), "utf-8", "text/html"))


def test_byte_order_mark_and_xml_declaration():
    assert decode(b"\xef\xbb\xbf<p>hi</p>") == "<p>hi</p>"
    assert decode("스마트".encode("utf-16")) == "스마트"
    xml = '<?xml version="1.0" encoding="euc-kr"?><title>스마트도시</title>'
    assert "스마트도시" in decode(xml.encode("cp949"), "", "application/rss+xml")


def test_western_text_without_a_declaration():
    text = "<p>Le café de la gare, très élégant — “smart”.</p>"
    assert decode(text.encode("cp1252"), "", "text/html") == text
    assert decode(b"", "utf-8", "text/html") == ""


def test_undecodable_bytes_raise_a_clear_error():
    junk = bytes(range(256)) * 4
    # Raised while harvesting, so worded in the portal's language (Korean).
    with pytest.raises(
        EncodingError, match="이 페이지는 UTF-8.* 인코딩으로 읽을 수 없"
    ):
        decode(junk, "utf-8", "text/html")


@pytest.mark.parametrize(
    "wrong",
    [
        "스마트도시".encode().decode("cp1252", errors="replace"),
        "스마트도시".encode().decode("latin-1"),
        "스마트도시".encode("cp949").decode("latin-1"),
        "bad \ufffd byte",
    ],
)
def test_mojibake_is_recognised(wrong):
    assert is_mojibake(wrong)


def test_real_text_is_not_mojibake():
    assert not is_mojibake("스마트도시 Smart City café, naïve Zürich — “quoted” ×2")


def test_euc_kr_page_served_as_utf8_reads_end_to_end(site):
    # The local site labels every .html file "charset=utf-8", as misconfigured
    # servers do; the file itself is EUC-KR (with CP949-only syllables).
    from scis.harvest.extract import extract_page
    from scis.harvest.fetching import Fetcher

    url = site.url("/pages/gyeonggi_notice_euckr.html")
    response = Fetcher(allow_private=True, respect_robots=False).get(url)
    assert response.charset.lower() == "utf-8"
    page = extract_page(response.text(), url)
    assert page.title == "스마트도시 통합플랫폼 기반구축 사업 대상지 선정 결과 알림"
    assert "포천시와 양평군을 선정했다고 밝혔다. 똠방각하 햏" in page.text
    assert "도청로 30" not in page.text
    assert str(page.date) == "2024-05-17"
