"""Turning WordPress post text into SCIS rich text."""

from scis.wordpress import content
from scis.wordpress.media import upload_key


def test_caption_shortcode_keeps_the_picture_and_its_caption():
    raw = (
        '[caption id="attachment_5" align="aligncenter" width="300"]'
        '<img src="https://old.example/wp-content/uploads/a-300x200.jpg" alt="조감도" /> '
        "세종 5-1 생활권 조감도[/caption]"
    )
    body = content.clean_body(raw)
    assert "[caption" not in body and "[/caption]" not in body
    assert (
        '<img src="https://old.example/wp-content/uploads/a-300x200.jpg" alt="조감도">'
        in body
    )
    assert "<p>세종 5-1 생활권 조감도</p>" in body


def test_other_shortcodes_are_replaced_by_what_they_show():
    raw = (
        '앞 문단\n\n[gallery ids="1,2"]\n\n[embed]https://youtu.be/abc[/embed]\n\n'
        '[video src="https://old.example/v.mp4"][/video]\n\n[note]감싼 글[/note]'
    )
    body = content.clean_body(raw)
    assert "[" not in body
    assert '<a href="https://youtu.be/abc">' in body
    assert '<a href="https://old.example/v.mp4">' in body
    assert "감싼 글" in body
    assert content.video_url(raw) == "https://youtu.be/abc"


def test_blank_lines_become_paragraphs_as_wordpress_shows_them():
    body = content.clean_body("첫째 줄\n둘째 줄\n\n<h2>제목</h2>\n\n셋째 문단")
    assert body == "<p>첫째 줄<br>\n둘째 줄</p>\n<h2>제목</h2>\n<p>셋째 문단</p>"
    block_editor = "<!-- wp:paragraph -->\n<p>하나</p>\n<!-- /wp:paragraph -->"
    assert content.clean_body(block_editor) == "<p>하나</p>"


def test_sanitising_drops_scripts_handlers_and_javascript_links():
    body = content.clean_body(
        '<p onclick="x()">본문<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">나쁜 링크</a><iframe src="https://x"></iframe>'
        '<img src="x.png" onerror="steal()">'
    )
    assert "script" not in body and "alert" not in body
    assert "onclick" not in body and "onerror" not in body
    assert "iframe" not in body
    assert "<p>본문</p>" in body


def test_summary_prefers_the_excerpt_then_whole_first_sentences():
    assert content.summary("요약입니다.", "<p>본문</p>") == "요약입니다."
    body = "<p>" + "첫 문장입니다. " * 3 + "x" * 400 + "</p>"
    summary = content.summary("", body)
    assert summary.startswith("첫 문장입니다. 첫 문장입니다.")
    assert len(summary) <= 300


def test_language_is_told_by_the_share_of_hangul():
    assert (
        content.detect_language("국토교통부는 K-City Network 2차 공모를 시작했다")
        == "ko"
    )
    assert (
        content.detect_language("MOLIT opened the K-City Network call in 세종") == "en"
    )
    assert content.detect_language("2024 — 123", default="en") == "en"


def test_resized_copies_stand_for_their_upload():
    original = "https://old.example/wp-content/uploads/2024/03/photo.jpg"
    assert upload_key(
        "https://old.example/wp-content/uploads/2024/03/photo-300x200.jpg"
    ) == (upload_key(original))
    assert upload_key(
        "https://old.example/wp-content/uploads/2024/03/photo-scaled.jpg"
    ) == (upload_key(original))
