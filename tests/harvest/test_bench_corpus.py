"""The harvest benchmark's synthetic source (bench/harvest.py): realistic
sizes and languages, near-duplicates that really are near, served from a
process of its own. The timing itself belongs to `make bench`, not here."""

import feedparser
import httpx

from bench.harvest import make_articles, start_server, write_corpus


def test_articles_are_two_to_four_kilobytes_in_both_languages():
    articles = make_articles(120)

    sizes = [len(" ".join(a.paragraphs).encode("utf-8")) for a in articles]
    assert min(sizes) >= 2_000 and max(sizes) <= 6_000
    languages = {a.language for a in articles}
    assert languages == {"ko", "en"}
    assert len({a.title for a in articles}) > 100


def test_near_duplicates_repeat_an_earlier_article_with_one_change():
    articles = make_articles(200)
    by_number = {a.number: a for a in articles}

    copies = [a for a in articles if a.duplicate_of]
    assert len(copies) >= 5
    for copy in copies:
        original = by_number[copy.duplicate_of]
        changed = [
            pair
            for pair in zip(original.paragraphs, copy.paragraphs, strict=True)
            if pair[0] != pair[1]
        ]
        assert len(changed) == 1
        assert copy.language == original.language


def test_the_corpus_is_served_from_another_process(tmp_path):
    articles = make_articles(30)
    server, base_url = start_server(tmp_path)
    try:
        write_corpus(tmp_path, articles, base_url)
        feed = feedparser.parse(httpx.get(f"{base_url}/feed.xml").content)
        page = httpx.get(feed.entries[0].link)
    finally:
        server.kill()
        server.join()

    assert server.pid is not None
    assert len(feed.entries) == 30
    assert page.status_code == 200
    newest = articles[-1]
    assert newest.title in page.text
    hangul = any("가" <= char <= "힣" for char in newest.paragraphs[0])
    assert hangul == (newest.language == "ko")
