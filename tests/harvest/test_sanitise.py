"""Harvested HTML is reduced to one allow-list before it is stored."""

from scis.harvest.sanitise import clean_html, plain_text

BASE = "https://www.molit.go.kr/USR/NEWS/list.jsp"


def test_scripts_styles_and_event_handlers_are_gone():
    html = (
        '<div onclick="steal()"><script>alert("x")</script><style>p{}</style>'
        '<p onmouseover="x()">본문</p><iframe src="https://evil.example/">'
        "frame text</iframe></div>"
    )
    cleaned = clean_html(html, BASE)
    assert cleaned == "<p>본문</p>"


def test_links_and_images_become_absolute_http_only():
    html = (
        '<p><a href="/USR/view.jsp?id=1" target="_blank">보도자료</a> '
        '<a href="javascript:alert(1)">나쁜 링크</a> '
        '<img src="img/photo.jpg" alt="사진" onerror="x()">'
        '<img src="data:image/png;base64,AAAA" alt="inline"></p>'
    )
    cleaned = clean_html(html, BASE)
    assert (
        '<a href="https://www.molit.go.kr/USR/view.jsp?id=1" '
        'rel="noopener nofollow">보도자료</a>'
    ) in cleaned
    assert "javascript" not in cleaned
    assert "나쁜 링크" in cleaned  # the text stays, the link goes
    assert '<img src="https://www.molit.go.kr/USR/NEWS/img/photo.jpg" alt="사진">' in (
        cleaned
    )
    assert "data:" not in cleaned
    assert "inline" not in cleaned


def test_structure_an_editor_needs_is_kept():
    html = (
        "<h2>개요</h2><ul><li>하나</li></ul><table><tr><th>구분</th><td>값</td></tr>"
        "</table><blockquote>인용</blockquote><figure><figcaption>설명</figcaption>"
        "</figure><p><strong>굵게</strong> <em>기울임</em></p>"
    )
    cleaned = clean_html(html)
    for tag in ("<h2>", "<ul>", "<li>", "<table>", "<th>", "<td>", "<blockquote>"):
        assert tag in cleaned
    assert "<figcaption>설명</figcaption>" in cleaned
    assert "<strong>굵게</strong>" in cleaned


def test_layout_markup_is_unwrapped_keeping_text():
    cleaned = clean_html('<div class="x"><span style="color:red">글자</span></div>')
    assert cleaned == "글자"


def test_empty_spacing_paragraphs_are_dropped():
    html = "<p>첫째</p><p>&nbsp;</p><p> <br> </p><p><span>\xa0</span></p><p>둘째</p>"
    assert clean_html(html) == "<p>첫째</p><p>둘째</p>"


def test_plain_text_keeps_paragraphs_and_lines():
    html = (
        "<p>첫 문단\n   이어짐</p>\n\n<ul>\n <li>하나</li>\n <li>둘</li>\n</ul>"
        "<p>줄<br>바꿈</p><script>var x = 1;</script>"
    )
    assert plain_text(html) == "첫 문단 이어짐\n\n하나\n둘\n\n줄\n바꿈"


def test_empty_input():
    assert clean_html("") == ""
    assert plain_text("   ") == ""
