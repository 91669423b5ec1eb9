"""How fast `import_wordpress` runs: a synthetic WXR export of N posts, made
in a temporary folder, imported into the configured database and removed
again afterwards. Attachment downloads are left out (--no-download): they
measure the old server, not SCIS.

    python -m scis.wordpress.bench 1000      (or `run(1000)` from the harness)
"""

import datetime as dt
import random
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

SITE = "https://bench.wordpress.invalid"
KO_SENTENCES = [
    "국토교통부는 스마트도시 조성 사업의 올해 대상지를 선정했다고 밝혔습니다.",
    "선정된 지자체는 교통, 안전, 환경 분야의 도시 문제를 데이터로 해결합니다.",
    "자율주행 셔틀과 수요응답형 버스가 주민의 이동을 돕습니다.",
    "통합플랫폼은 지자체 CCTV 센터를 112, 119와 연계합니다.",
    "디지털 트윈으로 개발 계획을 미리 검증할 수 있습니다.",
    "시민이 참여하는 리빙랩에서 서비스를 함께 다듬습니다.",
]
EN_SENTENCES = [
    "The ministry announced this year's smart city sites.",
    "Selected cities will tackle transport, safety and environmental problems with data.",
    "Autonomous shuttles and demand-responsive buses help residents get around.",
    "The integrated platform links city CCTV centres with police and fire services.",
    "A digital twin lets planners test development plans in advance.",
    "Residents refine the services together in living labs.",
]
CATEGORIES = [
    ("smart-city-issue", "스마트도시 이슈"),
    ("policy-project", "정책 사업"),
    ("policy-trend", "정책 동향"),
    ("special", "스페셜"),
    ("policy-project-en", "Policy Project"),
]
TAGS = [
    "세종",
    "부산",
    "자율주행",
    "디지털트윈",
    "규제샌드박스",
    "Busan",
    "Living lab",
    "주차",
]


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _item(number: int, rng: random.Random) -> str:
    english = number % 4 == 0
    sentences = EN_SENTENCES if english else KO_SENTENCES
    title = f"Smart city update {number}" if english else f"스마트도시 소식 {number}호"
    paragraphs = "\n\n".join(
        " ".join(rng.choice(sentences) for _ in range(3)) for _ in range(4)
    )
    moment = dt.datetime(2015, 1, 1) + dt.timedelta(hours=number * 7)
    slug = f"update-{number}"
    link = f"{SITE}/{moment:%Y/%m/%d}/{slug}/"
    category = rng.choice(CATEGORIES)
    tags = rng.sample(TAGS, 2)
    status = "draft" if number % 10 == 0 else "publish"
    terms = [
        f'<category domain="category" nicename="{category[0]}">{_cdata(category[1])}</category>'
    ] + [
        f'<category domain="post_tag" nicename="tag-{i}">{_cdata(tag)}</category>'
        for i, tag in enumerate(tags)
    ]
    attachment = ""
    if number % 5 == 0:
        upload = f"{SITE}/wp-content/uploads/{moment:%Y/%m}/photo-{number}.jpg"
        paragraphs += f'\n\n<img src="{upload}" alt="photo {number}" />'
        attachment = f"""
<item><title>photo {number}</title><link>{link}photo-{number}/</link>
<guid isPermaLink="false">{upload}</guid><wp:post_id>{number + 1_000_000}</wp:post_id>
<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
<wp:post_parent>{number}</wp:post_parent><wp:post_date>{moment:%Y-%m-%d %H:%M:%S}</wp:post_date>
<wp:attachment_url>{upload}</wp:attachment_url></item>"""
    return f"""
<item><title>{_cdata(title)}</title><link>{link}</link>
<dc:creator>{_cdata("press")}</dc:creator>
<guid isPermaLink="false">{SITE}/?p={number}</guid>
<content:encoded>{_cdata(paragraphs)}</content:encoded>
<excerpt:encoded>{_cdata("")}</excerpt:encoded>
<wp:post_id>{number}</wp:post_id>
<wp:post_date>{_cdata(f"{moment:%Y-%m-%d %H:%M:%S}")}</wp:post_date>
<wp:post_date_gmt>{_cdata(f"{moment - dt.timedelta(hours=9):%Y-%m-%d %H:%M:%S}")}</wp:post_date_gmt>
<wp:post_name>{_cdata(slug)}</wp:post_name><wp:status>{_cdata(status)}</wp:status>
<wp:post_parent>0</wp:post_parent><wp:post_type>{_cdata("post")}</wp:post_type>
{"".join(terms)}
<wp:postmeta><wp:meta_key>_edit_last</wp:meta_key><wp:meta_value>1</wp:meta_value></wp:postmeta>
</item>{attachment}"""


