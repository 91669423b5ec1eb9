"""Turn a fetched page into clean fields: main text, title, date, images.

CONTRACT: `extract_page(html: str, url: str) -> Extracted`.

How: Korean public sites mostly publish through a handful of bulletin-board
products whose view page wraps the body in a recognisable container
(`div.view_cont`, `td.bd_content`, `div.view-body`, ...). When one is found
its HTML is the body, so the board's chrome (title cell, "등록일" row,
attachment list, previous/next links, satisfaction survey) stays out. Other
pages go through trafilatura in its fast mode (no fallback extractors: the
bench wants 50 items a second on two cores). The title comes from
og:title, then the board's title cell or the article's h1, then <title>
without the site name. The date is the original publication date:
htmldate over the markup (meta tags, JSON-LD, <time>), else a Korean board
label ("등록일 2024.03.28") read with `dates.parse_date`.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urljoin, urlsplit

import lxml.html
import trafilatura
from htmldate import find_date

from .dates import parse_date
from .sanitise import clean_html, parse_document, plain_text


@dataclass
class Extracted:
    title: str = ""
    date: dt.date | None = None
    body_html: str = ""  # sanitised (sanitise.clean_html)
    text: str = ""  # plain text of the body, paragraphs split by blank lines
    summary: str = ""  # the page's description, or the first paragraph
    images: list[dict] = field(default_factory=list)  # {"src", "alt"}
    language: str = ""  # as declared by the page, if it says


SUMMARY_LENGTH = 300
# Shorter descriptions name the site rather than the page.
MIN_DESCRIPTION_CHARS = 20
# A container with less text than this is not taken for the body.
MIN_BODY_CHARS = 80

# Body containers of Korean bulletin-board view pages (class names).
BOARD_BODY_CLASSES = (
    "view_cont",
    "view-cont",
    "viewcont",
    "view_content",
    "view-content",
    "view_body",
    "view-body",
    "bd_content",
    "board_view_cont",
    "board-view-cont",
    "board_content",
    "board-content",
    "bbs_content",
    "bbs-content",
    "article_body",
    "article-body",
    "news_body",
    "news-body",
    "view_txt",
    "cont_view",
)
# Where a board view page writes its title.
_TITLE_XPATHS = (
    "//table//thead//th",
    "//*[self::th or self::h1 or self::h2 or self::h3 or self::h4 or self::div"
    " or self::p or self::strong][contains(concat(' ', normalize-space(@class),"
    " ' '), ' subject ') or contains(concat(' ', normalize-space(@class), ' '),"
    " ' view_title ') or contains(concat(' ', normalize-space(@class), ' '),"
    " ' view-title ') or contains(concat(' ', normalize-space(@class), ' '),"
    " ' bd_tit ') or contains(concat(' ', normalize-space(@class), ' '),"
    " ' board_title ')]",
    "//article//h1",
    "//main//h1",
    "//h1[not(.//img)]",
)
# Chrome that trafilatura sometimes keeps on pages without a known body
# container: breadcrumbs, attachment lists, previous/next links, surveys.
_PRUNE_XPATHS = [
    f"//*[contains(@class, '{name}')]"
    for name in (
        "location",
        "breadcrumb",
        "satisf",
        "prevnext",
        "prev_next",
        "view-nav",
        "file",
        "manager",
        "sub-visual",
        "btn",
        "related",
        "share",
    )
]
# "등록일 2024.03.28", "작성일 : 24.3.4.": a board's date label and what follows.
_DATE_LABEL = re.compile(
    r"(?<![가-힣])(?:등록일|작성일|게시일|보도일|배포일|발행일|등록일시|작성일시|날짜)"
    r"(?:자)?\s*[:：]?\s*([^가-힣]{6,40})"
)
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·>]\s+")


def extract_page(html: str, url: str, content_selector: str = "") -> Extracted:
    """Read the fields of an article or press release page.

    `content_selector` (a CSS selector from the source's settings) names
    the body container when the built-in board patterns miss it.
    """
    result = Extracted()
    if not html or not html.strip():
        return result
    tree = parse_document(html)
    if tree is None:
        return result
    result.language = _declared_language(tree)

    body_html = _board_body(tree, content_selector)
    if not body_html:
        body_html = _trafilatura_body(html, url)
    result.title = _title(tree)
    result.body_html = _without_leading_title(clean_html(body_html, url), result.title)
    result.text = plain_text(result.body_html)
    result.date = _date(html, tree, url)
    result.summary = _description(tree) or _first_paragraph(result.text)
    result.images = _images(tree, result.body_html, url)
    return result


def _meta(tree, name: str) -> str:
    for element in tree.xpath(
        "//meta[@property=$name or @name=$name][@content]", name=name
    ):
        content = " ".join(element.get("content", "").split())
        if content:
            return content
    return ""


def _description(tree) -> str:
    """The page's own description; not a site-wide one ("국토교통부 누리집")
    that only names the site."""
    description = _meta(tree, "description") or _meta(tree, "og:description")
    if len(description) < MIN_DESCRIPTION_CHARS:
        return ""
    page_title = tree.findtext(".//title") or ""
    if description in page_title or description == _meta(tree, "og:site_name"):
        return ""
    return _shorten(description, SUMMARY_LENGTH)


def _declared_language(tree) -> str:
    lang = (tree.get("lang") or tree.get("xml:lang") or "").strip().lower()
    return lang.split("-")[0].split("_")[0] if lang else ""


def _board_body(tree, content_selector: str) -> str:
    candidates = []
    if content_selector:
        try:
            candidates = tree.cssselect(content_selector)
        except Exception:  # noqa: BLE001 - a bad selector in the source's settings
            candidates = []
    if not candidates:
        for name in BOARD_BODY_CLASSES:
            candidates.extend(
                tree.xpath(
                    "//*[contains(concat(' ', normalize-space(@class), ' '), $name)]",
                    name=f" {name} ",
                )
            )
    # The innermost container with enough text: outer ones carry chrome.
    sized = [
        (len(" ".join(element.text_content().split())), element)
        for element in candidates
    ]
    sized = [pair for pair in sized if pair[0] >= MIN_BODY_CHARS]
    if not sized:
        return ""
    _, element = min(sized, key=lambda pair: pair[0])
    return lxml.html.tostring(element, encoding="unicode")


def _trafilatura_body(html: str, url: str) -> str:
    try:
        body = trafilatura.extract(
            html,
            url=url or None,
            output_format="html",
            fast=True,
            include_tables=True,
            include_images=True,
            include_formatting=True,
            include_links=True,
            include_comments=False,
            with_metadata=False,
            prune_xpath=_PRUNE_XPATHS,
        )
    except Exception:  # noqa: BLE001 - an unreadable page gives an empty body
        return ""
    return body or ""


def _title(tree) -> str:
    page_title = " ".join((tree.findtext(".//title") or "").split())
    parts = [part for part in _TITLE_SEPARATORS.split(page_title) if part]
    og_title = _meta(tree, "og:title")
    if og_title and not _is_site_name(og_title, tree, parts):
        return og_title
    for xpath in _TITLE_XPATHS:
        for element in tree.xpath(xpath):
            text = " ".join(element.text_content().split())
            if len(text) >= 4:
                return text
    # "Busan opens data hub | News | KAIA": the longest part is the headline.
    return max(parts, key=len) if parts else og_title


def _is_site_name(og_title: str, tree, title_parts: list[str]) -> bool:
    """Many public sites put their own name in og:title on every page."""
    if og_title == _meta(tree, "og:site_name"):
        return True
    return len(title_parts) > 1 and og_title in title_parts[1:]


def _without_leading_title(body_html: str, title: str) -> str:
    """Drop a heading that only repeats the title at the top of the body."""
    if not title:
        return body_html
    match = re.match(r"\s*<(h[1-4]|p)>(.*?)</\1>", body_html, re.DOTALL)
    if match and " ".join(plain_text(match.group(2)).split()) == title:
        return body_html[match.end() :].lstrip()
    # A heading the allow-list unwrapped (h1) leaves its text bare.
    stripped = body_html.lstrip()
    if stripped.startswith(escape(title, quote=False)):
        return stripped[len(escape(title, quote=False)) :].lstrip()
    return body_html


def _date(html: str, tree, url: str) -> dt.date | None:
    try:
        found = find_date(
            html, extensive_search=False, original_date=True, url=url or None
        )
    except Exception:  # noqa: BLE001 - a failed date guess must not lose the item
        found = None
    if found:
        return dt.date.fromisoformat(found)
    # itertext with spaces: table cells touch ("도시경제과등록일") otherwise.
    body = tree.find("body")
    text = " ".join(" ".join(body.itertext()).split()) if body is not None else ""
    for match in _DATE_LABEL.finditer(text):
        parsed = parse_date(match.group(1))
        if parsed:
            return parsed
    return None


def _first_paragraph(text: str) -> str:
    for paragraph in text.split("\n\n"):
        paragraph = " ".join(paragraph.split())
        if len(paragraph) >= 20:
            return _shorten(paragraph, SUMMARY_LENGTH)
    return ""


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;") + "…"


def _images(tree, body_html: str, url: str) -> list[dict]:
    images: list[dict] = []
    seen: set[str] = set()

    def add(src: str, alt: str) -> None:
        src = urljoin(url, src.strip()) if url else src.strip()
        if urlsplit(src).scheme in ("http", "https") and src not in seen:
            seen.add(src)
            images.append({"src": src, "alt": " ".join(alt.split())})

    og_image = _meta(tree, "og:image")
    if og_image:
        add(og_image, _meta(tree, "og:image:alt"))
    if body_html:
        for image in lxml.html.fragment_fromstring(body_html, create_parent="div").iter(
            "img"
        ):
            if image.get("src"):
                add(image.get("src", ""), image.get("alt", ""))
    return images
