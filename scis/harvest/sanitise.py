"""Harvested HTML is never trusted: one allow-list for everything stored.

CONTRACT: `clean_html(html: str, base_url: str = "") -> str`;
`plain_text(html: str) -> str`.

The allow-list is what a news body needs and what Wagtail's rich text can
show: paragraphs, h2–h4, lists, bold/italic, links, images, tables, quotes
and figures. Wagtail's editor turns `<img>` into image embeds only for
images in its own library, so a harvested `<img>` stays plain HTML in the
stored body (shown to readers, dropped if an editor re-saves the field
without it); that is why images are also kept separately on the Item.
"""

import re
from urllib.parse import urljoin, urlsplit

import lxml.html
import nh3
from lxml import etree

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "b",
    "i",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
    "figure",
    "figcaption",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
# Removed with everything inside them (not just the tag).
DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "svg",
    "math",
    "head",
    "title",
    "form",
    "select",
    "textarea",
    "button",
}
_URL_ATTRIBUTES = {("a", "href"), ("img", "src")}
_LINK_WITHOUT_HREF = re.compile(r'<a rel="noopener nofollow">(.*?)</a>', re.DOTALL)
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|\xa0|<br>)*</p>")
_IMAGE_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def clean_html(html: str, base_url: str = "") -> str:
    """Return `html` reduced to the allow-list: only http(s) links and
    images, made absolute against `base_url`; links get
    rel="noopener nofollow"; scripts and styles go with their content."""
    if not html or not html.strip():
        return ""

    def keep_attribute(tag: str, name: str, value: str) -> str | None:
        if (tag, name) not in _URL_ATTRIBUTES:
            return value
        return _absolute_http_url(value, base_url)

    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=keep_attribute,
        link_rel="noopener nofollow",
        url_schemes={"http", "https"},
        strip_comments=True,
    )
    # A link or image whose address was refused is no use to a reader.
    cleaned = _LINK_WITHOUT_HREF.sub(r"\1", cleaned)
    cleaned = _IMAGE_WITHOUT_SRC.sub("", cleaned)
    # Boards pasted from HWP are full of empty paragraphs used as spacing.
    cleaned = _EMPTY_PARAGRAPH.sub("", cleaned)
    return cleaned.strip()


def _absolute_http_url(value: str, base_url: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    url = urljoin(base_url, value) if base_url else value
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    return url


# Elements that start a new paragraph in the plain text.
_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "table",
    "blockquote",
    "figure",
    "pre",
    "header",
    "footer",
    "main",
    "dl",
}
# Elements that start a new line within a paragraph.
_LINES = {"li", "tr", "figcaption", "dt", "dd", "caption", "br"}
# Markers put in the tree before its text is taken, so the page's own
# line breaks (mere source formatting) can be collapsed with other spaces.
_PARAGRAPH = "\ue000"  # private-use characters: lxml refuses controls
_LINE = "\ue001"


def plain_text(html: str) -> str:
    """The text of `html`: paragraphs separated by one blank line, lines
    within a paragraph (list items, table rows, <br>) by a newline,
    whitespace collapsed. Scripts, styles and the head are left out."""
    if not html or not html.strip():
        return ""
    root = parse_document(html)
    if root is None:
        return ""
    for element in list(root.iter(*DROPPED_WITH_CONTENT)):
        element.drop_tree()
    for element in root.iter(etree.Element):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _BLOCKS:
            marker = _PARAGRAPH
        elif tag in _LINES:
            marker = _LINE
        elif tag in ("td", "th"):
            marker = " "
        else:
            continue
        element.text = marker + (element.text or "")
        element.tail = marker + (element.tail or "")
    return _layout(root.text_content())


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def parse_document(html: str):
    """The lxml tree of an HTML page or fragment, or None if unreadable.
    An XML declaration (XHTML pages of older Korean sites) is dropped first:
    lxml refuses one with an encoding in already-decoded text."""
    try:
        return lxml.html.document_fromstring(_XML_DECLARATION.sub("", html, count=1))
    except (etree.ParserError, ValueError):
        return None


def _layout(text: str) -> str:
    paragraphs = []
    for block in text.split(_PARAGRAPH):
        lines = (" ".join(line.split()) for line in block.split(_LINE))
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)