def write_wxr(path: Path, posts: int, seed: int = 2026) -> Path:
    """A WXR 1.2 file of `posts` posts (a quarter English, a tenth drafts,
    every fifth with an image attachment)."""
    rng = random.Random(seed)  # noqa: S311 — synthetic text, not secrets
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            f"<title>{escape('벤치마크')}</title><link>{SITE}</link>"
            "<language>ko-KR</language><wp:wxr_version>1.2</wp:wxr_version>"
            f"<wp:base_site_url>{SITE}</wp:base_site_url>"
            f"<wp:base_blog_url>{SITE}</wp:base_blog_url>"
            "<wp:author><wp:author_login>press</wp:author_login>"
            "<wp:author_display_name>정책홍보팀</wp:author_display_name></wp:author>\n"
        )
        for number in range(1, posts + 1):
            out.write(_item(number, rng))
        out.write("\n</channel>\n</rss>\n")
    return path


def _remove(site: str) -> None:
    """Take the synthetic posts out again (pages, redirects, records)."""
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.models import Page

    from scis.search.signals import indexing_paused

    from .models import ImportedPost

    rows = ImportedPost.objects.filter(site_url=site)
    page_ids = list(rows.values_list("page_id", flat=True))
    Redirect.objects.filter(redirect_page_id__in=page_ids).delete()
    # Synthetic posts were never searchable for long: no index work on the
    # way out.
    with indexing_paused():
        Page.objects.filter(pk__in=page_ids).delete()
    rows.delete()


def run(posts: int, *, keep: bool = False) -> dict:
    """Import a synthetic export of `posts` posts and return the figures.

    `posts_per_second` is the import itself: reading the file twice, mapping,
    writing pages, revisions, catalogue rows, redirects and Wagtail's admin
    indexes. The portal's search index is brought up to date through the
    task queue, as for any publish: `search_index_seconds` is what queueing
    took, which includes the indexing itself when the task backend runs
    tasks inline (the test and bench settings). A second run of the same
    file (`rerun_*`, every post unchanged) follows. The posts are removed
    afterwards unless `keep`."""
    from .importer import Options, import_wordpress

    with tempfile.TemporaryDirectory(prefix="scis-wxr-bench-") as folder:
        path = write_wxr(Path(folder) / "bench.xml", posts)
        started = time.monotonic()
        report = import_wordpress(path, Options(download=False))
        total = time.monotonic() - started
        second = time.monotonic()
        rerun = import_wordpress(path, Options(download=False))
        rerun_seconds = time.monotonic() - second
    seconds = total - report.index_seconds
    figures = {
        "posts": posts,
        "created": report.created,
        "skipped": report.skipped_total,
        "seconds": round(seconds, 2),
        "posts_per_second": round(posts / seconds, 1),
        "search_index_seconds": round(report.index_seconds, 2),
        "seconds_with_search_index": round(total, 2),
        "rerun_seconds": round(rerun_seconds, 2),
        "rerun_posts_per_second": round(posts / rerun_seconds, 1),
        "rerun_unchanged": rerun.unchanged,
    }
    if not keep:
        _remove(SITE)
    return figures


if __name__ == "__main__":
    import json
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scis.settings.dev")
    django.setup()
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 1000), indent=2))
